// pkiform's entry point: it only hands the arguments to the command table.
#include <csignal>

#include "reconciler/cli/commands.h"

int main(int argc, char** argv) {
  // A peer that closes a TLS or SSH connection first must give an error value, not kill pkiform.
  std::signal(SIGPIPE, SIG_IGN);
  return pkiform::cli::Run(argc, argv);
}
