// The two SSH doors of a simulated VCS peer (docs/platforms/vcs.md, "Login and sessions"):
// the admin account's xACLI (an interactive shell; exec refused) and the root account's
// exec requests (the contract's few commands on /tandberg/persistent/certs/ and
// /tmp/pkiform/). `pkiform-sim shell` runs RunVcsSession for a vcs appliance.
#pragma once
#include <filesystem>
#include <string>

namespace pkiform::sim {

class VcsAppliance;

// The longest admin command line, and the most one `cat >` stages.
inline constexpr size_t kVcsMaxLineLength = 4096;
inline constexpr size_t kVcsMaxStagedBytes = 256 * 1024;
// The longest root exec command line.
inline constexpr size_t kVcsMaxExecLength = 4096;

// `user` is the SSH login: the appliance's root user (sim.conf root-user) gets the root
// exec emulator, every other account the admin shell (ASSUMED: the simulator does not
// check the admin account's name; sshd authenticated it). `execCommand` is
// SSH_ORIGINAL_COMMAND (empty for an interactive shell). Returns the exit code.
int RunVcsSession(const std::filesystem::path& dir, const std::string& user, const std::string& execCommand);

int RunVcsAdminShell(const VcsAppliance& appliance, int inFd, int outFd);
int RunVcsRootExec(const VcsAppliance& appliance, const std::string& command, int inFd, int outFd, int errFd);

// Waits until `fd` is readable (true) or the appliance restarted since the session
// began at `generation` (false: the session is dropped, rule V7). Polls every 100 ms.
bool VcsWaitReadable(int fd, const VcsAppliance& appliance, int generation);

}  // namespace pkiform::sim
