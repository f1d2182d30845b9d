// The openssh catalogue: user-named slots and trust stores described by templates.
#include "tests/reconciler/catalogue/catalogue_test_util.h"

namespace pkiform::catalogue {
namespace {

using namespace testing;

TEST_CASE("openssh slots are user-named and default to server TLS usages", "[catalogue][openssh]") {
  const PlatformCatalogue& ssh = Platform("openssh");
  CHECK(ssh.slots.empty());
  const SlotSpec& nginx = Slot(ssh, "nginx");
  CHECK(&nginx == &Slot(ssh, "postfix"));  // every name gets the template
  CHECK_FALSE(nginx.key_algorithm.has_value());
  const UsageSpec* rsa = nginx.UsageFor("host", KeyAlgorithm::kRsa);
  const UsageSpec* ec = nginx.UsageFor("host", KeyAlgorithm::kEc);
  REQUIRE(rsa != nullptr);
  REQUIRE(ec != nullptr);
  CHECK(AsSet(rsa->key_usage) == std::set<KeyUsage>{KeyUsage::kDigitalSignature, KeyUsage::kKeyEncipherment});
  CHECK(AsSet(ec->key_usage) == std::set<KeyUsage>{KeyUsage::kDigitalSignature});
  CHECK(rsa->extended_key_usage == std::vector<ExtendedKeyUsage>{ExtendedKeyUsage::kServerAuth});
  const auto restarts = ssh.RestartsFor("nginx");
  REQUIRE(restarts.size() == 1);
  CHECK(restarts[0].kind == RestartSpec::Kind::kSlotReload);
}

TEST_CASE("openssh trust stores are user paths", "[catalogue][openssh]") {
  const PlatformCatalogue& ssh = Platform("openssh");
  const TrustStoreSpec& store = Store(ssh, "/usr/local/share/ca-certificates/corp.crt");
  CHECK(store.replication == Scope::kNode);
  REQUIRE(store.restarts.size() == 1);
  CHECK(store.restarts[0].kind == RestartSpec::Kind::kStoreUpdate);
  CHECK(ssh.FindTrustStore("") == nullptr);
  const KeyAlgorithmLimits* ec = ssh.limits.For(KeyAlgorithm::kEc);
  REQUIRE(ec != nullptr);
  CHECK(ec->curves == std::vector<std::string>{"P-256", "P-384", "P-521"});
}

TEST_CASE("the openssh CRL file restarts through its own update command", "[catalogue][openssh][crl]") {
  const PlatformCatalogue& ssh = Platform("openssh");
  REQUIRE(ssh.crl_file.has_value());
  REQUIRE(ssh.crl_file->restarts.size() == 1);
  CHECK(ssh.crl_file->restarts[0].kind == RestartSpec::Kind::kCrlUpdate);
  CHECK(ssh.crl_file->location.empty());  // the manifest's revocation.crl.path names it
  for (const char* other : {"ucm", "dms"}) CHECK_FALSE(Platform(other).crl_file.has_value());
  // vcs: one uploaded CRL in a place of its own (V11), taken into use without a restart.
  const PlatformCatalogue& vcs = Platform("vcs");
  REQUIRE(vcs.crl_file.has_value());
  CHECK(vcs.crl_file->location == "uploaded");
  CHECK(vcs.crl_file->restarts.empty());
}

}  // namespace
}  // namespace pkiform::catalogue
