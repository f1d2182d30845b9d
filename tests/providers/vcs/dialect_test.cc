// The vcs-cli dialect: the embedded file loads, and the reader is strict (an unknown key, a
// missing key, a wrong type or an empty marker is an error naming its path).
#include "providers/vcs/dialect.h"

#include <catch2/catch.hpp>

#include "providers/vcs/xacli_text.h"
#include "reconciler/util/embedded.h"
#include "tests/providers/vcs/vcs_transcripts.h"

using namespace pkiform;

namespace {

std::string BuiltinText() {
  auto text = EmbeddedFile("schema/dialects/vcs-cli.yaml");
  REQUIRE(text.has_value());
  return std::string(*text);
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

std::string ErrorOf(const std::string& text) {
  auto d = vcs::ParseDialect("vcs-cli.yaml", text);
  REQUIRE_FALSE(d.ok());
  return d.status().message();
}

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("vcs dialect: the built-in file loads with the contract's words", "[vcs]") {
  const auto& d = vcstest::TheDialect();
  CHECK(d.admin.echo_off == "echo off");
  CHECK(d.admin.answer_end == "OK");
  CHECK(d.system_unit.send == "xStatus SystemUnit");
  CHECK(d.configuration.alternates.peers == 6);
  CHECK(d.commands.csr_discard.send == "xCommand Certificates CSR Discard");
  CHECK(d.commands.restart.result == "RestartResult");
  CHECK(d.root.Files() == std::vector<std::string>{"/tandberg/persistent/certs/server.pem",
                                                   "/tandberg/persistent/certs/ca.pem",
                                                   "/tandberg/persistent/certs/generated_csr/csr.pem",
                                                   "/tandberg/persistent/certs/crl/manual.pem"});
  CHECK(d.root.staging_dir == "/tmp/pkiform");
  CHECK(d.temporary_ca_prefix == "Temporary CA ");
  CHECK(vcs::RuleOfReason("Only one signing request can be in progress at any one time.", d) == "V4");
  CHECK(vcs::RuleOfReason("The server private key must not be password protected", d) == "V8");
}

TEST_CASE("vcs dialect: an unknown key is an error with its path", "[vcs]") {
  auto text = Replace(BuiltinText(), "  echoOff: \"echo off\"", "  echoOff: \"echo off\"\n  echoOf: x");
  CHECK(Has(ErrorOf(text), "admin.echoOf"));
}

TEST_CASE("vcs dialect: a missing key is an error with its path", "[vcs]") {
  auto text = Replace(BuiltinText(), "    crl: \"/tandberg/persistent/certs/crl/manual.pem\"\n", "");
  CHECK(Has(ErrorOf(text), "root.files.crl"));
  auto no_prefix = Replace(BuiltinText(), "  issuerCnPrefix: \"Temporary CA \"\n", "  {}\n");
  CHECK_FALSE(vcs::ParseDialect("x", no_prefix).ok());
}

TEST_CASE("vcs dialect: an empty marker, a bad limit or a wrong dialect name is an error", "[vcs]") {
  CHECK(Has(ErrorOf(Replace(BuiltinText(), "answerEnd: \"OK\"", "answerEnd: \"\"")), "admin.answerEnd"));
  CHECK(Has(ErrorOf(Replace(BuiltinText(), "maxOutputBytes: 1048576", "maxOutputBytes: 0")), "admin.maxOutputBytes"));
  CHECK(Has(ErrorOf(Replace(BuiltinText(), "dialect: vcs-cli", "dialect: ucm-cli")), "dialect"));
  CHECK(
      Has(ErrorOf(Replace(BuiltinText(), "stagingDir: \"/tmp/pkiform\"", "stagingDir: \"tmp/\"")), "root.stagingDir"));
  CHECK(Has(ErrorOf(Replace(BuiltinText(), "peers: 6", "peers: [6]")), "configuration.alternates.peers"));
  // Typed ahead past the PTY's line buffer, bytes would be lost; a missing limit is no default.
  CHECK(Has(ErrorOf(Replace(BuiltinText(), "typeAheadBytes: 2048", "typeAheadBytes: 4096")), "admin.typeAheadBytes"));
  CHECK(Has(ErrorOf(Replace(BuiltinText(), "  typeAheadBytes: 2048\n", "")), "admin.typeAheadBytes"));
  CHECK(vcs::ParseDialect("x", Replace(BuiltinText(), "typeAheadBytes: 2048", "typeAheadBytes: 0")).ok());
}
