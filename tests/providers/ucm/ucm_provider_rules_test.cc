// The ucm provider's own handling of U1, U4 and U10, against pkiform-sim behind a real sshd.
// Each case fails when the provider's handling is taken out (the simulator alone would not
// make it fail): tests/providers/ucm/check-rule-tests proves that, one mutation per rule.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "tests/providers/ucm/ucm_fixture.h"

using namespace pkiform;
using namespace pkiform::ucmtest;

namespace {

simtest::NodeSpec Node(const std::string& host, const std::string& address, const std::string& role) {
  simtest::NodeSpec s;
  s.fqdn = host + ".example.com";
  s.address = address;
  s.role = role;
  s.release = "14SU1";
  return s;
}

CsrOnPeer Request(const std::string& slot, const std::string& fqdn) {
  CsrOnPeer r;
  r.slot = slot;
  r.request.subject.commonName = fqdn;
  r.request.subject.organizationalUnit = "Voice";
  r.request.subject.organization = "Example Corp";
  r.request.subject.locality = "San Jose";
  r.request.subject.state = "California";
  r.request.subject.country = "US";
  r.request.dnsNames = {fqdn};
  r.key = pki::KeySpec::Rsa(2048);
  return r;
}

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("ucm: a purpose or store Unified CM does not have is refused before anything is typed", "[ucm][rule:U1]") {
  SimCluster cluster({Node("cucm-pub", "127.0.93.11", "publisher")});
  // A manifest that names a purpose of another platform (an openssh-style slot name) and its store.
  auto manifest = cluster.Manifest({"tomcat", "web"}, {"tomcat-trust", "web-trust"});
  auto session = cluster.Connect(0);
  ucm::UcmProvider provider(*session, manifest, manifest.peers[0]);
  REQUIRE(provider.Observe().ok());
  const int sent = provider.commands_sent();

  auto csr = provider.GenerateCsr(Request("web", "cucm-pub.example.com"));
  REQUIRE_FALSE(csr.ok());
  INFO(csr.status().message());
  CHECK(Has(csr.status().message(), "not a certificate purpose of Unified CM (U1)"));

  auto root = simtest::TestCa::Make("U1 Root");
  Status trust = provider.AddTrust("web-trust", root.cert.ToPem());
  REQUIRE_FALSE(trust.ok());
  INFO(trust.message());
  CHECK(Has(trust.message(), "not a trust store of Unified CM (U1"));
  CHECK(provider.commands_sent() == sent);
}

TEST_CASE("ucm: the leaf and its chain go to the node in one PEM paste, and the node serves the chain", "[ucm][rule:U4]") {
  SimCluster cluster({Node("cucm-pub", "127.0.93.12", "publisher")});
  const auto& node = cluster.node(0);
  auto manifest = cluster.Manifest({"tomcat"}, {"tomcat-trust"});
  auto session = cluster.Connect(0);
  ucm::UcmProvider provider(*session, manifest, manifest.peers[0]);
  auto root = simtest::TestCa::Make("U4 Root");
  auto issuing = simtest::TestCa::Make("U4 Issuing CA", &root);
  REQUIRE(provider.AddTrust("tomcat-trust", root.cert.ToPem()).ok());
  REQUIRE(provider.AddTrust("tomcat-trust", issuing.cert.ToPem()).ok());

  // rule U4: the node makes its CSR in PEM.
  auto csr = provider.GenerateCsr(Request("tomcat", node.spec.fqdn));
  if (!csr.ok()) FAIL(csr.status().ToString());
  REQUIRE(pki::Csr::FromPem(*csr).ok());

  IdentityInstall install;
  install.slot = "tomcat";
  install.certificate_pem = issuing.Sign(*csr, {node.spec.fqdn}).ToPem();
  install.chain_pems = {issuing.cert.ToPem(), root.cert.ToPem()};
  install.use_pending_key = true;
  auto installed = provider.InstallIdentity(install);
  if (!installed.ok()) FAIL(installed.status().ToString());

  // What the node keeps for tomcat (and serves after the restart) is the leaf and the chain pasted with it.
  const std::string kept = ReadFile(node.dir / "own" / "tomcat.pem");
  CHECK(simtest::Count(kept, "-----BEGIN CERTIFICATE-----") == 3);
  CHECK(Has(kept, issuing.cert.ToPem()));
}

TEST_CASE("ucm: a CAPF-trust import is read back in CallManager-trust too, where a CallManager import looks", "[ucm][rule:U10]") {
  SimCluster cluster({Node("cucm-pub", "127.0.93.13", "publisher")});
  const auto& node = cluster.node(0);
  auto manifest = cluster.Manifest({"CallManager"}, {"CAPF-trust", "CallManager-trust"});
  auto session = cluster.Connect(0);
  ucm::UcmProvider provider(*session, manifest, manifest.peers[0]);
  auto root = simtest::TestCa::Make("U10 CAPF Root");
  REQUIRE(provider.AddTrust("CAPF-trust", root.cert.ToPem()).ok());

  // rule U10: the node copies a CAPF-trust certificate to CallManager-trust; the provider's
  // observation holds the copy without another full observe.
  const auto* o = provider.last_observation();
  REQUIRE(o);
  bool copied = false;
  for (const auto& e : o->trust_entries)
    if (e.store == "CallManager-trust" && e.fingerprint == root.cert.FingerprintSha256()) copied = true;
  CHECK(copied);

  // So a CallManager certificate from that CA passes the provider's U7 check and is imported.
  auto csr = provider.GenerateCsr(Request("CallManager", node.spec.fqdn));
  if (!csr.ok()) FAIL(csr.status().ToString());
  IdentityInstall install;
  install.slot = "CallManager";
  install.certificate_pem = root.Sign(*csr, {node.spec.fqdn}).ToPem();
  install.use_pending_key = true;
  auto installed = provider.InstallIdentity(install);
  INFO((installed.ok() ? std::string("ok") : installed.status().message()));
  CHECK(installed.ok());
}

TEST_CASE("ucm: an intermediate of the chain missing from the -trust store is refused before the paste", "[ucm][rule:U7]") {
  SimCluster cluster({Node("cucm-pub", "127.0.93.14", "publisher")});
  const auto& node = cluster.node(0);
  auto manifest = cluster.Manifest({"tomcat"}, {"tomcat-trust"});
  auto session = cluster.Connect(0);
  ucm::UcmProvider provider(*session, manifest, manifest.peers[0]);
  auto root = simtest::TestCa::Make("U7 Root");
  auto issuing = simtest::TestCa::Make("U7 Issuing CA", &root);
  REQUIRE(provider.AddTrust("tomcat-trust", root.cert.ToPem()).ok());  // the root only
  auto csr = provider.GenerateCsr(Request("tomcat", node.spec.fqdn));
  if (!csr.ok()) FAIL(csr.status().ToString());
  const std::string before = ReadFile(node.dir / "own" / "tomcat.pem");
  const int sent = provider.commands_sent();

  IdentityInstall install;
  install.slot = "tomcat";
  install.certificate_pem = issuing.Sign(*csr, {node.spec.fqdn}).ToPem();
  install.chain_pems = {issuing.cert.ToPem(), root.cert.ToPem()};
  install.use_pending_key = true;
  auto installed = provider.InstallIdentity(install);
  REQUIRE_FALSE(installed.ok());
  INFO(installed.status().message());
  // The provider names the missing CA itself, and the node was not asked.
  CHECK(Has(installed.status().message(), "CN=U7 Issuing CA, O=Example Corp\" is not in tomcat-trust; add it to the trust store first (U7)"));
  CHECK(provider.commands_sent() == sent);
  CHECK(ReadFile(node.dir / "own" / "tomcat.pem") == before);
}
