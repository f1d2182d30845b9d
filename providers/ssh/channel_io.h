// ChannelPump: moves bytes between an open libssh channel and memory within a
// deadline, without deadlock.
//
// Input is written only as far as the peer's window allows, and stdout and
// stderr are drained in the same loop, so a command that writes megabytes to
// both streams while we are still sending it data cannot stall either side.
// When nothing can move, the pump sleeps in poll(2) on the session's socket
// for at most the time left.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "providers/ssh/deadline.h"
#include "reconciler/util/result.h"

namespace pkiform::ssh {

struct ChannelPump {
  std::string_view input;     // still to be written; consumed as it is sent
  bool sendEofAfterInput = false;
  std::string* out = nullptr;  // receives stdout (required)
  std::string* err = nullptr;  // receives stderr; nullptr: stderr is appended to out
  bool eofSent = false;
};

enum class PumpOutcome {
  kEof,       // the remote side closed both streams
  kStopped,   // `stop` returned true after new data arrived
  kTimedOut,  // the deadline passed first
};

// Runs until one of the outcomes above; `stop` is checked after every round
// (e.g. "all input written" or "the prompt has arrived"). Errors carry libssh's
// message; the caller adds the peer and what it was doing.
Result<PumpOutcome> Pump(ssh_session session, ssh_channel channel, ChannelPump& io, const Deadline& deadline,
                         const std::function<bool()>& stop = nullptr);

}  // namespace pkiform::ssh
