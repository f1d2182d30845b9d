// UCM placement, restarts, trust stores, follow-ups and limits against seed 003
// (rules U4, U6, U10..U15, U18).
#include "tests/reconciler/catalogue/catalogue_test_util.h"

namespace pkiform::catalogue {
namespace {

using namespace testing;
using Phase = FollowUpSpec::Phase;

TEST_CASE("CAPF is publisher-only, other CSR purposes go on every node", "[catalogue][rule:U6]") {
  const PlatformCatalogue& ucm = Platform("ucm");
  CHECK(Slot(ucm, "CAPF").placement == Placement::kPublisher);
  for (const auto& s : ucm.slots) {
    INFO(s.name);
    if (s.csr && s.name != "CAPF") CHECK(s.placement == Placement::kEveryNode);
  }
}

TEST_CASE("CAPF and TVS restart nothing (Table 3: N/A)", "[catalogue][rule:U13]") {
  const PlatformCatalogue& ucm = Platform("ucm");
  for (const char* name : {"CAPF", "TVS"}) {
    INFO(name);
    const SlotSpec& s = Slot(ucm, name);
    CHECK(s.restarts_documented);
    CHECK(s.restarts.empty());
  }
}

TEST_CASE("tomcat restarts Cisco Tomcat, the Release 14 Tomcat services and TFTP", "[catalogue][rule:U13]") {
  const PlatformCatalogue& ucm = Platform("ucm");
  for (const char* name : {"tomcat", "tomcat-ECDSA"}) {
    INFO(name);
    CHECK(ServiceNames(ucm.RestartsFor(name, "unifiedCM", R("14"))) ==
          std::set<std::string>{"Cisco Tomcat", "Cisco DRF Local", "Cisco DRF Master", "Cisco UDS Tomcat",
                                "Cisco AXL Tomcat", "Cisco TFTP"});
    // No TFTP on IM and Presence; before Release 14 only Tomcat itself.
    CHECK(ServiceNames(ucm.RestartsFor(name, "imAndPresence", R("14"))).count("Cisco TFTP") == 0);
    CHECK(ServiceNames(ucm.RestartsFor(name, "imAndPresence", R("12.5SU3"))) ==
          std::set<std::string>{"Cisco Tomcat"});
  }
}

TEST_CASE("CallManager restarts CallManager and HAProxy, CTI Manager only before 14SU1",
          "[catalogue][rule:U13]") {
  const PlatformCatalogue& ucm = Platform("ucm");
  for (const char* name : {"CallManager", "CallManager-ECDSA"}) {
    INFO(name);
    CHECK(ServiceNames(ucm.RestartsFor(name, "unifiedCM", R("14"))) ==
          std::set<std::string>{"Cisco CallManager", "Cisco HAProxy", "Cisco CTIManager"});
    CHECK(ServiceNames(ucm.RestartsFor(name, "unifiedCM", R("14SU1"))) ==
          std::set<std::string>{"Cisco CallManager", "Cisco HAProxy"});
    // Release unknown: every restart that may apply.
    CHECK(ucm.RestartsFor(name).size() == 3);
  }
}

TEST_CASE("ipsec restarts the IPsec service, AUTHZ the XCP Authentication Service", "[catalogue][rule:U13]") {
  const PlatformCatalogue& ucm = Platform("ucm");
  CHECK(ServiceNames(ucm.RestartsFor("ipsec")) == std::set<std::string>{"IPsec Service"});
  CHECK(ServiceNames(ucm.RestartsFor("AUTHZ", "imAndPresence")) ==
        std::set<std::string>{"Cisco XCP Authentication Service"});
  CHECK(ucm.RestartsFor("AUTHZ", "unifiedCM").empty());
  // Table 3 names no service for IM and Presence purposes; the catalogue takes them from the
  // public record (docs/platforms/ucm.md, "IM and Presence").
  CHECK(ServiceNames(ucm.RestartsFor("cup", "imAndPresence")) ==
        std::set<std::string>{"Cisco SIP Proxy", "Cisco Presence Engine"});
  CHECK(ServiceNames(ucm.RestartsFor("cup-xmpp", "imAndPresence")) ==
        std::set<std::string>{"Cisco XCP Connection Manager"});
  CHECK(ServiceNames(ucm.RestartsFor("cup-xmpp-s2s", "imAndPresence")) ==
        std::set<std::string>{"Cisco XCP XMPP Federation Connection Manager"});
}

TEST_CASE("tomcat-trust, CallManager-trust and Phone-SAST-trust replicate, CAPF-trust does not",
          "[catalogue][rule:U10]") {
  const PlatformCatalogue& ucm = Platform("ucm");
  for (const char* name : {"tomcat-trust", "CallManager-trust", "Phone-SAST-trust"}) {
    INFO(name);
    CHECK(Store(ucm, name).replication == Scope::kCluster);
  }
  CHECK(Store(ucm, "CAPF-trust").replication == Scope::kNode);
  for (const char* name : {"tomcat-trust", "CallManager-trust", "CAPF-trust", "Phone-SAST-trust"}) {
    INFO(name);
    CHECK(Store(ucm, name).deletion == Scope::kCluster);
  }
  CHECK(Store(ucm, "ipsec-trust").replication == Scope::kUndocumented);
  CHECK(Store(ucm, "CAPF-trust").copies_to == std::vector<std::string>{"CallManager-trust"});
  CHECK(ServiceNames(Store(ucm, "tomcat-trust").restarts) == std::set<std::string>{"Cisco Tomcat"});
}

TEST_CASE("trust certificates can be deleted, system identities cannot", "[catalogue][rule:U11]") {
  const PlatformCatalogue& ucm = Platform("ucm");
  for (const auto& s : ucm.slots) {
    INFO(s.name);
    CHECK(s.system_self_signed);
    CHECK_FALSE(s.deletable);
    CHECK(s.rules.For("deletable") == std::vector<std::string>{"U11"});
  }
  for (const auto& t : ucm.trust_stores) {
    INFO(t.name);
    CHECK(t.deletable);
  }
}

TEST_CASE("regenerated self-signed RSA keys are 3072 or 4096 bits", "[catalogue][rule:U12]") {
  const KeyAlgorithmLimits* rsa = Platform("ucm").limits.For(KeyAlgorithm::kRsa);
  REQUIRE(rsa != nullptr);
  CHECK(rsa->self_signed_sizes == std::vector<int>{3072, 4096});
}

TEST_CASE("CTL regeneration after CAPF, CallManager or ITLRecovery in mixed mode", "[catalogue][rule:U14]") {
  const PlatformCatalogue& ucm = Platform("ucm");
  const std::vector<std::string> mixed = {"mixedMode"};
  for (const char* name : {"CAPF", "CallManager", "ITLRecovery"}) {
    INFO(name);
    for (auto kind : {ChangeKind::kInstall, ChangeKind::kRegenerate})
      CHECK(FollowUpIds(ucm.FollowUpsFor(name, kind, Phase::kAfter, mixed)).count("ctl-file") == 1);
    CHECK(FollowUpIds(ucm.FollowUpsFor(name, ChangeKind::kInstall, Phase::kAfter, {})).count("ctl-file") ==
          0);
  }
  CHECK(
      FollowUpIds(ucm.FollowUpsFor("tomcat", ChangeKind::kInstall, Phase::kAfter, mixed)).count("ctl-file") ==
      0);
  const auto ecdsa = [&](const char* rel) {
    return FollowUpIds(
        ucm.FollowUpsFor("CallManager-ECDSA", ChangeKind::kInstall, Phase::kAfter, mixed, R(rel)));
  };
  CHECK(ecdsa("14").count("ctl-file-callmanager-ecdsa") == 1);
  CHECK(ecdsa("14SU1").count("ctl-file-callmanager-ecdsa") == 0);
  const auto capf = ucm.FollowUpsFor("CAPF", ChangeKind::kInstall, Phase::kAfter, mixed);
  const auto it =
      std::find_if(capf.begin(), capf.end(), [](const FollowUpSpec* f) { return f->id == "ctl-file"; });
  REQUIRE(it != capf.end());
  const FollowUpSpec* ctl = *it;
  CHECK(ctl->text.find("CTL file") != std::string::npos);
  CHECK(ctl->rules == std::vector<std::string>{"U14"});
}

TEST_CASE("a new system backup after any regeneration or upload", "[catalogue][rule:U18]") {
  const PlatformCatalogue& ucm = Platform("ucm");
  for (const auto& s : ucm.slots)
    for (auto kind : {ChangeKind::kInstall, ChangeKind::kRegenerate}) {
      INFO(s.name);
      CHECK(FollowUpIds(ucm.FollowUpsFor(s.name, kind, Phase::kAfter, {})).count("system-backup") == 1);
    }
}

TEST_CASE("multi-SAN certificates cannot be uploaded through the CLI from 14SU2", "[catalogue][rule:U15]") {
  const auto& before = Platform("ucm").limits.multi_san_cli_upload_before;
  REQUIRE(before.has_value());
  CHECK(before->ToString() == "14SU2");
  CHECK(CompareReleases(R("14SU1"), *before) < 0);
  CHECK_FALSE(Platform("vcs").limits.multi_san_cli_upload_before.has_value());
}

TEST_CASE("UCM accepts DER, PEM and PKCS#7 chains in PEM, and makes PEM CSRs", "[catalogue][rule:U4]") {
  const PlatformLimits& l = Platform("ucm").limits;
  CHECK(l.Accepts(CertificateFormat::kDer));
  CHECK(l.Accepts(CertificateFormat::kPem));
  CHECK(l.Accepts(CertificateFormat::kPkcs7Pem));
  CHECK(l.csr_format == CertificateFormat::kPem);
  CHECK_FALSE(l.one_certificate_per_file);
}

}  // namespace
}  // namespace pkiform::catalogue
