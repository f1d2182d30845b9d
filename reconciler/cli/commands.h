// The command table of the CLI: each command's name, summary and handler, and the
// fixed exit codes of DESIGN.md (0 ok, 1 error, 2 changes pending).
#pragma once

namespace pkiform::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitChanges = 2;

int Run(int argc, char** argv);

}  // namespace pkiform::cli
