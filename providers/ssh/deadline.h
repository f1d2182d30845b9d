// Deadline: the moment by which one SSH operation (connect, exec, an SFTP
// transfer, waiting for a prompt) must be finished.
//
// Every operation of the session layer starts a Deadline from its budget and
// hands the remaining time to each wait: to poll(2) in our own loops and, via
// ArmSessionTimeout, to libssh's blocking calls (SSH_OPTIONS_TIMEOUT), so that
// nothing blocks past it.
#pragma once

#include <libssh/libssh.h>

#include <algorithm>
#include <chrono>

namespace pkiform::ssh {

class Deadline {
 public:
  using Clock = std::chrono::steady_clock;

  explicit Deadline(std::chrono::milliseconds budget) : budget_(budget), end_(Clock::now() + budget) {}

  std::chrono::milliseconds budget() const { return budget_; }
  std::chrono::milliseconds remaining() const {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end_ - Clock::now());
    return std::max(left, std::chrono::milliseconds(0));
  }
  bool expired() const { return Clock::now() >= end_; }
  // The remaining time as a poll(2) timeout, capped at `cap` milliseconds.
  int PollTimeoutMs(int cap) const { return static_cast<int>(std::min<long long>(remaining().count(), cap)); }

 private:
  std::chrono::milliseconds budget_;
  Clock::time_point end_;
};

// Sets the session's timeout for libssh's own blocking waits to the time left
// (at least 1 ms: libssh reads a zero timeout as "use the default").
inline void ArmSessionTimeout(ssh_session session, const Deadline& deadline) {
  long long ms = std::max<long long>(deadline.remaining().count(), 1);
  long seconds = static_cast<long>(ms / 1000);
  long usec = static_cast<long>((ms % 1000) * 1000);
  ssh_options_set(session, SSH_OPTIONS_TIMEOUT, &seconds);
  ssh_options_set(session, SSH_OPTIONS_TIMEOUT_USEC, &usec);
}

}  // namespace pkiform::ssh
