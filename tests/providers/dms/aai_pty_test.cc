// The navigator against the real simulator: `pkiform-sim shell` on a PTY (forkpty, as sshd
// runs it), through an ssh::Terminal over the PTY's master side. Needs pkiform-sim, which
// the instrumented builds do not build (PKIFORM_SIM_BUILT=0): there this file has no cases.
#include <pty.h>

#include <catch2/catch.hpp>

#include "providers/dms/aai_session.h"

#if PKIFORM_SIM_BUILT

#include "tests/sim/dms_test_support.h"

using namespace pkiform;
using namespace pkiform::dms;

namespace {

// The PTY's master side as a Terminal: Send writes, Expect reads (poll, bounded) until the
// pattern matches.
class PtyTerminal : public ssh::Terminal {
 public:
  explicit PtyTerminal(const std::filesystem::path& dir) {
    pid_ = forkpty(&master_, nullptr, nullptr, nullptr);
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      unsetenv("SSH_ORIGINAL_COMMAND");
      execl(simtest::kSim.c_str(), simtest::kSim.c_str(), "shell", "--dir", dir.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
  }
  ~PtyTerminal() override {
    close(master_);
    if (pid_ > 0) {  // only the child this test started
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  PtyTerminal(const PtyTerminal&) = delete;
  PtyTerminal& operator=(const PtyTerminal&) = delete;

  Status Send(std::string_view text) override {
    if (write(master_, text.data(), text.size()) != static_cast<ssize_t>(text.size()))
      return Status::IoError("write to the PTY failed");
    return Status::Ok();
  }

  Result<std::string> Expect(const RE2& pattern, std::chrono::milliseconds timeout, size_t max_output,
                             std::string* matched) override {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      re2::StringPiece match;
      if (pattern.Match(buffer_, 0, buffer_.size(), RE2::UNANCHORED, &match, 1)) {
        const size_t start = static_cast<size_t>(match.data() - buffer_.data());
        std::string before = buffer_.substr(0, start);
        if (matched) matched->assign(match.data(), match.size());
        buffer_.erase(0, start + match.size());
        return before;
      }
      if (buffer_.size() > max_output) return Status::IoError("too much output");
      if (std::chrono::steady_clock::now() > deadline) return Status::IoError("timed out");
      pollfd p{master_, POLLIN, 0};
      if (poll(&p, 1, 100) <= 0) continue;
      char buf[4096];
      const ssize_t n = read(master_, buf, sizeof(buf));
      if (n <= 0) return Status::IoError("the PTY closed");
      buffer_.append(buf, static_cast<size_t>(n));
    }
  }

  int Exit() {
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = 0;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  int master_ = -1;
  pid_t pid_ = 0;
  std::string buffer_;
};

void Ok(const Status& s) {
  INFO(s.ToString());
  REQUIRE(s.ok());
}

}  // namespace

TEST_CASE("AAI session against pkiform-sim on a PTY: menus, a text view, a password form, Back, EXIT", "[dms]") {
  testing::TempDir tmp;
  simtest::DmsBox box(tmp.path() / "dms1", {"dms1.example.com", "127.0.103.41"});
  PtyTerminal pty(box.dir);
  AaiSession session(pty, AaiLimits{std::chrono::seconds(20), 1 << 20});
  auto main_menu = session.Current();
  REQUIRE(main_menu.ok());
  CHECK(main_menu->title == "Appliance Administration Interface");
  Ok(session.Choose("CERTIFICATE_MANAGEMENT"));
  Ok(session.Choose("VIEW_CERTIFICATE"));
  auto view = session.Current();
  REQUIRE(view.ok());
  CHECK(view->kind == ScreenKind::kText);
  CHECK(std::any_of(view->lines.begin(), view->lines.end(),
                    [](const std::string& l) { return l.find("CN=dms1.example.com") != std::string::npos; }));
  Ok(session.Press("EXIT"));
  Ok(session.Choose("EXPORT_KEYSTORE"));  // from VIEW_CERTIFICATE, kept highlighted: read, not counted
  Ok(session.Fill("Passphrase:", "hunter2secret"));
  CHECK(session.Current()->fields[0].value == std::string(13, '*'));
  Ok(session.Back());
  CHECK(session.Current()->title == "CERTIFICATE_MANAGEMENT");
  Ok(session.Back());
  CHECK(session.Current()->title == "Appliance Administration Interface");
  CHECK_FALSE(session.Choose("EXIT").ok());  // the session ends: no screen follows
  CHECK(pty.Exit() == 0);
}

#endif  // PKIFORM_SIM_BUILT
