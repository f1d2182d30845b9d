// CRL freshness and signatures in the status report (reconciler/status/crl_check.h):
// the V12 warning before nextUpdate passes and once it has, the signature checked
// against the issuers' CAs, and unreadable files reported rather than thrown.
#include <catch2/catch.hpp>

#include "reconciler/status/crl_check.h"
#include "tests/reconciler/status/status_fixture.h"

using namespace pkiform;
using namespace pkiform::statustest;

TEST_CASE("status crl: nextUpdate past or within the margin warns (V12), later does not", "[status][rule:V12]") {
  auto ca = TestCa::Make("Corp CA");
  std::vector<status::CrlSigner> signers{{"corp-ca", ca.cert}};
  const auto margin = std::chrono::duration_cast<std::chrono::seconds>(status::kCrlWarnMargin);

  auto fresh = status::CheckCrlFile(ca.CrlPem(30), "uploaded", "/etc/crl.pem", signers, Now(), margin);
  REQUIRE(fresh.size() == 1);
  CHECK(fresh[0].warning.empty());
  CHECK(fresh[0].signature_ok);
  CHECK(fresh[0].issuer == "corp-ca");
  CHECK(fresh[0].crl_issuer == "CN=Corp CA");

  auto soon = status::CheckCrlFile(ca.CrlPem(3), "uploaded", "/etc/crl.pem", signers, Now(), margin);
  REQUIRE(soon.size() == 1);
  CHECK(soon[0].warning == "nextUpdate 2027-01-04 is within 7d (V12)");

  // nextUpdate before now: already stale.
  auto stale = status::CheckCrlFile(
      testing::Must(pki::CreateCrl(ca.cert, ca.key, {}, Now() - Days(20), Now() - Days(2))).ToPem(), "uploaded", "x",
      signers, Now(), margin);
  REQUIRE(stale.size() == 1);
  CHECK(stale[0].warning.find("has passed") != std::string::npos);
  CHECK(stale[0].warning.find("(V12)") != std::string::npos);
}

TEST_CASE("status crl: a CRL no issuer signed, several CRLs in one file, garbage", "[status]") {
  auto ca = TestCa::Make("Corp CA");
  auto other = TestCa::Make("Other CA");
  std::vector<status::CrlSigner> signers{{"corp-ca", ca.cert}};
  const std::chrono::seconds margin{0};

  auto foreign = status::CheckCrlFile(other.CrlPem(30), "distribution point", "http://x/", signers, Now(), margin);
  REQUIRE(foreign.size() == 1);
  CHECK_FALSE(foreign[0].signature_ok);
  CHECK(foreign[0].issuer.empty());
  CHECK(foreign[0].error.empty());

  auto both = status::CheckCrlFile(ca.CrlPem(30) + other.CrlPem(40), "uploaded", "/crl", signers, Now(), margin);
  REQUIRE(both.size() == 2);
  CHECK(both[0].signature_ok);
  CHECK_FALSE(both[1].signature_ok);
  CHECK(status::DateOrDash(both[1].next_update) == "2027-02-10");

  auto bad = status::CheckCrlFile("not a CRL\x1b[2J", "uploaded", "/crl", signers, Now(), margin);
  REQUIRE(bad.size() == 1);
  CHECK_FALSE(bad[0].error.empty());
  CHECK_FALSE(bad[0].signature_ok);
}
