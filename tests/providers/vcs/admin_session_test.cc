// The admin xACLI session on scripted PTY transcripts: `echo off` first and the banner
// checked, answers framed by the `OK` line, refusals named by their rule, and hostile shells
// (no `OK`, a flood, control bytes, a closed channel).
#include "providers/vcs/admin_session.h"

#include <catch2/catch.hpp>

#include "tests/providers/vcs/fake_terminal.h"
#include "tests/providers/vcs/vcs_transcripts.h"
#include "tests/support/must.h"

using namespace pkiform;
using namespace pkiform::vcs;
using namespace pkiform::vcstest;
using pkiform::testing::Must;

namespace {

const std::string kPeer = "vcs1.example.com (127.0.0.1:22)";

std::map<std::string, std::string> Contract() {
  return {{"echo off", "OK\r\n"},
          {"xStatus SystemUnit", kSystemUnit},
          {"xConfiguration Alternates", kAlternates},
          {"xConfiguration Certificates CRL Automatic", kCrlAutomatic},
          {"xConfiguration SIP TLS CertificateRevocationChecking", kSipTls},
          {"xConfiguration Certificates CRL Automatic UpdateTime: \"04:15\"", "OK\r\n"},
          {"xConfiguration SIP TLS CertificateRevocationChecking Mode: On", "OK\r\n"},
          {"xCommand Certificates CSR Discard", "*r CertificatesCSRDiscardResult (status=OK):\r\n*r/end\r\nOK\r\n"},
          {"xCommand Restart", kUnknownCommand}};
}

std::unique_ptr<AdminSession> Start(std::map<std::string, std::string> answers, std::vector<std::string>* typed,
                                    std::string banner = kBanner) {
  auto term = std::make_unique<FakeTerminal>(std::move(banner), std::move(answers), typed);
  return Must(AdminSession::Start(std::move(term), TheDialect(), kPeer));
}

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("vcs admin: echo off first, then the observation reads in one command each", "[vcs]") {
  std::vector<std::string> typed;
  auto admin = Start(Contract(), &typed);
  REQUIRE(typed == std::vector<std::string>{"echo off"});
  auto unit = Must(admin->ReadSystemUnit());
  CHECK(unit.version == "X8.1.1");
  CHECK(Must(admin->ReadAlternates()).peers.size() == 2);
  CHECK(Must(admin->ReadCrlAutomatic()).update_time == "03:30");
  CHECK(Must(admin->ReadSipTlsRevocation()).crl);
  CHECK(admin->commands_sent() == 5);  // the contract's round trips: echo off + 4 reads
  CHECK(typed.back() == "xConfiguration SIP TLS CertificateRevocationChecking");
}

TEST_CASE("vcs admin: reads typed ahead in one write give the answers of one at a time", "[vcs][P5]") {
  std::vector<std::string> reads = {"xStatus SystemUnit", "xConfiguration Alternates",
                                    "xConfiguration Certificates CRL Automatic",
                                    "xConfiguration SIP TLS CertificateRevocationChecking"};
  std::vector<std::string> one_by_one;
  {
    auto admin = Start(Contract(), nullptr);
    for (const auto& r : reads) one_by_one.push_back(Must(admin->Run(r)));
  }
  auto term = std::make_unique<FakeTerminal>(kBanner, Contract(), nullptr);
  FakeTerminal* t = term.get();
  auto admin = Must(AdminSession::Start(std::move(term), TheDialect(), kPeer));
  REQUIRE(admin->Prefetch(reads).ok());
  CHECK(t->writes == 2);  // echo off, then the four reads together
  CHECK(admin->round_trips() == 2);
  CHECK(admin->commands_sent() == 5);
  for (size_t i = 0; i < reads.size(); ++i) {
    INFO(reads[i]);
    CHECK(Must(admin->Run(reads[i])) == one_by_one[i]);
  }
  CHECK(Must(admin->ReadAlternates()).peers.size() == 2);  // taken once: this one is typed again
  CHECK(t->writes == 3);
  CHECK(admin->round_trips() == 3);
}

TEST_CASE("vcs admin: a write drops the reads typed ahead, so none is stale", "[vcs][P5]") {
  auto term = std::make_unique<FakeTerminal>(kBanner, Contract(), nullptr);
  FakeTerminal* t = term.get();
  auto admin = Must(AdminSession::Start(std::move(term), TheDialect(), kPeer));
  REQUIRE(admin->Prefetch({"xConfiguration Certificates CRL Automatic"}).ok());
  REQUIRE(admin->Configure("Certificates CRL Automatic", "UpdateTime", "04:15", true).ok());
  const int writes = t->writes;
  CHECK(Must(admin->ReadCrlAutomatic()).update_time == "03:30");
  CHECK(t->writes == writes + 1);  // read again from the shell, not from what was kept
}

TEST_CASE("vcs admin: an answer is the text before the OK line, without the echo", "[vcs]") {
  auto admin = Start(Contract(), nullptr);
  auto answer = Must(admin->Run("xStatus SystemUnit"));
  CHECK(answer.rfind("*s SystemUnit: /\n", 0) == 0);
  CHECK(answer.size() >= 7);
  CHECK(answer.substr(answer.size() - 7) == "*s/end\n");
  CHECK_FALSE(Has(answer, "OK"));
  CHECK_FALSE(Has(answer, "\r"));
}

TEST_CASE("vcs admin: settings writes are typed as the dialect says and answer OK alone", "[vcs][rule:V10][rule:V13]") {
  std::vector<std::string> typed;
  auto admin = Start(Contract(), &typed);
  pkiform::testing::MustOk(admin->Configure("Certificates CRL Automatic", "UpdateTime", "04:15", true));
  pkiform::testing::MustOk(admin->Configure("SIP TLS CertificateRevocationChecking", "Mode", "On", false));
  CHECK(typed[1] == "xConfiguration Certificates CRL Automatic UpdateTime: \"04:15\"");
  CHECK(typed[2] == "xConfiguration SIP TLS CertificateRevocationChecking Mode: On");
  // Values that cannot be typed are refused before anything is sent.
  CHECK_FALSE(admin->Configure("SIP TLS CertificateRevocationChecking", "Mode", "On\nxCommand Restart", false).ok());
  CHECK_FALSE(admin->Configure("SIP TLS CertificateRevocationChecking", "Mode", "O n", false).ok());
  CHECK_FALSE(admin->Configure("Certificates CRL Automatic", "DistributionPoints", "a\"b", true).ok());
  CHECK(typed.size() == 3);
}

TEST_CASE("vcs admin: xCommands are filled from the dialect and their results checked", "[vcs][rule:V4]") {
  auto answers = Contract();
  const auto& d = TheDialect();
  const std::string generate =
      "xCommand Certificates CSR Generate CommonName: \"vcs1.example.com\" AlternativeNames: "
      "\"vcs1.example.com,vcs.example.com\" Organization: \"Example\" OrganizationalUnit: \"\" Locality: \"Oslo\" "
      "State: \"Oslo\" Country: \"NO\" KeyLength: 2048";
  answers[generate] = kCsrPending;
  std::vector<std::string> typed;
  auto admin = Start(answers, &typed);
  std::map<std::string, std::string> values = {{"commonName", "vcs1.example.com"},
                                               {"alternativeNames", "vcs1.example.com,vcs.example.com"},
                                               {"organization", "Example"},
                                               {"organizationalUnit", ""},
                                               {"locality", "Oslo"},
                                               {"state", "Oslo"},
                                               {"country", "NO"},
                                               {"keyLength", "2048"}};
  auto refused = admin->Command(d.commands.csr_generate, values);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().rule() == "V4");
  CHECK(Has(refused.status().message(), kPeer));
  CHECK(typed.back() == generate);
  // Discard, as the refusal says, succeeds.
  auto discarded = Must(admin->Command(d.commands.csr_discard));
  CHECK(discarded.name == "CertificatesCSRDiscardResult");
  // A value with a quote never reaches the shell.
  values["organization"] = "Ex\"ample";
  const size_t before = typed.size();
  CHECK_FALSE(admin->Command(d.commands.csr_generate, values).ok());
  CHECK(typed.size() == before);
  // A placeholder the caller forgot is an error, not a literal "{file}" typed.
  CHECK_FALSE(admin->Command(d.commands.ca_append, {}).ok());
  CHECK(typed.size() == before);
}

