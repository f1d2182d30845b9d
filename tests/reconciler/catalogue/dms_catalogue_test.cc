// The DMS Show and Share catalogue against seed 000 (rules D1..D9, D13).
#include "tests/reconciler/catalogue/catalogue_test_util.h"

namespace pkiform::catalogue {
namespace {

using namespace testing;
using Phase = FollowUpSpec::Phase;

TEST_CASE("dms imports PEM only", "[catalogue][rule:D1]") {
  const PlatformLimits& l = Platform("dms").limits;
  CHECK(l.certificate_formats == std::vector<CertificateFormat>{CertificateFormat::kPem});
  CHECK_FALSE(l.Accepts(CertificateFormat::kDer));
  CHECK_FALSE(l.Accepts(CertificateFormat::kPkcs7Pem));
}

TEST_CASE("dms wants one certificate per file, no trailing blank lines", "[catalogue][rule:D5][rule:D2]") {
  const PlatformLimits& l = Platform("dms").limits;
  CHECK(l.one_certificate_per_file);
  CHECK(l.no_trailing_blank_lines);
  CHECK(Slot(Platform("dms"), "identity").chain_delivery == ChainDelivery::kWithIdentity);
}

TEST_CASE("dms self-signed validity is 1 to 999 months", "[catalogue][rule:D8]") {
  const PlatformLimits& l = Platform("dms").limits;
  CHECK(l.self_signed_validity_unit == "months");
  CHECK(l.self_signed_validity_min == 1);
  CHECK(l.self_signed_validity_max == 999);
  CHECK(Platform("ucm").limits.self_signed_validity_unit.empty());
}

TEST_CASE("dms subject: CN required, no wildcard CN, forbidden characters in OU O L ST C",
          "[catalogue][rule:D3][rule:D4][rule:D6]") {
  const PlatformLimits& l = Platform("dms").limits;
  CHECK(l.wildcards == Wildcards::kRefusedInCn);
  CHECK(l.require_cn);
  CHECK(AsSet(std::vector<char>(l.forbidden_subject_characters.begin(),
                                l.forbidden_subject_characters.end())) ==
        std::set<char>{',', '+', '=', '"', '\'', '`', '\\', '<', '>', '#', ';'});
  CHECK(l.forbidden_subject_characters.size() == 11);
  CHECK(l.forbidden_in_fields == std::vector<std::string>{"OU", "O", "L", "ST", "C"});
}

TEST_CASE("dms country comes from the IANA table", "[catalogue][rule:D7]") {
  CHECK(Platform("dms").limits.country_from_iana_table);
  CHECK_FALSE(Platform("vcs").limits.country_from_iana_table);
}

TEST_CASE("dms: pair the appliances again after the identity changes", "[catalogue][rule:D13]") {
  const PlatformCatalogue& dms = Platform("dms");
  for (auto kind : {ChangeKind::kInstall, ChangeKind::kRegenerate, ChangeKind::kRestore}) {
    const auto after = dms.FollowUpsFor("identity", kind, Phase::kAfter, {});
    REQUIRE(after.size() == 1);
    CHECK(after[0]->id == "pair-appliances");
    CHECK(after[0]->text.find("Pair") != std::string::npos);
    CHECK(after[0]->rules == std::vector<std::string>{"D13"});
  }
  CHECK(dms.RestartsFor("identity").empty());
}

TEST_CASE("dms: back the keystore up before an import, which overwrites all identities",
          "[catalogue][rule:D9]") {
  const PlatformCatalogue& dms = Platform("dms");
  CHECK(FollowUpIds(dms.FollowUpsFor("identity", ChangeKind::kInstall, Phase::kBefore, {})) ==
        std::set<std::string>{"backup-keystore"});
  CHECK(dms.FollowUpsFor("identity", ChangeKind::kRegenerate, Phase::kBefore, {}).empty());
}

}  // namespace
}  // namespace pkiform::catalogue
