// The root exec helper on a scripted channel: the dialect's exact command lines, file bytes
// on stdin only, keys ending in exactly one newline (V15) and never in a command line or a
// message, encrypted keys refused before they travel (V8), bounded reads.
#include "providers/vcs/root_shell.h"

#include <catch2/catch.hpp>

#include "tests/providers/vcs/fake_terminal.h"
#include "tests/providers/vcs/vcs_transcripts.h"
#include "tests/support/must.h"

using namespace pkiform;
using namespace pkiform::vcs;
using namespace pkiform::vcstest;
using pkiform::testing::Must;
using pkiform::testing::MustOk;

namespace {

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A key-shaped secret (the helper never parses it, only frames it).
const std::string kKeyBody =
    "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7SECRETSECRET\n"
    "-----END PRIVATE KEY-----";

pki::SecretString Secret(std::string text) { return pki::SecretString(std::move(text)); }

}  // namespace

TEST_CASE("vcs root: the four files are read with one tail", "[vcs]") {
  FakeRootChannel channel;
  channel.answer = [](const std::string&) -> Result<ssh::ExecResult> {
    return ssh::ExecResult{1,
                           "==> /tandberg/persistent/certs/server.pem <==\nS\n\n"
                           "==> /tandberg/persistent/certs/ca.pem <==\nC\n",
                           "tail: cannot open '/tandberg/persistent/certs/generated_csr/csr.pem' for reading: No such "
                           "file or directory\n"
                           "tail: cannot open '/tandberg/persistent/certs/crl/manual.pem' for reading: No such file or "
                           "directory\n"};
  };
  RootShell root(channel, TheDialect());
  auto files = Must(root.ReadFiles());
  REQUIRE(channel.calls.size() == 1);
  CHECK(channel.calls[0].command ==
        "tail -n +1 /tandberg/persistent/certs/server.pem /tandberg/persistent/certs/ca.pem "
        "/tandberg/persistent/certs/generated_csr/csr.pem /tandberg/persistent/certs/crl/manual.pem");
  CHECK(channel.calls[0].stdin_data.empty());
  CHECK(*files[0].content == "S\n");
  CHECK_FALSE(files[2].content.has_value());
  CHECK(root.commands_sent() == 1);
}

TEST_CASE("vcs root: an oversized read is refused", "[vcs]") {
  FakeRootChannel channel;
  const size_t limit = TheDialect().root.max_read_bytes;
  channel.answer = [limit](const std::string&) -> Result<ssh::ExecResult> {
    return ssh::ExecResult{0, std::string(limit + 1, 'x'), ""};
  };
  RootShell root(channel, TheDialect());
  auto files = root.ReadFiles();
  REQUIRE_FALSE(files.ok());
  CHECK(Has(files.status().message(), "bytes of output"));
}

TEST_CASE("vcs root: staging uses the dialect's commands with the bytes on stdin", "[vcs]") {
  FakeRootChannel channel;
  RootShell root(channel, TheDialect());
  MustOk(root.MakeStagingDir());
  auto path = Must(root.Stage("ca-1.pem", "PEM BYTES\n"));
  CHECK(path == "/tmp/pkiform/ca-1.pem");
  MustOk(root.Remove({"ca-1.pem", "server.pem"}));
  REQUIRE(channel.calls.size() == 3);
  CHECK(channel.calls[0].command == "mkdir -p /tmp/pkiform");
  CHECK(channel.calls[1].command == "cat > /tmp/pkiform/ca-1.pem");
  CHECK(channel.calls[1].stdin_data == "PEM BYTES\n");
  CHECK(channel.calls[2].command == "rm -f /tmp/pkiform/ca-1.pem /tmp/pkiform/server.pem");
}

TEST_CASE("vcs root: staging names and sizes are checked before anything is sent", "[vcs]") {
  FakeRootChannel channel;
  RootShell root(channel, TheDialect());
  for (const char* bad : {"", ".", "..", "../etc/passwd", "a b", "a;rm -rf /", "x/y", "k\n"})
    CHECK_FALSE(root.Stage(bad, "x").ok());
  CHECK_FALSE(root.Stage(std::string(65, 'a'), "x").ok());
  CHECK_FALSE(root.Remove({"ok.pem", "../x"}).ok());
  CHECK_FALSE(root.Stage("big.pem", std::string(TheDialect().root.max_staged_bytes + 1, 'x')).ok());
  CHECK(channel.calls.empty());
  CHECK(root.Stage(std::string(64, 'a'), "x").ok());
}

TEST_CASE("vcs root: a failed staging command is an error quoting stderr", "[vcs]") {
  FakeRootChannel channel;
  channel.answer = [](const std::string&) -> Result<ssh::ExecResult> {
    return ssh::ExecResult{1, "", "sh: write error: No space left on device\n"};
  };
  RootShell root(channel, TheDialect());
  auto r = root.Stage("c.pem", "x");
  REQUIRE_FALSE(r.ok());
  CHECK(Has(r.status().message(), "No space left on device"));
  CHECK(Has(r.status().message(), "exited with 1"));
  channel.answer = [](const std::string&) -> Result<ssh::ExecResult> { return Status::IoError("connection lost"); };
  CHECK_FALSE(root.MakeStagingDir().ok());
}

TEST_CASE("vcs root: a staged key ends in exactly one newline", "[vcs][rule:V15]") {
  for (const std::string& ending : {std::string(), std::string("\n"), std::string("\n\n\n"), std::string("\r\n")}) {
    FakeRootChannel channel;
    RootShell root(channel, TheDialect());
    auto path = Must(root.StageKey("server.key", Secret(kKeyBody + ending)));
    CHECK(path == "/tmp/pkiform/server.key");
    REQUIRE(channel.calls.size() == 1);
    CHECK(channel.calls[0].stdin_data == kKeyBody + "\n");
  }
  CHECK(KeyWithOneNewline(Secret("k")).str() == "k\n");
  CHECK(KeyWithOneNewline(Secret("")).str() == "\n");
}

TEST_CASE("vcs root: a key never appears in a command line or a message", "[vcs][rule:V15]") {
  FakeRootChannel channel;
  channel.answer = [](const std::string&) -> Result<ssh::ExecResult> {
    return ssh::ExecResult{1, "", "sh: write error: No space left on device\n"};
  };
  RootShell root(channel, TheDialect());
  auto r = root.StageKey("server.key", Secret(kKeyBody));
  REQUIRE_FALSE(r.ok());
  CHECK_FALSE(Has(r.status().message(), "SECRET"));
  REQUIRE(channel.calls.size() == 1);
  CHECK_FALSE(Has(channel.calls[0].command, "SECRET"));
  // An oversized key: refused without quoting it.
  auto big = root.StageKey("server.key", Secret(kKeyBody + std::string(300000, 'S')));
  REQUIRE_FALSE(big.ok());
  CHECK_FALSE(Has(big.status().message(), "SECRET"));
  CHECK(channel.calls.size() == 1);
}

TEST_CASE("vcs root: an encrypted key is refused before it travels", "[vcs][rule:V8]") {
  FakeRootChannel channel;
  RootShell root(channel, TheDialect());
  auto pkcs8 =
      root.StageKey("k", Secret("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n"));
  REQUIRE_FALSE(pkcs8.ok());
  CHECK(pkcs8.status().rule() == "V8");
  auto legacy = root.StageKey("k", Secret("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
                                          "DEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n"));
  REQUIRE_FALSE(legacy.ok());
  CHECK(legacy.status().rule() == "V8");
  CHECK(channel.calls.empty());
}
