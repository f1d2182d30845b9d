// Running helper programs from tests and harnesses: one-shot commands
// (ssh-keygen, useradd) whose output is captured, and background children
// (sshd, ssh-agent) that are stopped when their owner goes away.
//
// No shell is involved: argv is executed as given.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "reconciler/util/result.h"

namespace pkiform::testing {

struct ProcessResult {
  int exitCode = -1;   // -1 when killed by a signal
  std::string output;  // stdout and stderr, interleaved
};

// Runs argv[0] (a path, or a name looked up in PATH) to completion. extraEnv
// entries ("NAME=value") are added to this process's environment.
Result<ProcessResult> RunProcess(const std::vector<std::string>& argv,
                                 std::chrono::milliseconds timeout = std::chrono::seconds(30),
                                 const std::vector<std::string>& extraEnv = {});

// A background child whose stdout and stderr go to a log file. It receives
// SIGTERM if the thread that spawned it dies (PR_SET_PDEATHSIG), so create it
// on a thread that outlives it (normally the main thread).
class ChildProcess {
 public:
  static Result<std::unique_ptr<ChildProcess>> Spawn(const std::vector<std::string>& argv, const std::string& logPath,
                                                     const std::vector<std::string>& extraEnv = {});
  ~ChildProcess();  // Stop()
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  // True once the child has exited (reaps it).
  bool HasExited();
  // SIGTERM, then SIGKILL if it is still running after `grace`; reaps it.
  void Stop(std::chrono::milliseconds grace = std::chrono::milliseconds(3000));

 private:
  explicit ChildProcess(pid_t pid) : pid_(pid) {}
  pid_t pid_;
  bool reaped_ = false;
};

}  // namespace pkiform::testing
