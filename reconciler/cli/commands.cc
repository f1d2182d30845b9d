#include "reconciler/cli/commands.h"

#include <cstdio>

namespace pkiform::cli {

int Run(int, char**) {
  std::fprintf(stderr, "pkiform: not implemented yet\n");
  return kExitError;
}

}  // namespace pkiform::cli
