// pkiform-sim shell on a PTY (what sshd gives it): the echo, CRLF line ends, answers to
// questions, and `quit`.
#include <catch2/catch.hpp>

#include "tests/sim/pty_test_support.h"
#include "tests/sim/sim_test_support.h"
#include "tests/sim/vcs_test_support.h"

namespace pkiform::simtest {

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
