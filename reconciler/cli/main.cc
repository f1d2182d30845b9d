// pkiform's entry point: it only hands the arguments to the command table.
#include "reconciler/cli/commands.h"

int main(int argc, char** argv) { return pkiform::cli::Run(argc, argv); }
