// One test per identity policy: the fleet of planner_fixture.h is correct, each
// test breaks one thing and checks the exact reason the plan gives.
#include "reconciler/planner/policies.h"

#include <catch2/catch.hpp>

#include "tests/reconciler/planner/planner_fixture.h"

namespace pkiform::planner {
namespace {

using namespace testing;

std::string InstallLeaf(Fleet& f, const pki::Certificate& leaf, const pki::PrivateKey& key = LeafKey()) {
  f.slot().certificate_pem = leaf.ToPem();
  f.slot().key_public_digest = key.PublicKeyDigest();
  return Reason(f);
}

TEST_CASE("a certificate in the desired state is left alone", "[planner]") {
  Fleet f;
  const Plan plan = f.MustPlan();
  CHECK(Changes(plan).empty());
  CHECK_FALSE(plan.HasChanges());
}

TEST_CASE("policy: missing certificate", "[planner]") {
  Fleet f;
  f.slot().certificate_pem.reset();
  f.slot().key_public_digest.clear();
  CHECK(Reason(f) == "no certificate installed");
}

TEST_CASE("policy: an installed certificate that cannot be read counts as missing", "[planner]") {
  Fleet f;
  f.slot().certificate_pem = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
  const Change c = OnlyChange(f.MustPlan());
  CHECK(c.reason.rfind("installed certificate cannot be read: ", 0) == 0);
  CHECK(c.action == Action::kReplace);
}

TEST_CASE("policy: private key does not match the certificate", "[planner][rule:V5]") {
  Fleet f;
  f.slot().key_public_digest = NewP256Key().PublicKeyDigest();
  CHECK(Reason(f) == "private key does not match the certificate");
}

TEST_CASE("policy: private key missing where the provider reads key files", "[planner]") {
  Fleet f;
  f.slot().key_public_digest.clear();
  CHECK(Reason(f) == "private key missing");
}

TEST_CASE("policy: an appliance-held key that cannot be read is not judged", "[planner]") {
  Fleet f;
  f.slot().key_public_digest.clear();
  f.cluster().identity[0].files->private_key.clear();  // the provider has no key file to read
  CHECK(Changes(f.MustPlan()).empty());
}

TEST_CASE("policy: expired", "[planner][rule:D12]") {
  Fleet f;
  CHECK(Reason(f, At("2027-05-01T00:00:00Z")) == "certificate expired 2027-05-01");
}

TEST_CASE("policy: not yet valid", "[planner][rule:D10]") {
  Fleet f;
  CHECK(Reason(f, At("2026-04-30T23:59:59Z")) == "certificate not valid before 2026-05-01");
}

TEST_CASE("policy: within renewBefore, at an injected now", "[planner][rule:D12]") {
  Fleet f;
  // Expires 2027-05-01; renewBefore 30d opens the window on 2027-04-01.
  CHECK(Changes(f.MustPlan(At("2027-03-31T23:59:59Z"))).empty());
  CHECK(Reason(f, At("2027-04-01T00:00:00Z")) == "certificate expires 2027-05-01, within renewBefore 30d");
}

TEST_CASE("policy: subject mismatch names each field and both values", "[planner]") {
  Fleet f;
  LeafSpec spec;
  spec.subject = Dn("web1.example.com", "Other Ltd");
  spec.subject.organizationalUnit = "Web";
  CHECK(InstallLeaf(f, IssueLeaf(LeafKey(), spec)) ==
        "subject differs: O is 'Other Ltd', want 'Example Ltd'; OU is 'Web', want absent");
}

TEST_CASE("policy: another peer's certificate has the wrong CN", "[planner][rule:V1]") {
  Fleet f;
  f.cluster().peers.push_back(MakePeer("web2.example.com"));
  Actual web2 = f.actual();
  web2.peer = "web2.example.com";
  f.observed.push_back(web2);  // web1's certificate and key, copied onto web2
  const Plan plan = f.MustPlan();
  REQUIRE(plan.peers.size() == 2);
  CHECK(plan.peers[0].changes.empty());
  REQUIRE(plan.peers[1].changes.size() == 1);
  CHECK(plan.peers[1].changes[0].reason ==
        "subject differs: CN is 'web1.example.com', want 'web2.example.com'");
}

TEST_CASE("policy: SAN mismatch says which names are missing and which are extra", "[planner][rule:V1]") {
  Fleet f;
  LeafSpec spec;
  spec.dns = {"web1.example.com", "old.example.com"};
  CHECK(InstallLeaf(f, IssueLeaf(LeafKey(), spec)) ==
        "subject alternative names differ: missing web.example.com; extra old.example.com");
}

TEST_CASE("policy: SANs compare without regard to case or order", "[planner]") {
  Fleet f;
  LeafSpec spec;
  spec.dns = {"WEB.example.com", "web1.example.com"};
  f.slot().certificate_pem = IssueLeaf(LeafKey(), spec).ToPem();
  CHECK(Changes(f.MustPlan()).empty());
}

TEST_CASE("policy: key type or size", "[planner]") {
  Fleet f;
  const pki::PrivateKey& rsa = SharedRsa2048Key();
  CHECK(InstallLeaf(f, IssueLeaf(rsa), rsa) == "key is RSA 2048, want ECDSA P-256");
}

TEST_CASE("policy: key usage and extended key usage missing (openssh template)", "[planner][rule:U2]") {
  Fleet f;
  LeafSpec spec;
  spec.ku = {"keyAgreement"};
  spec.eku = {"clientAuth"};
  CHECK(InstallLeaf(f, IssueLeaf(LeafKey(), spec)) ==
        "key usage lacks digitalSignature; extended key usage lacks serverAuth");
}

TEST_CASE("policy: extra usages are not a reason", "[planner]") {
  Fleet f;
  LeafSpec spec;
  spec.ku = {"digitalSignature", "keyEncipherment"};
  spec.eku = {"serverAuth", "clientAuth"};
  f.slot().certificate_pem = IssueLeaf(LeafKey(), spec).ToPem();
  CHECK(Changes(f.MustPlan()).empty());
}

TEST_CASE("policy: issuer mismatch when the chain does not verify to the issuer's CA", "[planner]") {
  Fleet f;
  const pki::Certificate leaf = IssueLeaf(LeafKey(), {}, Other());
  CHECK(InstallLeaf(f, leaf) ==
        "not issued by issuer corp-ca (CN=Corp Issuing CA, O=Example Ltd, C=GB): certificate "
        "'CN=web1.example.com, O=Example Ltd, C=GB': unable to get local issuer certificate (its issuer "
        "'CN=Other CA, O=Example Ltd, C=GB' is neither given nor trusted)");
}

TEST_CASE("policy: a certificate from the root, not the issuing CA, is not the issuer's", "[planner]") {
  Fleet f;
  CHECK(InstallLeaf(f, IssueLeaf(LeafKey(), {}, Root())).rfind("not issued by issuer corp-ca", 0) == 0);
}

TEST_CASE("policy: a selfSigned issuer wants a self-signed certificate", "[planner]") {
  Fleet f;
  f.desired.issuers.push_back(Issuer{});
  f.desired.issuers.back().name = "self";
  f.desired.issuers.back().kind = Issuer::Kind::kSelfSigned;
  f.cluster().identity[0].issuer = "self";
  f.slot().chain_pems.clear();
  CHECK(Reason(f) == "not self-signed: issued by CN=Corp Issuing CA, O=Example Ltd, C=GB");

  const pki::Certificate self = Must(pki::SelfSign(LeafKey(), LeafPolicy({})));
  f.slot().certificate_pem = self.ToPem();
  CHECK(Changes(f.MustPlan()).empty());
}

TEST_CASE("policy: installed chain incomplete", "[planner][rule:D11]") {
  Fleet f;
  f.slot().chain_pems = {Root().cert.ToPem()};
  CHECK(Reason(f) == "installed chain lacks CN=Corp Issuing CA, O=Example Ltd, C=GB of issuer corp-ca");
}

TEST_CASE("policy: a chain file without the root is complete; a server never sends the root", "[planner][rule:D11]") {
  Fleet f;
  f.slot().chain_pems = {Issuing().cert.ToPem()};
  CHECK(Changes(f.MustPlan()).empty());
}

TEST_CASE("policy: a chain or fullchain file the slot names is missing on the peer", "[planner]") {
  Fleet f;
  f.slot().missing_files = {"/etc/nginx/tls/nginx-chain.pem"};
  CHECK(Reason(f) == "missing on the peer: /etc/nginx/tls/nginx-chain.pem");
}

TEST_CASE("policy: the chain is not judged where it goes into a trust store", "[planner][rule:D11]") {
  // vcs delivers the chain through the trusted CA list, not with the identity.
  Fleet f;
  Cluster& c = f.cluster();
  c.platform = "vcs";
  c.trust.clear();
  c.identity[0] = NginxSlot("server");
  c.identity[0].files.reset();
  c.identity[0].key.algorithm = "rsa";
  c.identity[0].key.size = 2048;
  LeafSpec spec;
  spec.eku = {"serverAuth", "clientAuth"};
  f.actual().trust.clear();
  f.slot().slot = "server";
  f.slot().certificate_pem = IssueLeaf(SharedRsa2048Key(), spec).ToPem();
  f.slot().key_public_digest.clear();
  f.slot().chain_pems.clear();
  CHECK(Changes(f.MustPlan()).empty());
}

TEST_CASE("policy: VCS server certificates need clientAuth too", "[planner][rule:V3]") {
  Fleet f;
  Cluster& c = f.cluster();
  c.platform = "vcs";
  c.trust.clear();
  c.identity[0] = NginxSlot("server");
  c.identity[0].files.reset();
  c.identity[0].key.algorithm = "rsa";
  c.identity[0].key.size = 2048;
  f.actual().trust.clear();
  f.slot().slot = "server";
  f.slot().certificate_pem = IssueLeaf(SharedRsa2048Key()).ToPem();  // serverAuth only
  f.slot().key_public_digest.clear();
  CHECK(Reason(f) == "extended key usage lacks clientAuth");
}

TEST_CASE("policy: UCM tomcat needs Data Encipherment", "[planner][rule:U2]") {
  Fleet f;
  Cluster& c = f.cluster();
  c.platform = "ucm";
  c.product = "unified-cm";
  c.trust.clear();
  c.identity[0] = NginxSlot("tomcat");
  c.identity[0].files.reset();
  c.identity[0].key.algorithm = "rsa";
  c.identity[0].key.size = 2048;
  f.actual().trust.clear();
  LeafSpec spec;
  spec.ku = {"digitalSignature", "keyEncipherment"};
  spec.eku = {"serverAuth", "clientAuth"};
  f.slot().slot = "tomcat";
  f.slot().certificate_pem = IssueLeaf(SharedRsa2048Key(), spec).ToPem();
  f.slot().key_public_digest.clear();
  CHECK(Reason(f) == "key usage lacks dataEncipherment");
}

TEST_CASE("policies fire in order: the first wins", "[planner]") {
  Fleet f;
  LeafSpec spec;
  spec.subject = Dn("web1.example.com", "Other Ltd");
  spec.days = 30;  // expired by 2026-06-01, and the wrong subject
  f.slot().certificate_pem = IssueLeaf(LeafKey(), spec).ToPem();
  CHECK(Reason(f) == "certificate expired 2026-05-31");
}

TEST_CASE("IdentityPolicies lists every policy in the documented order", "[planner]") {
  const std::vector<IdentityPolicy> expected = {
      MissingCertificate, ProviderReplaces, KeyMismatch,     Expired,      NotYetValid,    WithinRenewBefore, SubjectMismatch,
      SanMismatch,        KeyTypeMismatch, UsageMissing, IssuerMismatch, ChainIncomplete,   SlotFileMissing,
  };
  CHECK(IdentityPolicies() == expected);
}

TEST_CASE("a provider's reason to replace an identity comes first, whatever the manifest says", "[planner][rule:V17]") {
  Fleet f;  // in the desired state
  f.slot().must_replace = "the factory's temporary identity (issued by Temporary CA 1): always replaced (V17)";
  CHECK(Reason(f) == "the factory's temporary identity (issued by Temporary CA 1): always replaced (V17)");
  f.slot().must_replace.clear();
  CHECK(Changes(f.MustPlan()).empty());
}

TEST_CASE("FirstReason takes any chain of policies", "[planner]") {
  SlotInput in;
  CHECK(FirstReason(in) == std::optional<std::string>("no certificate installed"));
  CHECK_FALSE(FirstReason(in, {Expired, SubjectMismatch}).has_value());  // both silent without a certificate
  CHECK_FALSE(FirstReason(in, {}).has_value());
}

}  // namespace
}  // namespace pkiform::planner
