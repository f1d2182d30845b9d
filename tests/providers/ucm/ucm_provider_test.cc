// The ucm provider against pkiform-sim behind a real sshd: observe the factory state,
// CSR -> sign with a test CA -> trust add -> import -> restart -> served over TLS, and
// each rule the provider itself enforces (the message names the rule: the node's own
// refusal would not, so each test fails when the provider's handling is removed).
#include <catch2/catch.hpp>

#include "tests/providers/ucm/ucm_fixture.h"

using namespace pkiform;
using namespace pkiform::ucmtest;

namespace {

simtest::NodeSpec Node(const std::string& host, const std::string& address, const std::string& role,
                       const std::string& release = "14SU1") {
  simtest::NodeSpec s;
  s.fqdn = host + ".example.com";
  s.address = address;
  s.role = role;
  s.release = release;
  return s;
}

CsrOnPeer Request(const std::string& slot, const std::string& fqdn, std::vector<std::string> sans,
                  const std::string& ou = "Voice") {
  CsrOnPeer r;
  r.slot = slot;
  r.request.subject.commonName = fqdn;
  r.request.subject.organizationalUnit = ou;
  r.request.subject.organization = "Example Corp";
  r.request.subject.locality = "San Jose";
  r.request.subject.state = "California";
  r.request.subject.country = "US";
  r.request.dnsNames = std::move(sans);
  r.key = pki::KeySpec::Rsa(2048);
  return r;
}

IdentityInstall Install(const std::string& slot, const pki::Certificate& cert) {
  IdentityInstall i;
  i.slot = slot;
  i.certificate_pem = cert.ToPem();
  i.use_pending_key = true;
  return i;
}

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("ucm: observe a factory node (identities and built-in trust and role and release and command count)", "[ucm][P5]") {
  SimCluster cluster({Node("cucm-pub", "127.0.93.1", "publisher")});
  auto manifest = cluster.Manifest({"tomcat", "CallManager", "tomcat-ECDSA"}, {"tomcat-trust"});
  auto session = cluster.Connect(0);
  ucm::UcmProvider provider(*session, manifest, manifest.peers[0]);
  auto actual = provider.Observe();
  if (!actual.ok()) FAIL(actual.status().ToString());
  REQUIRE(actual->slots.size() == 3);
  for (const auto& slot : actual->slots) {
    INFO(slot.slot);
    REQUIRE(slot.certificate_pem);
    auto cert = pki::Certificate::FromPem(*slot.certificate_pem);
    REQUIRE(cert.ok());
    CHECK(cert->IsSelfSigned());
    CHECK(slot.key_public_digest == cert->PublicKeyDigest());
    CHECK_FALSE(slot.pending_csr_pem);
  }
  const auto* o = provider.last_observation();
  REQUIRE(o);
  CHECK(o->role == "publisher");
  CHECK(o->node_type == "unifiedCM");
  REQUIRE(o->release);
  CHECK(o->release->ToString() == "14SU1");
  // The same facts in Actual, for the planner's check against the manifest (node_facts.h).
  REQUIRE(actual->node);
  CHECK(actual->node->role == "publisher");
  CHECK(actual->node->node_type == "unifiedCM");
  CHECK(actual->node->release == "14SU1");
  CHECK(actual->node->build == o->build);
  REQUIRE(actual->trust.size() == 1);
  const auto& trust = actual->trust[0];
  CHECK_FALSE(trust.certificate_pems.empty());
  CHECK(trust.builtin_fingerprints.size() == trust.certificate_pems.size());  // factory: built-ins only
  for (const auto& e : o->trust_entries) CHECK(e.store == "tomcat-trust");
  // 6 listing commands (service states included) + one `show cert own` per slot + one
  // `show cert trust` per entry.
  CHECK(o->commands == 6 + 3 + static_cast<int>(trust.certificate_pems.size()));
  CHECK(actual->stopped_services.empty());  // factory: every service [STARTED]
  CHECK(provider.commands_sent() == o->commands + 1);  // + `set cli pagination off`
  // P5: typed ahead, the lists in one round trip and the shows in another; with the
  // session's `set cli pagination off`, 3 against the goal of 2 + one per purpose (5 here).
  CHECK(o->round_trips == 2);
  CHECK(provider.round_trips() == 3);
}

TEST_CASE("ucm: a node of a larger cluster is observed in the same round trips, with settings", "[ucm][P5]") {
  // Every node's own identities replicate into tomcat-trust: the shows grow with the
  // cluster, the round trips do not (while they fit typeAheadBytes).
  SimCluster cluster({Node("cucm-pub", "127.0.93.1", "publisher"), Node("cucm-sub1", "127.0.93.2", "subscriber"),
                      Node("cucm-sub2", "127.0.93.3", "subscriber"), Node("cucm-sub3", "127.0.93.4", "subscriber")});
  auto manifest = cluster.Manifest({"tomcat", "CallManager"}, {"tomcat-trust", "CallManager-trust"});
  manifest.revocation.emplace();
  manifest.revocation->ocsp.emplace();
  manifest.monitor.emplace();
  auto session = cluster.Connect(2);
  ucm::UcmProvider provider(*session, manifest, manifest.peers[2]);
  auto actual = provider.Observe();
  if (!actual.ok()) FAIL(actual.status().ToString());
  const auto* o = provider.last_observation();
  REQUIRE(o);
  INFO(o->trust_entries.size() << " trust entries");
  CHECK(o->trust_entries.size() >= 8);
  CHECK(actual->settings.count("ocsp.enabled") == 1);
  CHECK(actual->settings.count("certificateMonitor.notifyBefore") == 1);
  // 6 lists + 2 settings, 2 slots, one show per trust entry: typed in 2 round trips.
  CHECK(o->commands == 6 + 2 + 2 + static_cast<int>(o->trust_entries.size()));
  CHECK(o->round_trips == 2);
}

TEST_CASE("ucm: CSR then sign then trust first then import then restart then served over TLS and no rollback", "[ucm][rule:U7][rule:U8][rule:U13]") {
  SimCluster cluster({Node("cucm-pub", "127.0.93.1", "publisher")});
  const auto& node = cluster.node(0);
  auto manifest = cluster.Manifest({"tomcat"}, {"tomcat-trust"});
  auto session = cluster.Connect(0);
  ucm::UcmProvider provider(*session, manifest, manifest.peers[0]);
  REQUIRE(provider.Observe().ok());

  auto csr = provider.GenerateCsr(Request("tomcat", node.spec.fqdn, {node.spec.fqdn, kClusterFqdn}));
  if (!csr.ok()) FAIL(csr.status().ToString());
  auto parsed = pki::Csr::FromPem(*csr);
  REQUIRE(parsed.ok());
  CHECK(parsed->Subject().organizationalUnit == "Voice");
  auto names = parsed->DnsNames();
  CHECK(std::find(names.begin(), names.end(), kClusterFqdn) != names.end());

  auto root = simtest::TestCa::Make("Provider Test Root");
  auto leaf = root.Sign(*csr, {node.spec.fqdn, kClusterFqdn});

  // rule U7: the issuing CA is not yet in tomcat-trust: the provider refuses before the node does.
  auto early = provider.InstallIdentity(Install("tomcat", leaf));
  REQUIRE_FALSE(early.ok());
  INFO(early.status().message());
  CHECK(Has(early.status().message(), "add it to the trust store first (U7)"));

  REQUIRE(provider.AddTrust("tomcat-trust", root.cert.ToPem()).ok());
  const auto* o = provider.last_observation();
  bool found = false;
  for (const auto& e : o->trust_entries)
    if (e.fingerprint == root.cert.FingerprintSha256()) found = !e.builtin && !e.file.empty();
  CHECK(found);

  auto backup = provider.InstallIdentity(Install("tomcat", leaf));
  if (!backup.ok()) FAIL(backup.status().ToString());
  // rule U8: the import overwrote the identity; nothing to restore, and restoring says so.
  CHECK(backup->had_identity);
  CHECK(backup->saved.empty());
  Status restore = provider.RestoreIdentity(*backup);
  REQUIRE_FALSE(restore.ok());
  CHECK(restore.code() == Status::Code::kUnsupported);
  CHECK(Has(restore.message(), "cannot be rolled back on ucm"));
  CHECK(Has(restore.message(), "(U8)"));

  // Until Cisco Tomcat restarts, the old certificate is served (rule U13).
  auto before = simtest::PeerCertificate(node.spec.address, node.spec.httpsPort, simtest::kRsaSigalgs);
  REQUIRE(before);
  CHECK(before->FingerprintSha256() != leaf.FingerprintSha256());
  Restart restart;
  restart.target = "Cisco Tomcat";
  Status restarted = provider.Restart(restart);
  if (!restarted.ok()) FAIL(restarted.ToString());
  CHECK(simtest::Eventually([&] {
    auto served = simtest::PeerCertificate(node.spec.address, node.spec.httpsPort, simtest::kRsaSigalgs);
    return served && served->FingerprintSha256() == leaf.FingerprintSha256();
  }));

  // A fresh observation agrees with what the provider kept.
  auto again = provider.Observe();
  REQUIRE(again.ok());
  REQUIRE(again->slots[0].certificate_pem);
  CHECK(*again->slots[0].certificate_pem == leaf.ToPem());
  CHECK_FALSE(again->slots[0].pending_csr_pem);
}

TEST_CASE("ucm: a restart reads the final state and a failed one is an error and unknown services are refused", "[ucm][rule:U13]") {
  SimCluster cluster({Node("cucm-pub", "127.0.93.1", "publisher")});
  auto manifest = cluster.Manifest({"tomcat"}, {"tomcat-trust"});
  auto session = cluster.Connect(0);
  ucm::UcmProvider provider(*session, manifest, manifest.peers[0]);
  Restart restart;
  restart.target = "Cisco Fancy Service";
  Status unknown = provider.Restart(restart);
  REQUIRE_FALSE(unknown.ok());
  CHECK(Has(unknown.message(), "not a service the ucm catalogue restarts (U13)"));
  CHECK(provider.commands_sent() == 0);  // nothing was typed

  cluster.WriteFaults(0, "fail-restart=Cisco Tomcat\n");
  restart.target = "Cisco Tomcat";
  Status failed = provider.Restart(restart);
  REQUIRE_FALSE(failed.ok());
  INFO(failed.message());
  CHECK(Has(failed.message(), "[FAILED]"));
}

TEST_CASE("ucm: CAPF only on the publisher", "[ucm][rule:U6]") {
  SimCluster cluster({Node("cucm-pub", "127.0.93.1", "publisher"), Node("cucm-sub", "127.0.93.2", "subscriber")});
  const auto& sub = cluster.node(1);
  auto manifest = cluster.Manifest({"CAPF"}, {"CAPF-trust"});
  auto session = cluster.Connect(1);
  ucm::UcmProvider provider(*session, manifest, manifest.peers[1]);
  auto csr = provider.GenerateCsr(Request("CAPF", sub.spec.fqdn, {sub.spec.fqdn}));
  REQUIRE_FALSE(csr.ok());
  CHECK(Has(csr.status().message(), "(U6)"));
  auto root = simtest::TestCa::Make("CAPF Test Root");
  auto key = pki::PrivateKey::Generate(pki::KeySpec::Rsa(2048));
  REQUIRE(key.ok());
  pki::CsrRequest req;
  req.subject.commonName = sub.spec.fqdn;
  auto own = pki::Csr::Create(req, *key);
  REQUIRE(own.ok());
  auto installed = provider.InstallIdentity(Install("CAPF", root.Sign(own->ToPem(), {sub.spec.fqdn})));
  REQUIRE_FALSE(installed.ok());
  INFO(installed.status().message());
  CHECK(Has(installed.status().message(), "publisher only (U6)"));
}

TEST_CASE("ucm: a new CSR replaces the pending one and a certificate for the old one is refused", "[ucm][rule:U9]") {
  SimCluster cluster({Node("cucm-pub", "127.0.93.1", "publisher")});
  const auto& node = cluster.node(0);
  auto manifest = cluster.Manifest({"tomcat"}, {"tomcat-trust"});
  auto session = cluster.Connect(0);
  ucm::UcmProvider provider(*session, manifest, manifest.peers[0]);
  auto root = simtest::TestCa::Make("U9 Root");
  REQUIRE(provider.AddTrust("tomcat-trust", root.cert.ToPem()).ok());
  auto first = provider.GenerateCsr(Request("tomcat", node.spec.fqdn, {node.spec.fqdn}));
  REQUIRE(first.ok());
  auto second = provider.GenerateCsr(Request("tomcat", node.spec.fqdn, {node.spec.fqdn}));
  REQUIRE(second.ok());
  CHECK(*first != *second);
  auto stale = provider.InstallIdentity(Install("tomcat", root.Sign(*first, {node.spec.fqdn})));
  REQUIRE_FALSE(stale.ok());
  INFO(stale.status().message());
  CHECK(Has(stale.status().message(), "does not answer the node's pending CSR"));
  CHECK(Has(stale.status().message(), "U9"));
  CHECK(provider.InstallIdentity(Install("tomcat", root.Sign(*second, {node.spec.fqdn}))).ok());
}

TEST_CASE("ucm: trust entries are removed by their file and identities never", "[ucm][rule:U11]") {
  SimCluster cluster({Node("cucm-pub", "127.0.93.1", "publisher")});
  auto manifest = cluster.Manifest({"tomcat"}, {"tomcat-trust"});
  auto session = cluster.Connect(0);
  ucm::UcmProvider provider(*session, manifest, manifest.peers[0]);
  auto root = simtest::TestCa::Make("Removable Root");
  REQUIRE(provider.AddTrust("tomcat-trust", root.cert.ToPem()).ok());

  // rule U11: "tomcat" is an identity, not a trust store: refused before anything is typed.
  auto actual = provider.Observe();
  REQUIRE(actual.ok());
  const int sent = provider.commands_sent();
  auto tomcat = pki::Certificate::FromPem(*actual->slots[0].certificate_pem);
  REQUIRE(tomcat.ok());
  Status identity = provider.RemoveTrust("tomcat", tomcat->FingerprintSha256());
  REQUIRE_FALSE(identity.ok());
  CHECK(Has(identity.message(), "U11"));
  CHECK(provider.commands_sent() == sent);

  REQUIRE(provider.RemoveTrust("tomcat-trust", root.cert.FingerprintSha256()).ok());
  auto after = provider.Observe();
  REQUIRE(after.ok());
  for (const auto& pem : after->trust[0].certificate_pems) CHECK(pem != root.cert.ToPem());
  CHECK(after->slots[0].certificate_pem == actual->slots[0].certificate_pem);
}

TEST_CASE("ucm: a CSR the CLI cannot request without the API's password fails loudly naming U15 and the REST API",
          "[ucm][rule:U15]") {
  SimCluster cluster({Node("cucm-pub", "127.0.93.1", "publisher", "14SU2")});
  const auto& node = cluster.node(0);
  auto manifest = cluster.Manifest({"tomcat"}, {"tomcat-trust"});
  auto session = cluster.Connect(0);
  ucm::UcmProvider provider(*session, manifest, manifest.peers[0]);
  REQUIRE(provider.Observe().ok());
  const int sent = provider.commands_sent();
  auto multi = provider.GenerateCsr(
      Request("tomcat", node.spec.fqdn, {node.spec.fqdn, kClusterFqdn, "cucm-sub.example.com"}));
  REQUIRE_FALSE(multi.ok());
  CHECK(multi.status().code() == Status::Code::kUnsupported);
  CHECK(Has(multi.status().message(), "U15"));
  CHECK(Has(multi.status().message(), "REST API"));
  // The API logs in with the connection's password; this connection (a key) has none.
  CHECK(Has(multi.status().message(), "password"));
  CHECK(provider.commands_sent() == sent);  // nothing reached the node
  auto other_cn = provider.GenerateCsr(Request("tomcat", "www.example.com", {node.spec.fqdn}));
  REQUIRE_FALSE(other_cn.ok());
  CHECK(other_cn.status().code() == Status::Code::kUnsupported);
  // A shared multi-server CSR (rule U3) is the REST API's too.
  auto shared_manifest = manifest;
  shared_manifest.identity[0].sans = "shared";
  ucm::UcmProvider shared(*session, shared_manifest, shared_manifest.peers[0]);
  const int before_shared = shared.commands_sent();
  auto shared_csr = shared.GenerateCsr(Request("tomcat", node.spec.fqdn, {node.spec.fqdn}));
  REQUIRE_FALSE(shared_csr.ok());
  CHECK(shared_csr.status().code() == Status::Code::kUnsupported);
  CHECK(Has(shared_csr.status().message(), "U3"));
  CHECK(Has(shared_csr.status().message(), "REST API"));
  CHECK(shared.commands_sent() == before_shared);  // refused before the node is asked anything
}

TEST_CASE("ucm: the key usages of Table 1 are checked on the certificate (before and after import)", "[ucm][rule:U2]") {
  SimCluster cluster({Node("cucm-pub", "127.0.93.1", "publisher")});
  const auto& node = cluster.node(0);
  auto manifest = cluster.Manifest({"tomcat"}, {"tomcat-trust"});
  auto session = cluster.Connect(0);
  ucm::UcmProvider provider(*session, manifest, manifest.peers[0]);
  auto root = simtest::TestCa::Make("U2 Root");
  REQUIRE(provider.AddTrust("tomcat-trust", root.cert.ToPem()).ok());
  auto csr = provider.GenerateCsr(Request("tomcat", node.spec.fqdn, {node.spec.fqdn}));
  REQUIRE(csr.ok());
  auto before = provider.last_observation()->actual.slots[0].certificate_pem;
  // Table 1 marks Data Encipherment Y for tomcat: a certificate without it is refused.
  auto leaf = root.Sign(*csr, {node.spec.fqdn}, {"digitalSignature", "keyEncipherment"});
  auto installed = provider.InstallIdentity(Install("tomcat", leaf));
  REQUIRE_FALSE(installed.ok());
  INFO(installed.status().message());
  CHECK(Has(installed.status().message(), "dataEncipherment"));
  CHECK(Has(installed.status().message(), "(U2)"));
  auto after = provider.Observe();
  REQUIRE(after.ok());
  CHECK(after->slots[0].certificate_pem == before);  // the identity was not touched
}

TEST_CASE("ucm: the OU question is answered from 14SU1 and before it a subject without OU is refused", "[ucm]") {
  SimCluster cluster({Node("cucm-pub", "127.0.93.1", "publisher", "14"), Node("cucm-sub", "127.0.93.2", "subscriber")});
  auto manifest = cluster.Manifest({"tomcat"}, {"tomcat-trust"});
  {
    const auto& node = cluster.node(0);
    auto session = cluster.Connect(0);
    ucm::UcmProvider provider(*session, manifest, manifest.peers[0]);
    auto no_ou = provider.GenerateCsr(Request("tomcat", node.spec.fqdn, {node.spec.fqdn}, ""));
    REQUIRE_FALSE(no_ou.ok());
    CHECK(Has(no_ou.status().message(), "before 14SU1"));
    auto with_ou = provider.GenerateCsr(Request("tomcat", node.spec.fqdn, {node.spec.fqdn}, "Voice"));
    if (!with_ou.ok()) FAIL(with_ou.status().ToString());
    CHECK(pki::Csr::FromPem(*with_ou)->Subject().organizationalUnit == "Voice");
  }
  {
    const auto& node = cluster.node(1);
    auto session = cluster.Connect(1);
    ucm::UcmProvider provider(*session, manifest, manifest.peers[1]);
    auto no_ou = provider.GenerateCsr(Request("tomcat", node.spec.fqdn, {node.spec.fqdn}, ""));
    if (!no_ou.ok()) FAIL(no_ou.status().ToString());
    CHECK(pki::Csr::FromPem(*no_ou)->Subject().organizationalUnit.empty());
  }
}

TEST_CASE("ucm: what the CLI cannot do is Unsupported with the reason", "[ucm]") {
  SimCluster cluster({Node("cucm-pub", "127.0.93.1", "publisher")});
  auto manifest = cluster.Manifest({"tomcat"}, {"tomcat-trust"});
  auto session = cluster.Connect(0);
  ucm::UcmProvider provider(*session, manifest, manifest.peers[0]);
  SelfSignOnPeer self;
  self.slot = "tomcat";
  CHECK(provider.SelfSignPending(self).status().code() == Status::Code::kUnsupported);
  CHECK(provider.InstallCrl("crl", "x").code() == Status::Code::kUnsupported);
  CHECK(provider.RemoveLeftoverBackups("tomcat", {"x"}).code() == Status::Code::kUnsupported);
  CHECK(provider.commands_sent() == 0);
}
