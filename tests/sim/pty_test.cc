// pkiform-sim shell on a PTY (what sshd gives it): the echo, CRLF line ends, answers to
// questions, and `quit`.
#include <pty.h>

#include <catch2/catch.hpp>

#include "tests/sim/sim_test_support.h"
#include "tests/sim/vcs_test_support.h"

namespace pkiform::simtest {
namespace {

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

}  // namespace

TEST_CASE("on a PTY the command is echoed and every line ends in CRLF", "[sim]") {
  testing::TempDir tmp;
  auto node = InitNode(tmp.path() / "pub", tmp.path() / "cluster", NodeSpec{});
  PtyShell shell(node);
  REQUIRE(shell.WaitFor("admin:"));
  shell.Type("show version active\r");
  REQUIRE(shell.WaitFor("admin:", 2));
  shell.Type("set csr gen tomcat\r");
  REQUIRE(shell.WaitFor("Include OU in CSR (yes|no)?"));
  shell.Type("yes\r");
  REQUIRE(shell.WaitFor("admin:", 3));
  shell.Type("quit\r");
  CHECK(shell.Exit() == 0);
  const auto& t = shell.transcript();
  INFO(t);
  CHECK(Has(t, "admin:show version active\r\nActive Master Version: 14.0.1.11900-132\r\n"));
  CHECK(Has(t, "Include OU in CSR (yes|no)?yes\r\nSuccessfully Generated CSR for tomcat.\r\n\r\nadmin:"));
  for (size_t i = 0; i < t.size(); ++i)
    if (t[i] == '\n') REQUIRE((i > 0 && t[i - 1] == '\r'));
  CHECK_FALSE(Has(t, "\r\r\n"));
}

TEST_CASE("vcs admin shell on a PTY: the PTY's echo, CRLF line ends, bye", "[sim][vcs]") {
  testing::TempDir tmp;
  VcsPeer peer(tmp.path() / "vcs1", {"vcs1.example.com", "127.0.100.21"});
  PtyShell shell(peer.dir);  // the test's own login is not the peer's root user: the admin shell
  REQUIRE(shell.WaitFor("TANDBERG Video Communication Server X8.1.1\r\n\r\n"));
  shell.Type("echo off\r");
  REQUIRE(shell.WaitFor("OK\r\n"));
  shell.Type("xStatus SystemUnit\r");
  REQUIRE(shell.WaitFor("OK\r\n", 2));
  shell.Type("bye\r");
  CHECK(shell.Exit() == 0);
  const auto& t = shell.transcript();
  INFO(t);
  CHECK(Has(t, "xStatus SystemUnit\r\n*s SystemUnit: /\r\n"));  // the PTY echoes the command
  for (size_t i = 0; i < t.size(); ++i)
    if (t[i] == '\n') REQUIRE((i > 0 && t[i - 1] == '\r'));
  CHECK_FALSE(Has(t, "\r\r\n"));
}

}  // namespace pkiform::simtest
