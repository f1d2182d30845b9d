// Parsers of xACLI answers on the contract's transcripts, and on hostile ones.
#include "providers/vcs/xacli_text.h"

#include <catch2/catch.hpp>

#include "providers/cli/terminal_text.h"
#include "tests/providers/vcs/vcs_transcripts.h"
#include "tests/support/must.h"

using namespace pkiform;
using namespace pkiform::vcs;
using pkiform::testing::Must;
using vcstest::TheDialect;

namespace {

std::string Clean(const char* raw) { return cli::CleanOutput(raw); }
bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("vcs: xStatus SystemUnit gives product, version and build", "[vcs]") {
  auto unit = Must(ParseSystemUnit(Clean(vcstest::kSystemUnit), TheDialect()));
  CHECK(unit.product == "TANDBERG VCS");
  CHECK(unit.version == "X8.1.1");
  CHECK(unit.build == "356551");
}

TEST_CASE("vcs: a SystemUnit answer without a leaf, or with one twice, is an error", "[vcs]") {
  auto missing = ParseSystemUnit("*s SystemUnit Product: \"TANDBERG VCS\"\n*s/end\n", TheDialect());
  REQUIRE_FALSE(missing.ok());
  CHECK(Has(missing.status().message(), "Software Version"));
  auto twice = ParseSystemUnit(Clean(vcstest::kSystemUnit) + "*s SystemUnit Product: \"Other\"\n", TheDialect());
  REQUIRE_FALSE(twice.ok());
  CHECK(Has(twice.status().message(), "twice"));
  auto broken = ParseSystemUnit("*s SystemUnit Product: \"TANDBERG VCS\n", TheDialect());
  CHECK_FALSE(broken.ok());
}

TEST_CASE("vcs: xConfiguration Alternates gives the cluster name and the set peers", "[vcs]") {
  auto alt = Must(ParseAlternates(Clean(vcstest::kAlternates), TheDialect()));
  CHECK(alt.cluster_name == "vcs.example.com");
  CHECK(alt.peers == std::vector<std::string>{"vcs1.example.com", "vcs2.example.com"});
  auto short_list = ParseAlternates("*c xConfiguration Alternates ClusterName: \"\"\n", TheDialect());
  REQUIRE_FALSE(short_list.ok());
  CHECK(Has(short_list.status().message(), "Peer 1 Address"));
}

TEST_CASE("vcs: CRL automatic update settings are typed", "[vcs][rule:V10]") {
  auto crl = Must(ParseCrlAutomatic(Clean(vcstest::kCrlAutomatic), TheDialect()));
  CHECK(crl.enabled);
  CHECK(crl.distribution_points ==
        std::vector<std::string>{"http://crl.example.com/a.crl", "https://crl.example.com/b.crl"});
  CHECK(crl.update_time == "03:30");
  auto factory =
      Must(ParseCrlAutomatic("*c xConfiguration Certificates CRL Automatic Mode: Off\n"
                             "*c xConfiguration Certificates CRL Automatic DistributionPoints: \"\"\n"
                             "*c xConfiguration Certificates CRL Automatic UpdateTime: \"01:00\"\n",
                             TheDialect()));
  CHECK_FALSE(factory.enabled);
  CHECK(factory.distribution_points.empty());
  for (const char* bad : {"24:00", "1:00", "12:60", "ab:cd", ""}) {
    std::string text = std::string(
                           "*c xConfiguration Certificates CRL Automatic Mode: Off\n"
                           "*c xConfiguration Certificates CRL Automatic DistributionPoints: \"\"\n"
                           "*c xConfiguration Certificates CRL Automatic UpdateTime: \"") +
                       bad + "\"\n";
    CHECK_FALSE(ParseCrlAutomatic(text, TheDialect()).ok());
  }
  auto mode = ParseCrlAutomatic("*c xConfiguration Certificates CRL Automatic Mode: \"On\"\n", TheDialect());
  CHECK_FALSE(mode.ok());  // a quoted enumeration is not the bare word
}

TEST_CASE("vcs: SIP TLS revocation settings are typed", "[vcs][rule:V13]") {
  auto sip = Must(ParseSipTlsRevocation(Clean(vcstest::kSipTls), TheDialect()));
  CHECK(sip.enabled);
  CHECK_FALSE(sip.ocsp);
  CHECK(sip.crl);
  CHECK(sip.cdp);
  CHECK_FALSE(sip.fallback_revoked);
  std::string revoked = Clean(vcstest::kSipTls);
  revoked.replace(revoked.find("NotRevoked"), 10, "Revoked");
  CHECK(Must(ParseSipTlsRevocation(revoked, TheDialect())).fallback_revoked);
  std::string odd = Clean(vcstest::kSipTls);
  odd.replace(odd.find("NotRevoked"), 10, "Maybe");
  CHECK_FALSE(ParseSipTlsRevocation(odd, TheDialect()).ok());
  std::string bad = Clean(vcstest::kSipTls);
  bad.replace(bad.find("OCSP: Off"), 9, "OCSP: off");  // values are case-sensitive
  CHECK_FALSE(ParseSipTlsRevocation(bad, TheDialect()).ok());
}

TEST_CASE("vcs: a command result gives its name, fields and status", "[vcs]") {
  auto r = Must(ParseCommandResult(Clean(vcstest::kCsrGenerated), TheDialect()));
  CHECK(r.ok);
  CHECK(r.name == "CertificatesCSRGenerateResult");
  CHECK(r.Field("Generated") == "Dec 06 2026");
  CHECK(CheckResult(r, "CertificatesCSRGenerateResult", TheDialect()).ok());
  CHECK_FALSE(CheckResult(r, "CertificatesCSRDiscardResult", TheDialect()).ok());
}

TEST_CASE("vcs: a CSR refused while one is pending is named V4", "[vcs][rule:V4]") {
  auto r = Must(ParseCommandResult(Clean(vcstest::kCsrPending), TheDialect()));
  CHECK_FALSE(r.ok);
  CHECK(Has(r.reason, "Only one signing request"));
  Status s = CheckResult(r, "CertificatesCSRGenerateResult", TheDialect());
  REQUIRE_FALSE(s.ok());
  CHECK(s.rule() == "V4");
  CHECK(Has(s.message(), "Only one signing request can be in progress"));
}

TEST_CASE("vcs: a key upload refused while a CSR is pending is named V8", "[vcs][rule:V8]") {
  auto r = Must(ParseCommandResult(Clean(vcstest::kKeyWhileCsr), TheDialect()));
  Status s = CheckResult(r, "CertificatesServerUploadResult", TheDialect());
  REQUIRE_FALSE(s.ok());
  CHECK(s.rule() == "V8");
}

TEST_CASE("vcs: an unknown command's refusal carries no rule", "[vcs]") {
  auto r = Must(ParseCommandResult(Clean(vcstest::kUnknownCommand), TheDialect()));
  Status s = CheckResult(r, "RestartResult", TheDialect());
  REQUIRE_FALSE(s.ok());
  CHECK(s.rule().empty());
  CHECK(Has(s.message(), "Unknown command"));
}

TEST_CASE("vcs: hostile command results are errors, not guesses", "[vcs]") {
  const auto& d = TheDialect();
  CHECK(ParseCommandResult("OK\n", d).status().code() == Status::Code::kNotFound);
  // Cut off: no *r/end.
  CHECK_FALSE(ParseCommandResult("*r RestartResult (status=OK):\n", d).ok());
  // Two results in one answer.
  CHECK_FALSE(ParseCommandResult("*r A (status=OK):\n*r/end\n*r B (status=OK):\n*r/end\n", d).ok());
  // An unknown status word.
  CHECK_FALSE(ParseCommandResult("*r A (status=Maybe):\n*r/end\n", d).ok());
  CHECK_FALSE(ParseCommandResult("*r A\n*r/end\n", d).ok());
  // A huge reason is quoted in part only.
  std::string huge = "*r A (status=Error):\n    Reason: " + std::string(100000, 'x') + "\n*r/end\n";
  auto r = Must(ParseCommandResult(huge, d));
  Status s = CheckResult(r, "A", d);
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().size() < 2000);
}

