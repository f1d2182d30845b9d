// The simulated DMS AAI on a real PTY (what sshd gives it): raw mode (nothing typed is
// echoed; the screen is the only echo, no line-feed translation), arrow keys, a lone Esc
// told from an escape sequence by time, a password shown as stars only.
#include <catch2/catch.hpp>

#include "tests/sim/dms_test_support.h"
#include "tests/sim/pty_test_support.h"

namespace pkiform::simtest {

TEST_CASE("dms AAI on a PTY: raw mode, arrows, Esc, VIEW_CERTIFICATE, a hidden passphrase, EXIT", "[sim][dms]") {
  testing::TempDir tmp;
  DmsBox box(tmp.path() / "sns1", {"sns1.example.com", "127.0.103.11"});
  PtyShell shell(box.dir);
  REQUIRE(shell.WaitFor("\x1b[3;1H> CERTIFICATE_MANAGEMENT"));
  shell.Type("!~!~");  // ignored on a menu, and not echoed (no PEM or hex text has them)
  shell.Type(kEnter);
  REQUIRE(shell.WaitFor("\x1b[1;1HCERTIFICATE_MANAGEMENT"));
  shell.Type(kDown + kDown);
  REQUIRE(shell.WaitFor("\x1b[5;1H> VIEW_CERTIFICATE"));
  shell.Type(kEnter);
  REQUIRE(shell.WaitFor("[EXIT]"));
  shell.Type(kEnter);
  REQUIRE(shell.WaitFor("\x1b[5;1H> VIEW_CERTIFICATE", 2));  // back, the item kept
  shell.Type(kDown + kDown);
  REQUIRE(shell.WaitFor("\x1b[7;1H> EXPORT_KEYSTORE"));
  shell.Type(kEnter);
  REQUIRE(shell.WaitFor("> Passphrase: "));
  shell.Type("hunter2secret");
  REQUIRE(shell.WaitFor("> Passphrase: *************"));
  shell.Type(kEscKey);  // a lone Esc: Cancel, after the escape-sequence wait
  REQUIRE(shell.WaitFor("\x1b[7;1H> EXPORT_KEYSTORE", 2));
  shell.Type(kEscKey);
  REQUIRE(shell.WaitFor("\x1b[3;1H> CERTIFICATE_MANAGEMENT", 2));
  shell.Type(kDown);
  REQUIRE(shell.WaitFor("\x1b[4;1H> EXIT"));
  shell.Type(kEnter);
  CHECK(shell.Exit() == 0);
  const auto& t = shell.transcript();
  INFO(t);
  CHECK_FALSE(Has(t, "hunter2secret"));
  CHECK_FALSE(Has(t, "!~!~"));
  CHECK_FALSE(Has(t, "\n"));  // raw mode: rows are placed by cursor moves, no LF is sent or translated
  CHECK(Has(t, "Subject Name: CN=sns1.example.com"));
}

}  // namespace pkiform::simtest
