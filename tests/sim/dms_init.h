// `pkiform-sim init --platform dms ...`: parses the options of a simulated DMS Show and
// Share appliance and writes its factory state (dms_state.h).
#pragma once
#include <map>
#include <string>

namespace pkiform::sim {

// The usage lines of the dms init, for pkiform-sim's usage text.
extern const char kDmsInitUsage[];

// `options`: the sub-command's "--name value" pairs. Returns the exit code: 0, 2 on a bad
// option (with the reason and usage on stderr), 1 when the state cannot be written.
int DmsInitMain(const std::multimap<std::string, std::string>& options);

}  // namespace pkiform::sim
