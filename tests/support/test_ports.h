// TCP ports for the servers a test starts (sshd, the simulator's TLS daemon, nginx),
// reserved across every test process of the machine. ctest runs tests side by side:
// a port that was merely free a moment ago (bind to port 0, close) can be taken by a
// parallel test's server before ours binds it, and the server then fails to start.
// A reserved port is claimed by a file under /tmp/pkiform-test-ports that names the
// claiming process; the claim ends when that process exits (a dead claimant's file is
// taken over). Ports come from below the kernel's ephemeral range, so that outgoing
// connections never hold one.
#pragma once

#include <string>

#include "reconciler/util/result.h"

namespace pkiform::testing {

// A port no other test process has reserved and nothing on `address` (or on any
// address, for "0.0.0.0") is bound to right now; reserved until this process exits.
Result<int> ReserveTestPort(const std::string& address = "0.0.0.0");

}  // namespace pkiform::testing
