// `pkiform-sim init --platform vcs ...`: parses the options of a simulated VCS peer (in the
// style of the ucm init in main.cc) and writes its factory state (vcs_state.h, rule V17).
#pragma once
#include <map>
#include <string>

namespace pkiform::sim {

// The usage lines of the vcs init, for pkiform-sim's usage text.
extern const char kVcsInitUsage[];

// `options`: the sub-command's "--name value" pairs. Returns the exit code: 0, 2 on a bad
// option (with the reason and usage on stderr), 1 when the state cannot be written.
int VcsInitMain(const std::multimap<std::string, std::string>& options);

}  // namespace pkiform::sim
