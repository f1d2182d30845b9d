// The VCS / Expressway catalogue against seed 002 (rules V2, V3, V4, V7, V8, V9, V14).
#include "tests/reconciler/catalogue/catalogue_test_util.h"

namespace pkiform::catalogue {
namespace {

using namespace testing;

TEST_CASE("vcs server certificate carries serverAuth and clientAuth", "[catalogue][rule:V3]") {
  const PlatformCatalogue& vcs = Platform("vcs");
  REQUIRE(vcs.slots.size() == 1);
  const SlotSpec& server = Slot(vcs, "server");
  const UsageSpec* u = server.UsageFor("peer", KeyAlgorithm::kRsa);
  REQUIRE(u != nullptr);
  CHECK(AsSet(u->extended_key_usage) ==
        std::set<ExtendedKeyUsage>{ExtendedKeyUsage::kServerAuth, ExtendedKeyUsage::kClientAuth});
  CHECK(u->key_usage.empty());  // the document states no key usage bits
  CHECK(server.MultiServerAllowed());
}

TEST_CASE("a new vcs server certificate takes effect after restarting the appliance",
          "[catalogue][rule:V7]") {
  const auto restarts = Platform("vcs").RestartsFor("server");
  REQUIRE(restarts.size() == 1);
  CHECK(restarts[0].kind == RestartSpec::Kind::kAppliance);
  CHECK(restarts[0].document_name.find("restart the VCS") != std::string::npos);
}

TEST_CASE("vcs trusted CA list appends, replaces same issuer+subject by deleting first, resets",
          "[catalogue][rule:V9]") {
  const PlatformCatalogue& vcs = Platform("vcs");
  const TrustStoreSpec& ca = Store(vcs, "default");
  CHECK(ca.append);
  CHECK(ca.same_subject == SameSubject::kDeleteFirst);
  CHECK(ca.reset_to_default);
  CHECK(ca.deletable);
  CHECK(Slot(vcs, "server").trust_store == "default");
  CHECK(vcs.FindTrustStore("tomcat-trust") == nullptr);
}

TEST_CASE("vcs recommends at most 4096-bit RSA keys", "[catalogue][rule:V14]") {
  const KeyAlgorithmLimits* rsa = Platform("vcs").limits.For(KeyAlgorithm::kRsa);
  REQUIRE(rsa != nullptr);
  CHECK(rsa->max_recommended_bits == 4096);
  CHECK(Platform("vcs").limits.For(KeyAlgorithm::kEc) == nullptr);
}

TEST_CASE("vcs: PEM only, unencrypted key, no key upload while a CSR is pending", "[catalogue][rule:V8]") {
  const PlatformLimits& l = Platform("vcs").limits;
  CHECK(l.certificate_formats == std::vector<CertificateFormat>{CertificateFormat::kPem});
  CHECK(l.private_key_upload);
  CHECK(l.private_key_must_be_unencrypted);
  CHECK(l.private_key_refused_while_csr_pending);
  CHECK(l.rules.For("privateKey.mustBeUnencrypted") == std::vector<std::string>{"V8"});
}

TEST_CASE("vcs: one CSR at a time, discarded before another", "[catalogue][rule:V4]") {
  const PlatformLimits& l = Platform("vcs").limits;
  CHECK(l.csr_on_appliance);
  CHECK(l.csr_scope == CsrScope::kAppliance);
  CHECK(l.while_csr_pending == WhileCsrPending::kDiscardFirst);
  // UCM, by contrast: a new CSR overwrites the purpose's pending one (U9).
  CHECK(Platform("ucm").limits.while_csr_pending == WhileCsrPending::kOverwrite);
}

TEST_CASE("vcs refuses wildcard certificates", "[catalogue][rule:V2]") {
  CHECK(Platform("vcs").limits.wildcards == Wildcards::kRefused);
}

}  // namespace
}  // namespace pkiform::catalogue
