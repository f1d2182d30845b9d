#include "providers/ssh/shell.h"

#include <catch2/catch.hpp>

#include <re2/re2.h>

#include "tests/providers/ssh/ssh_fixture.h"

using namespace pkiform;
using namespace pkiform::ssh;
using pkiform::testing::ConnectOrFail;
using pkiform::testing::SharedSshd;

namespace {

std::unique_ptr<InteractiveShell> OpenShellOrFail(SshSession& session) {
  auto shell = session.OpenShell();
  if (!shell.ok()) FAIL(shell.status().ToString());
  return std::move(shell).value();
}

// The login shell's prompt ("$ "), then a distinctive one that the echo of the
// command setting it cannot match.
const RE2 kPrompt("PKIFORM> $");

void SetPrompt(InteractiveShell& shell) {
  REQUIRE(shell.Send("PS1='PKI''FORM> '\n").ok());
  auto banner = shell.Expect(kPrompt, std::chrono::seconds(5));
  if (!banner.ok()) FAIL(banner.status().ToString());
}

}  // namespace

TEST_CASE("the interactive shell returns a command's output before the prompt", "[ssh]") {
  auto session = ConnectOrFail(SharedSshd().Target());
  auto shell = OpenShellOrFail(*session);
  SetPrompt(*shell);

  REQUIRE(shell->Send("echo answer-$((6*7))\n").ok());
  auto out = shell->Expect(kPrompt, std::chrono::seconds(5));
  REQUIRE(out.ok());
  INFO(*out);
  // The PTY echoes the command line; the computed value only appears in the output.
  CHECK(*out == "echo answer-$((6*7))\nanswer-42\n");

  // Several lines and stderr (a PTY merges it), carriage returns removed.
  REQUIRE(shell->Send("printf 'a\\nb\\n'; echo oops >&2\n").ok());
  auto multi = shell->Expect(kPrompt, std::chrono::seconds(5));
  REQUIRE(multi.ok());
  CHECK(multi->find("a\nb\noops\n") != std::string::npos);
  CHECK(multi->find('\r') == std::string::npos);

  // The exec channel of the same session still works alongside the shell.
  auto r = session->Exec("echo side");
  REQUIRE(r.ok());
  CHECK(r->out == "side\n");
}

TEST_CASE("waiting for a prompt that never comes times out with the last output", "[ssh]") {
  auto& sshd = SharedSshd();
  auto session = ConnectOrFail(sshd.Target());
  auto shell = OpenShellOrFail(*session);
  SetPrompt(*shell);
  REQUIRE(shell->Send("echo partial-output; sleep 5\n").ok());
  auto start = std::chrono::steady_clock::now();
  auto r = shell->Expect(kPrompt, std::chrono::milliseconds(400));
  auto elapsed = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(r.ok());
  INFO(r.status().message());
  CHECK(r.status().message().find("timed out after 400 ms") != std::string::npos);
  CHECK(r.status().message().find("127.0.0.1:" + std::to_string(sshd.port())) != std::string::npos);
  CHECK(r.status().message().find("partial-output") != std::string::npos);
  CHECK(elapsed >= std::chrono::milliseconds(400));
  CHECK(elapsed < std::chrono::milliseconds(1500));
}

TEST_CASE("a shell that exits is reported, not waited for", "[ssh]") {
  auto session = ConnectOrFail(SharedSshd().Target());
  auto shell = OpenShellOrFail(*session);
  SetPrompt(*shell);
  REQUIRE(shell->Send("echo bye; exit\n").ok());
  auto start = std::chrono::steady_clock::now();
  auto r = shell->Expect(kPrompt, std::chrono::seconds(5));
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message().find("shell closed") != std::string::npos);
  CHECK(r.status().message().find("bye") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
}
