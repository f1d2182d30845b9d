// RunLock: at most one pkiform run (plan, apply, reconcile) works with a state
// directory at a time. The lock is flock(2) on <state_dir>/lock, so the kernel
// releases it when its holder exits or dies: a lock file left by a dead process
// never blocks. The file's content (pid, user, host, start time of the holder) is
// informational only, for the message that a second run prints.
//
// The lock file is never renamed over or removed: a run that opened the old file
// and one that opened a new file could otherwise both "hold" the lock.
#pragma once

#include <chrono>
#include <string>

#include "reconciler/util/result.h"

namespace pkiform::state {

class RunLock {
 public:
  // Takes the lock of `state_dir` (which must exist). When another run holds it:
  // with `wait` 0, fails at once; otherwise polls until it is free or `wait` has
  // passed. The failure says who holds it:
  //   another pkiform run holds the state lock (pid N, user U, host H, since T);
  //   wait for it or pass --lock-timeout
  // Another RunLock in the same process counts as another holder.
  static Result<RunLock> Acquire(const std::string& state_dir, std::chrono::milliseconds wait);

  RunLock(RunLock&& other) noexcept;
  RunLock& operator=(RunLock&& other) noexcept;
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;
  // Releases the lock (and clears the holder's details from the file).
  ~RunLock();

  // <state_dir>/lock
  const std::string& path() const { return path_; }

 private:
  RunLock(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  void Release();

  int fd_ = -1;  // -1 once released or moved from
  std::string path_;
};

}  // namespace pkiform::state
