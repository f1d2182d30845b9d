// The name of the user running pkiform, for the history and the run lock.
//
// Taken from the process's effective uid (the password database), not from
// $USER: root in a container and systemd units run without $USER, and the
// history must still say who changed a host. $USER only when the uid has no
// entry, then "uid N".
#pragma once

#include <string>

namespace pkiform::state {

std::string CurrentUserName();

}  // namespace pkiform::state