TEST_CASE("vcs: values typed between quotes are checked", "[vcs]") {
  CHECK(CheckQuotable("CommonName", "vcs1.example.com").ok());
  CHECK(CheckQuotable("AlternativeNames", "").ok());
  CHECK_FALSE(CheckQuotable("CommonName", "a\"b").ok());
  CHECK_FALSE(CheckQuotable("CommonName", "a\nxCommand Restart").ok());
  CHECK_FALSE(CheckQuotable("CommonName", std::string(3000, 'a')).ok());
}

TEST_CASE("vcs: ParseLeaves skips node lines and other prefixes", "[vcs]") {
  auto leaves =
      Must(ParseLeaves("*s SystemUnit: /\n*s SystemUnit Software: /\n*s SystemUnit Product: \"X\"\n"
                       "*s Other Product: \"Y\"\nnoise\n*s SystemUnit Uptime: 42\n",
                       "*s SystemUnit"));
  REQUIRE(leaves.size() == 2);
  CHECK(leaves[0].name == "Product");
  CHECK(leaves[0].quoted);
  CHECK(leaves[1].value == "42");
  CHECK_FALSE(leaves[1].quoted);
  CHECK_FALSE(ParseLeaves("*s SystemUnit Product: two words\n", "*s SystemUnit").ok());
  CHECK_FALSE(ParseLeaves("*s SystemUnit Product: \"a\"b\"\n", "*s SystemUnit").ok());
}
