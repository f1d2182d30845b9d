// A `pkiform-sim shell --dir DIR` on a real PTY (forkpty), as sshd runs it: typing into it
// and waiting for what it prints (pty_test.cc, dms_pty_test.cc).
#pragma once
#include <pty.h>

#include <catch2/catch.hpp>

#include "tests/sim/sim_test_support.h"

namespace pkiform::simtest {

class PtyShell {
 public:
  explicit PtyShell(const fs::path& dir) {
    pid_ = forkpty(&master_, nullptr, nullptr, nullptr);
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      unsetenv("SSH_ORIGINAL_COMMAND");
      execl(kSim.c_str(), kSim.c_str(), "shell", "--dir", dir.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
  }
  ~PtyShell() {
    close(master_);
    if (pid_ > 0) {  // never kill(-1, ...): that would signal every process we may signal
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  PtyShell(const PtyShell&) = delete;
  PtyShell& operator=(const PtyShell&) = delete;

  // Reads until `text` has appeared `times` times in the whole transcript.
  bool WaitFor(const std::string& text, size_t times = 1) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (Count(transcript_, text) < times) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      pollfd p{master_, POLLIN, 0};
      if (poll(&p, 1, 100) <= 0) continue;
      char buf[4096];
      ssize_t n = read(master_, buf, sizeof(buf));
      if (n <= 0) return Count(transcript_, text) >= times;
      transcript_.append(buf, static_cast<size_t>(n));
    }
    return true;
  }
  void Type(const std::string& text) { REQUIRE(write(master_, text.data(), text.size()) == ssize_t(text.size())); }
  int Exit() {
    int status = 0;
    if (pid_ <= 0) return -1;
    waitpid(pid_, &status, 0);
    pid_ = 0;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  const std::string& transcript() const { return transcript_; }

 private:
  int master_ = -1;
  pid_t pid_ = 0;
  std::string transcript_;
};

}  // namespace pkiform::simtest
