// The unit test runner. Like pkiform itself, it ignores SIGPIPE: a TLS or SSH
// peer that closes first must give an error value, not kill the process.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <csignal>

#include "reconciler/log/log.h"

int main(int argc, char* argv[]) {
  std::signal(SIGPIPE, SIG_IGN);
  // As pkiform without -v: warnings and errors only, on stderr.
  pkiform::log::ConfigureLogging(pkiform::log::Format::kText, 0);
  return Catch::Session().run(argc, argv);
}
