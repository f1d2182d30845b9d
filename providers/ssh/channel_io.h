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
#include "providers/ssh/handles.h"
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

// Runs a libssh call that supports non-blocking mode (opening a channel, a
// channel request) until it stops returning SSH_AGAIN, waiting in poll(2)
// between attempts; returns SSH_AGAIN when the deadline passes first.
//
// Why not simply block: right after authentication OpenSSH's sshd sends its
// hostkeys-00@openssh.com message, and then holds the reply to our first
// request (Nagle) until that message is acknowledged, which the client kernel
// delays by ~40 ms. Here every attempt is followed by AckNow(), so that wait
// disappears (measured: channel open 45 ms -> ~1 ms on loopback).
int DriveNonBlocking(ssh_session session, const Deadline& deadline, const std::function<int()>& step);

// Opens a "session" channel (for exec, a shell or a subsystem) within the
// deadline, with DriveNonBlocking. Errors name what failed, not the peer.
Result<SshChannelPtr> OpenSessionChannel(ssh_session session, const Deadline& deadline);

// Makes the kernel acknowledge the data received so far right away (TCP_QUICKACK).
void AckNow(ssh_session session);

}  // namespace pkiform::ssh
