// The two vcs sessions over a real sshd (loopback), the simulator not being ready: a POSIX sh
// script, run as sshd's ForceCommand, plays the contract's admin shell on a PTY (banner, no
// prompt, answers ending in `OK`) and the root account's exec commands (tail of the four files,
// mkdir, `cat >` with the bytes on stdin, which it keeps in its own folder). This checks what
// the scripted transcripts cannot: the PTY's echo and CRLF, and the bytes of a staged key as
// they arrive through a real exec channel (V15).
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "providers/vcs/admin_session.h"
#include "providers/vcs/root_shell.h"
#include "tests/providers/vcs/vcs_transcripts.h"
#include "tests/support/must.h"
#include "tests/support/sshd_harness.h"
#include "tests/support/temp_dir.h"

using namespace pkiform;
using pkiform::testing::Must;
using pkiform::testing::MustOk;

namespace {

// The contract's words only; anything else is `Unknown command` (admin) or exit 127 (root).
const char* const kScript = R"SH(#!/bin/sh
data="$(dirname "$0")/staged"
certs=/tandberg/persistent/certs
if [ -n "$SSH_ORIGINAL_COMMAND" ]; then
  case "$SSH_ORIGINAL_COMMAND" in
    "mkdir -p /tmp/pkiform") exit 0 ;;
    "cat > /tmp/pkiform/"*) cat > "$data/${SSH_ORIGINAL_COMMAND#cat > /tmp/pkiform/}"; exit 0 ;;
    "tail -n +1 $certs/server.pem $certs/ca.pem $certs/generated_csr/csr.pem $certs/crl/manual.pem")
      printf '==> %s <==\nSERVER\n\n==> %s <==\nCA\n' "$certs/server.pem" "$certs/ca.pem"
      echo "tail: cannot open '$certs/generated_csr/csr.pem' for reading: No such file or directory" >&2
      echo "tail: cannot open '$certs/crl/manual.pem' for reading: No such file or directory" >&2
      exit 1 ;;
    *) echo "sh: ${SSH_ORIGINAL_COMMAND%% *}: not found" >&2; exit 127 ;;
  esac
fi
printf 'TANDBERG Video Communication Server X8.1.1\r\n\r\n'
while IFS= read -r line; do
  case "$line" in
    "echo off") ;;
    "xStatus SystemUnit")
      printf '*s SystemUnit: /\r\n*s SystemUnit Product: "TANDBERG VCS"\r\n'
      printf '*s SystemUnit Software Version: "X8.1.1"\r\n*s SystemUnit Software Build: "356551"\r\n*s/end\r\n' ;;
    "xCommand Certificates CSR Discard")
      printf '*r CertificatesCSRDiscardResult (status=Error):\r\n'
      printf '    Reason: No certificate signing request is in progress\r\n*r/end\r\n' ;;
    bye) exit 0 ;;
    *) printf '*r CommandResult (status=Error):\r\n    Reason: Unknown command\r\n*r/end\r\n' ;;
  esac
  printf 'OK\r\n'
done
)SH";

struct FakeVcs {
  testing::TempDir dir;
  std::string script;
  std::unique_ptr<testing::SshdHarness> sshd;

  FakeVcs() {
    namespace fs = std::filesystem;
    script = dir.Write("vcs-shell", kScript);
    fs::create_directories(dir.path() / "staged");
    // sshd runs the script as its (unprivileged) login user.
    fs::permissions(dir.path(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                    fs::perms::others_read | fs::perms::others_exec);
    fs::permissions(script, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                fs::perms::others_read | fs::perms::others_exec);
    fs::permissions(dir.path() / "staged", fs::perms::all);
    sshd = Must(testing::SshdHarness::StartWithForceCommand("/bin/sh " + script));
  }

  std::unique_ptr<ssh::SshSession> Connect() const { return Must(ssh::SshSession::Connect(sshd->Target())); }

  std::string Staged(const std::string& name) const {
    std::ifstream in(dir.path() / "staged" / name, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
};

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("vcs over ssh: the admin shell on a PTY: echo off, a read, refusals with their rule", "[vcs][rule:V4]") {
  FakeVcs vcs;
  auto session = vcs.Connect();
  auto admin = Must(vcs::AdminSession::Open(*session, vcstest::TheDialect()));
  auto unit = Must(admin->ReadSystemUnit());
  CHECK(unit.product == "TANDBERG VCS");
  CHECK(unit.version == "X8.1.1");
  CHECK(unit.build == "356551");
  auto discard = admin->Command(vcstest::TheDialect().commands.csr_discard);
  REQUIRE_FALSE(discard.ok());
  CHECK(discard.status().rule() == "V4");
  auto unknown = admin->Run("xStatus Nothing");
  REQUIRE_FALSE(unknown.ok());
  CHECK(Has(unknown.status().message(), "Unknown command"));
  // Still in step after refusals.
  CHECK(Must(admin->ReadSystemUnit()).build == "356551");
  CHECK(admin->commands_sent() == 5);
}

TEST_CASE("vcs over ssh: root exec reads the files and stages a key ending in one newline", "[vcs][rule:V15]") {
  FakeVcs vcs;
  auto session = vcs.Connect();
  vcs::SshRootChannel channel(*session);
  vcs::RootShell root(channel, vcstest::TheDialect());
  auto files = Must(root.ReadFiles());
  CHECK(files[0].content == std::optional<std::string>("SERVER\n"));
  CHECK(files[1].content == std::optional<std::string>("CA\n"));
  CHECK_FALSE(files[2].content.has_value());
  MustOk(root.MakeStagingDir());
  const std::string key = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----";
  CHECK(Must(root.StageKey("server.key", pki::SecretString(std::string(key)))) == "/tmp/pkiform/server.key");
  CHECK(vcs.Staged("server.key") == key + "\n");
  CHECK(Must(root.Stage("ca.pem", "A\nB\n\n")) == "/tmp/pkiform/ca.pem");
  CHECK(vcs.Staged("ca.pem") == "A\nB\n\n");  // other files travel verbatim
  auto refused = root.Remove({"ca.pem"});     // not in the script: exit 127
  REQUIRE_FALSE(refused.ok());
  CHECK(Has(refused.message(), "exited with 127"));
}
