// The VCS settings table: catalogue names read from the xACLI and written back (V10, V13).
#include "providers/vcs/vcs_settings.h"

#include <catch2/catch.hpp>

#include "providers/cli/terminal_text.h"
#include "reconciler/catalogue/catalogue.h"
#include "tests/providers/vcs/vcs_transcripts.h"
#include "tests/support/must.h"

using namespace pkiform;
using namespace pkiform::vcs;
using pkiform::testing::Must;
using vcstest::TheDialect;

TEST_CASE("vcs: CRL automatic update readings become the catalogue's settings", "[vcs][rule:V10]") {
  auto crl = Must(ParseCrlAutomatic(cli::CleanOutput(vcstest::kCrlAutomatic), TheDialect()));
  auto s = SettingsOf(crl);
  CHECK(s.at("crl.automaticUpdates") == "true");
  CHECK(s.at("crl.distributionPoints").find("http://crl.example.com/a.crl ") == 0);
  CHECK(s.at("crl.dailyUpdateTime") == "03:30");
}

TEST_CASE("vcs: SIP TLS revocation readings become the catalogue's settings", "[vcs][rule:V13]") {
  auto sip = Must(ParseSipTlsRevocation(cli::CleanOutput(vcstest::kSipTls), TheDialect()));
  auto s = SettingsOf(sip);
  CHECK(s.at("sipTls.enabled") == "true");
  CHECK(s.at("sipTls.useOcsp") == "false");
  CHECK(s.at("sipTls.useCrls") == "true");
  CHECK(s.at("sipTls.allowCdpDownloads") == "true");
  CHECK(s.at("sipTls.fallback") == "treat-as-not-revoked");
}

TEST_CASE("vcs: every catalogue setting has its xConfiguration write", "[vcs][rule:V10][rule:V13]") {
  const auto* platform = catalogue::BuiltinCatalogue()->Find("vcs");
  REQUIRE(platform != nullptr);
  REQUIRE(platform->settings.size() == 8);
  for (const auto& spec : platform->settings) {
    const std::string value = spec.name == "crl.distributionPoints" ? "http://a.example.com/a.crl"
                              : spec.name == "crl.dailyUpdateTime"  ? "02:30"
                              : spec.name == "sipTls.fallback"      ? "treat-as-revoked"
                                                                    : "true";
    INFO(spec.name);
    CHECK(SettingToWrite(spec.name, value, TheDialect()).ok());
  }
  auto fallback = Must(SettingToWrite("sipTls.fallback", "treat-as-revoked", TheDialect()));
  CHECK(fallback.path == "SIP TLS CertificateRevocationChecking");
  CHECK(fallback.leaf == "FallbackBehavior");
  CHECK(fallback.value == "Revoked");
  CHECK_FALSE(fallback.quoted);
  auto mode = Must(SettingToWrite("crl.automaticUpdates", "false", TheDialect()));
  CHECK(mode.path == "Certificates CRL Automatic");
  CHECK(mode.leaf == "Mode");
  CHECK(mode.value == "Off");
  auto points = Must(SettingToWrite("crl.distributionPoints", "http://a/x.crl http://b/y.crl", TheDialect()));
  CHECK(points.quoted);
  CHECK(points.value == "http://a/x.crl http://b/y.crl");
}

TEST_CASE("vcs: a setting the VCS has no leaf or word for is refused before anything is typed", "[vcs]") {
  CHECK_FALSE(SettingToWrite("ocsp.enabled", "true", TheDialect()).ok());
  CHECK_FALSE(SettingToWrite("sipTls.enabled", "yes", TheDialect()).ok());
  CHECK_FALSE(SettingToWrite("sipTls.fallback", "Revoked", TheDialect()).ok());
  CHECK(SettingToWrite("sipTls.fallback", "drop", TheDialect()).status().rule() == "V13");
}