TEST_CASE("vcs admin: a refused read is an error quoting the reason", "[vcs]") {
  auto answers = Contract();
  answers["xStatus SystemUnit"] = kUnknownCommand;
  auto admin = Start(answers, nullptr);
  auto unit = admin->ReadSystemUnit();
  REQUIRE_FALSE(unit.ok());
  CHECK(Has(unit.status().message(), "Unknown command"));
  CHECK(Has(unit.status().message(), "xStatus SystemUnit"));
}

TEST_CASE("vcs admin: a shell without the VCS banner is refused", "[vcs]") {
  auto term = std::make_unique<FakeTerminal>("Welcome to something else\r\n", Contract(), nullptr);
  auto admin = AdminSession::Start(std::move(term), TheDialect(), kPeer);
  REQUIRE_FALSE(admin.ok());
  CHECK(Has(admin.status().message(), "not a VCS admin shell"));
}

TEST_CASE("vcs admin: hostile shells: no OK, a flood, control bytes, a closed channel", "[vcs]") {
  SECTION("an answer without OK times out and names the command") {
    auto answers = Contract();
    answers["xStatus SystemUnit"] = "*s SystemUnit: /\r\n*s/end\r\n";
    auto admin = Start(answers, nullptr);
    auto r = admin->Run("xStatus SystemUnit");
    REQUIRE_FALSE(r.ok());
    CHECK(Has(r.status().message(), "xStatus SystemUnit"));
    CHECK(Has(r.status().message(), "timed out"));
  }
  SECTION("OK inside a line is not the end of the answer") {
    auto answers = Contract();
    answers["xStatus SystemUnit"] = "*s SystemUnit Product: \"OK\"\r\nNOT OK\r\nOK \r\n";
    auto admin = Start(answers, nullptr);
    auto r = Must(admin->Run("xStatus SystemUnit"));
    CHECK(r == "*s SystemUnit Product: \"OK\"\nNOT OK\n");
  }
  SECTION("a flood without OK is bounded") {
    auto answers = Contract();
    answers["xStatus SystemUnit"] = std::string(TheDialect().admin.max_output_bytes + 10, 'x') + "\r\nOK\r\n";
    auto admin = Start(answers, nullptr);
    auto r = admin->Run("xStatus SystemUnit");
    REQUIRE_FALSE(r.ok());
    CHECK(Has(r.status().message(), "bytes of output"));
  }
  SECTION("a huge line with control bytes is cleaned, and parsing stays bounded") {
    auto answers = Contract();
    answers["xStatus SystemUnit"] = std::string("\x1b[2J*s SystemUnit Product: \"A\x07") + std::string(200000, 'y') +
                                    "\"\r\n*s SystemUnit Software Version: \"X8.1.1\"\r\n"
                                    "*s SystemUnit Software Build: \"1\x1b[0m\"\r\nOK\r\n";
    auto admin = Start(answers, nullptr);
    auto unit = Must(admin->ReadSystemUnit());
    CHECK(unit.product.size() == 200001);
    CHECK(unit.product.find('\x07') == std::string::npos);
    CHECK(unit.build == "1");
  }
  SECTION("a closed channel is an error") {
    auto term = std::make_unique<FakeTerminal>(kBanner, Contract(), nullptr);
    FakeTerminal* raw = term.get();
    auto admin = Must(AdminSession::Start(std::move(term), TheDialect(), kPeer));
    raw->Close();
    auto r = admin->Run("xStatus SystemUnit");
    REQUIRE_FALSE(r.ok());
    CHECK(Has(r.status().message(), "closed"));
  }
  SECTION("no answer to echo off: start-up fails and says so") {
    auto answers = Contract();
    answers.erase("echo off");
    auto term = std::make_unique<FakeTerminal>(kBanner, answers, nullptr);
    auto admin = AdminSession::Start(std::move(term), TheDialect(), kPeer);
    REQUIRE_FALSE(admin.ok());
    CHECK(Has(admin.status().message(), "waiting for the admin shell to start"));
  }
}
