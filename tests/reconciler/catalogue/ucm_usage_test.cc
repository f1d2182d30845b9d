// The UCM key usage data against Tables 1 and 2 of seed 003 (rules U1, U2, U3, U5).
// The expected rows below are a second, independent transcription of the tables.
#include "tests/reconciler/catalogue/catalogue_test_util.h"

namespace pkiform::catalogue {
namespace {

using namespace testing;
using KU = KeyUsage;
using EKU = ExtendedKeyUsage;

struct Row {
  const char* slot;
  const char* node_type;
  bool multi;
  std::set<EKU> eku_yes, eku_no;
  std::set<KU> ku_yes, ku_no;
};

const std::vector<Row>& TableRows() {
  static const std::vector<Row> rows = {
      // Table 1: Unified CM.
      {"CallManager",
       "unifiedCM",
       true,
       {EKU::kServerAuth, EKU::kClientAuth},
       {},
       {KU::kDigitalSignature, KU::kDataEncipherment},
       {KU::kKeyEncipherment}},
      {"CallManager-ECDSA",
       "unifiedCM",
       true,
       {EKU::kServerAuth, EKU::kClientAuth},
       {},
       {KU::kDigitalSignature, KU::kDataEncipherment},
       {KU::kKeyEncipherment}},
      {"CAPF",
       "unifiedCM",
       false,
       {EKU::kServerAuth},
       {EKU::kClientAuth},
       {KU::kDigitalSignature, KU::kKeyCertSign},
       {KU::kKeyEncipherment}},
      {"ipsec",
       "unifiedCM",
       false,
       {EKU::kServerAuth, EKU::kClientAuth, EKU::kIpsecEndSystem},
       {},
       {KU::kDigitalSignature, KU::kKeyEncipherment, KU::kDataEncipherment},
       {}},
      {"tomcat",
       "unifiedCM",
       true,
       {EKU::kServerAuth, EKU::kClientAuth},
       {},
       {KU::kDigitalSignature, KU::kDataEncipherment},
       {KU::kKeyEncipherment}},
      {"tomcat-ECDSA",
       "unifiedCM",
       true,
       {EKU::kServerAuth, EKU::kClientAuth},
       {},
       {KU::kDigitalSignature, KU::kDataEncipherment},
       {KU::kKeyEncipherment}},
      {"TVS",
       "unifiedCM",
       false,
       {EKU::kServerAuth, EKU::kClientAuth},
       {},
       {KU::kDigitalSignature, KU::kKeyEncipherment, KU::kDataEncipherment},
       {}},
      // Table 2: IM and Presence.
      {"cup",
       "imAndPresence",
       false,
       {EKU::kServerAuth, EKU::kClientAuth, EKU::kIpsecEndSystem},
       {},
       {KU::kDigitalSignature, KU::kKeyEncipherment, KU::kDataEncipherment},
       {}},
      {"cup-ECDSA",
       "imAndPresence",
       false,
       {EKU::kServerAuth, EKU::kClientAuth, EKU::kIpsecEndSystem},
       {},
       {KU::kDigitalSignature, KU::kKeyEncipherment, KU::kDataEncipherment},
       {}},
      {"cup-xmpp",
       "imAndPresence",
       true,
       {EKU::kServerAuth, EKU::kClientAuth, EKU::kIpsecEndSystem},
       {},
       {KU::kDigitalSignature, KU::kKeyEncipherment, KU::kDataEncipherment},
       {}},
      {"cup-xmpp-ECDSA",
       "imAndPresence",
       true,
       {EKU::kServerAuth, EKU::kClientAuth, EKU::kIpsecEndSystem},
       {},
       {KU::kDigitalSignature, KU::kKeyEncipherment, KU::kDataEncipherment},
       {}},
      {"cup-xmpp-s2s",
       "imAndPresence",
       true,
       {EKU::kServerAuth, EKU::kClientAuth, EKU::kIpsecEndSystem},
       {},
       {KU::kDigitalSignature, KU::kKeyEncipherment, KU::kDataEncipherment},
       {}},
      {"cup-xmpp-s2s-ECDSA",
       "imAndPresence",
       true,
       {EKU::kServerAuth, EKU::kClientAuth, EKU::kIpsecEndSystem},
       {},
       {KU::kDigitalSignature, KU::kKeyEncipherment, KU::kDataEncipherment},
       {}},
      {"ipsec",
       "imAndPresence",
       false,
       {EKU::kServerAuth, EKU::kClientAuth, EKU::kIpsecEndSystem},
       {},
       {KU::kDigitalSignature, KU::kKeyEncipherment, KU::kDataEncipherment},
       {}},
      // Table 2 (continued): tomcat on IM and Presence has Key Encipherment Y.
      {"tomcat",
       "imAndPresence",
       true,
       {EKU::kServerAuth, EKU::kClientAuth},
       {},
       {KU::kDigitalSignature, KU::kKeyEncipherment, KU::kDataEncipherment},
       {}},
      {"tomcat-ECDSA",
       "imAndPresence",
       true,
       {EKU::kServerAuth, EKU::kClientAuth},
       {},
       {KU::kDigitalSignature, KU::kKeyEncipherment, KU::kDataEncipherment},
       {}},
  };
  return rows;
}

TEST_CASE("CallManager key usage and EKU equal Table 1", "[catalogue][rule:U2]") {
  const SlotSpec& cm = Slot(Platform("ucm"), "CallManager");
  const UsageSpec* u = cm.UsageFor("unifiedCM", KeyAlgorithm::kRsa);
  REQUIRE(u != nullptr);
  CHECK(AsSet(u->extended_key_usage) == std::set<EKU>{EKU::kServerAuth, EKU::kClientAuth});
  CHECK(AsSet(u->key_usage) == std::set<KU>{KU::kDigitalSignature, KU::kDataEncipherment});
  CHECK(AsSet(u->key_usage_marked_no) == std::set<KU>{KU::kKeyEncipherment});
  CHECK(u->source == "Table 1");
}

TEST_CASE("every row of Tables 1 and 2 is in the catalogue cell by cell", "[catalogue][rule:U2][rule:U3]") {
  const PlatformCatalogue& ucm = Platform("ucm");
  for (const Row& row : TableRows()) {
    INFO(row.slot << " on " << row.node_type);
    const SlotSpec& s = Slot(ucm, row.slot);
    REQUIRE(s.key_algorithm.has_value());
    const UsageSpec* u = s.UsageFor(row.node_type, *s.key_algorithm);
    REQUIRE(u != nullptr);
    CHECK(u->multi_server == row.multi);
    CHECK(AsSet(u->extended_key_usage) == row.eku_yes);
    CHECK(AsSet(u->extended_key_usage_marked_no) == row.eku_no);
    CHECK(AsSet(u->key_usage) == row.ku_yes);
    CHECK(AsSet(u->key_usage_marked_no) == row.ku_no);
  }
}

TEST_CASE("Data Encipherment is kept wherever the tables mark it", "[catalogue][rule:U2]") {
  const PlatformCatalogue& ucm = Platform("ucm");
  int rows_with_de = 0;
  for (const auto& s : ucm.slots)
    for (const auto& u : s.usage) {
      INFO(s.name << " " << u.source);
      // Only CAPF's row leaves Data Encipherment blank.
      CHECK(u.Requires(KU::kDataEncipherment) == (s.name != "CAPF"));
      rows_with_de += u.Requires(KU::kDataEncipherment);
    }
  CHECK(rows_with_de == 14);  // 12 slots besides CAPF; tomcat and tomcat-ECDSA have two rows each
}

TEST_CASE("multi-server (SAN) certificates exactly for the purposes marked Y", "[catalogue][rule:U3]") {
  std::set<std::string> multi;
  for (const auto& s : Platform("ucm").slots)
    if (s.MultiServerAllowed()) multi.insert(s.name);
  CHECK(multi == std::set<std::string>{"CallManager", "CallManager-ECDSA", "tomcat", "tomcat-ECDSA",
                                       "cup-xmpp", "cup-xmpp-ECDSA", "cup-xmpp-s2s", "cup-xmpp-s2s-ECDSA"});
}

TEST_CASE("ECDSA twins require EC keys, their RSA purposes RSA signed by an RSA CA", "[catalogue][rule:U5]") {
  const PlatformCatalogue& ucm = Platform("ucm");
  int twins = 0;
  for (const auto& s : ucm.slots) {
    INFO(s.name);
    const bool ecdsa = s.name.size() > 6 && s.name.substr(s.name.size() - 6) == "-ECDSA";
    REQUIRE(s.key_algorithm.has_value());
    CHECK((*s.key_algorithm == KeyAlgorithm::kEc) == ecdsa);
    if (!ecdsa) continue;
    ++twins;
    const std::string base = s.name.substr(0, s.name.size() - 6);
    CHECK(s.twin_of == base);
    const SlotSpec& rsa = Slot(ucm, base);
    CHECK(rsa.key_algorithm == KeyAlgorithm::kRsa);
    CHECK(rsa.ca_signature == KeyAlgorithm::kRsa);
    CHECK(rsa.usage.size() == s.usage.size());
  }
  CHECK(twins == 5);
  CHECK(ucm.limits.For(KeyAlgorithm::kEc) != nullptr);
  CHECK(ucm.limits.For(KeyAlgorithm::kRsa) != nullptr);
}

TEST_CASE("every UCM purpose is a slot with its -trust store", "[catalogue][rule:U1]") {
  const PlatformCatalogue& ucm = Platform("ucm");
  std::set<std::string> names;
  for (const auto& s : ucm.slots) names.insert(s.name);
  CHECK(names == std::set<std::string>{"tomcat", "tomcat-ECDSA", "CallManager", "CallManager-ECDSA", "ipsec",
                                       "CAPF", "TVS", "ITLRecovery", "AUTHZ", "cup", "cup-ECDSA", "cup-xmpp",
                                       "cup-xmpp-ECDSA", "cup-xmpp-s2s", "cup-xmpp-s2s-ECDSA"});
  for (const auto& s : ucm.slots) {
    INFO(s.name);
    // An ECDSA twin's CAs go into its RSA purpose's store ("choose tomcat-trust ... tomcat-ECDSA").
    const std::string purpose = s.twin_of.empty() ? s.name : s.twin_of;
    CHECK(s.trust_store == purpose + "-trust");
    CHECK(ucm.FindTrustStore(s.trust_store) != nullptr);
  }
  CHECK(ucm.FindTrustStore("Phone-SAST-trust") != nullptr);
  CHECK(ucm.FindTrustStore("tomcat-ECDSA-trust") == nullptr);
}

TEST_CASE("IM and Presence purposes live on IM and Presence nodes only", "[catalogue][rule:U1]") {
  const PlatformCatalogue& ucm = Platform("ucm");
  for (const auto& s : ucm.slots) {
    INFO(s.name);
    const bool cup = s.name.rfind("cup", 0) == 0;
    if (cup) CHECK(s.node_types == std::vector<std::string>{"imAndPresence"});
    if (!cup) CHECK(std::count(s.node_types.begin(), s.node_types.end(), "unifiedCM") == 1);
  }
  CHECK(Slot(ucm, "tomcat").node_types.size() == 2);  // Table 2 lists tomcat and ipsec too
  CHECK(Slot(ucm, "ipsec").node_types.size() == 2);
  CHECK(Slot(ucm, "CallManager").node_types == std::vector<std::string>{"unifiedCM"});
}

}  // namespace
}  // namespace pkiform::catalogue
