// The ucm provider's platform REST API path (rule U15) against pkiform-sim behind a real
// sshd: CSRs with more names than the CLI carries, and from 14SU2 the multi-SAN identity
// the CLI refuses, uploaded over HTTPS (basic auth with the connection's password, TLS
// trusting the tomcat certificate seen over SSH), then served after Cisco Tomcat restarts.
// Addresses: 127.0.97.20-39.
#include <catch2/catch.hpp>
#include <fstream>

#include "tests/providers/ucm/ucm_fixture.h"

using namespace pkiform;
using namespace pkiform::ucmtest;

namespace {

const std::string kApiPassword = "Provider-Rest-Password-7";

// A password file the test keeps (0600), and nodes whose administrator it is.
struct PasswordFile {
  testing::TempDir tmp;
  std::string path = (tmp.path() / "password").string();
  explicit PasswordFile(const std::string& password) {
    std::ofstream(path) << password << "\n";
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
    // sshd's login user runs no part of this; only `pkiform-sim init` (root) reads it.
  }
};

simtest::NodeSpec Node(const std::string& host, const std::string& address, const std::string& release,
                       const PasswordFile& admin) {
  simtest::NodeSpec s;
  s.fqdn = host + ".example.com";
  s.address = address;
  s.role = "publisher";
  s.release = release;
  s.adminUser = SimCluster::LoginUser();
  s.adminPasswordFile = admin.path;
  return s;
}

CsrOnPeer Request(const std::string& slot, const std::string& fqdn, std::vector<std::string> sans) {
  CsrOnPeer r;
  r.slot = slot;
  r.request.subject.commonName = fqdn;
  r.request.subject.organizationalUnit = "Voice";
  r.request.subject.organization = "Example Corp";
  r.request.subject.locality = "San Jose";
  r.request.subject.state = "California";
  r.request.subject.country = "US";
  r.request.dnsNames = std::move(sans);
  r.key = pki::KeySpec::Rsa(2048);
  return r;
}

IdentityInstall Install(const std::string& slot, const pki::Certificate& cert, const pki::Certificate& ca) {
  IdentityInstall i;
  i.slot = slot;
  i.certificate_pem = cert.ToPem();
  i.chain_pems = {ca.ToPem()};
  i.use_pending_key = true;
  return i;
}

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::vector<std::string> ManyNames(const std::string& fqdn) {
  return {fqdn, kClusterFqdn, "cucm-sub.example.com", "uc.example.com"};
}

}  // namespace

TEST_CASE("ucm: from 14SU2 a multi-SAN tomcat goes through the platform REST API: CSR, upload, restart, served",
          "[ucm][rest][rule:U15]") {
  PasswordFile admin(kApiPassword);
  SimCluster cluster({Node("cucm-pub", "127.0.97.21", "14SU2", admin)});
  const auto& node = cluster.node(0);
  auto manifest = cluster.Manifest({"tomcat"}, {"tomcat-trust"});
  auto session = cluster.Connect(0, admin.path);
  ucm::UcmProvider provider(*session, manifest, manifest.peers[0]);
  REQUIRE(provider.Observe().ok());

  auto csr = provider.GenerateCsr(Request("tomcat", node.spec.fqdn, ManyNames(node.spec.fqdn)));
  if (!csr.ok()) FAIL(csr.status().ToString());
  auto parsed = pki::Csr::FromPem(*csr);
  REQUIRE(parsed.ok());
  CHECK(parsed->DnsNames().size() == 4);
  CHECK(parsed->Subject().organizationalUnit == "Voice");
  // It is the node's pending CSR (rule U9), as the CLI shows it.
  auto shown = simtest::RunShell(node.dir, "show csr own tomcat/tomcat.csr\nquit\n");
  CHECK(simtest::PemBlock(shown.out, "CERTIFICATE REQUEST") == *csr);

  auto root = simtest::TestCa::Make("REST Provider Root");
  auto leaf = root.Sign(*csr, ManyNames(node.spec.fqdn));
  REQUIRE(provider.AddTrust("tomcat-trust", root.cert.ToPem()).ok());
  auto before = simtest::PeerCertificate(node.spec.address, node.spec.httpsPort, simtest::kRsaSigalgs);
  REQUIRE(before);
  auto installed = provider.InstallIdentity(Install("tomcat", leaf, root.cert));
  if (!installed.ok()) FAIL(installed.status().ToString());
  CHECK(provider.last_observation()->actual.slots[0].certificate_pem == leaf.ToPem());
  // Served only after the restart (rule U13), like an import through the CLI.
  CHECK(*simtest::PeerCertificate(node.spec.address, node.spec.httpsPort, simtest::kRsaSigalgs) == *before);
  Restart restart;
  restart.target = "Cisco Tomcat";
  Status restarted = provider.Restart(restart);
  if (!restarted.ok()) FAIL(restarted.ToString());
  CHECK(simtest::Eventually([&] {
    auto served = simtest::PeerCertificate(node.spec.address, node.spec.httpsPort, simtest::kRsaSigalgs);
    return served && *served == leaf;
  }));
  // Observed again: the multi-SAN certificate is what the node holds.
  ucm::UcmProvider again(*session, manifest, manifest.peers[0]);
  auto actual = again.Observe();
  REQUIRE(actual.ok());
  CHECK(actual->slots[0].certificate_pem == leaf.ToPem());
}

TEST_CASE("ucm: before 14SU2 the multi-SAN CSR comes from the API and the certificate goes through the CLI",
          "[ucm][rest][rule:U15]") {
  PasswordFile admin(kApiPassword);
  SimCluster cluster({Node("cucm-pub", "127.0.97.22", "14SU1", admin)});
  const auto& node = cluster.node(0);
  auto manifest = cluster.Manifest({"tomcat"}, {"tomcat-trust"});
  auto session = cluster.Connect(0, admin.path);
  ucm::UcmProvider provider(*session, manifest, manifest.peers[0]);
  REQUIRE(provider.Observe().ok());
  auto csr = provider.GenerateCsr(Request("tomcat", node.spec.fqdn, ManyNames(node.spec.fqdn)));
  if (!csr.ok()) FAIL(csr.status().ToString());
  auto root = simtest::TestCa::Make("REST Provider Root SU1");
  auto leaf = root.Sign(*csr, ManyNames(node.spec.fqdn));
  REQUIRE(provider.AddTrust("tomcat-trust", root.cert.ToPem()).ok());
  const int sent = provider.commands_sent();
  auto installed = provider.InstallIdentity(Install("tomcat", leaf, root.cert));
  if (!installed.ok()) FAIL(installed.status().ToString());
  // set cert import own + show cert own: the CLI did it (the API path reads tomcat and tomcat-ECDSA first: 4).
  CHECK(provider.commands_sent() - sent == 2);
}

TEST_CASE("ucm: the API refuses a wrong password and the message never holds it", "[ucm][rest][rule:U15]") {
  PasswordFile admin(kApiPassword);
  PasswordFile wrong("Not-The-Admin-Password");
  SimCluster cluster({Node("cucm-pub", "127.0.97.23", "14SU2", admin)});
  const auto& node = cluster.node(0);
  auto manifest = cluster.Manifest({"tomcat"}, {"tomcat-trust"});
  auto session = cluster.Connect(0, wrong.path);
  ucm::UcmProvider provider(*session, manifest, manifest.peers[0]);
  REQUIRE(provider.Observe().ok());
  auto csr = provider.GenerateCsr(Request("tomcat", node.spec.fqdn, ManyNames(node.spec.fqdn)));
  REQUIRE_FALSE(csr.ok());
  INFO(csr.status().message());
  CHECK(Has(csr.status().message(), "HTTP 401"));
  CHECK(Has(csr.status().message(), "/platformcom/api/v1/certmgr/config/csr"));
  CHECK_FALSE(Has(csr.status().message(), "Not-The-Admin-Password"));
  CHECK_FALSE(Has(csr.status().message(), kApiPassword));
}

TEST_CASE("ucm: the API's TLS trusts only the node's own tomcat certificate (a wrong address is refused)",
          "[ucm][rest][rule:U15]") {
  PasswordFile admin(kApiPassword);
  auto other = Node("cucm-other", "127.0.97.25", "14SU2", admin);
  other.role = "subscriber";
  SimCluster cluster({Node("cucm-pub", "127.0.97.24", "14SU2", admin), other});
  const auto& node = cluster.node(0);
  auto manifest = cluster.Manifest({"tomcat"}, {"tomcat-trust"});
  // The manifest sends the API to the other node's HTTPS endpoint: its certificate is not
  // the one this node showed over SSH, and it names another host.
  Peer peer = manifest.peers[0];
  peer.address = cluster.node(1).spec.address;
  peer.https_port = cluster.node(1).spec.httpsPort;
  auto session = cluster.Connect(0, admin.path);
  ucm::UcmProvider provider(*session, manifest, peer);
  REQUIRE(provider.Observe().ok());
  auto csr = provider.GenerateCsr(Request("tomcat", node.spec.fqdn, ManyNames(node.spec.fqdn)));
  REQUIRE_FALSE(csr.ok());
  INFO(csr.status().message());
  CHECK(Has(csr.status().message(), "https://cucm-pub.example.com:"));
  CHECK_FALSE(fs::exists(cluster.node(1).dir / "csr" / "tomcat.csr"));
}

TEST_CASE("ucm: a CSR through the API takes the purpose's key algorithm (RSA tomcat, EC tomcat-ECDSA)",
          "[ucm][rest][rule:U5]") {
  PasswordFile admin(kApiPassword);
  SimCluster cluster({Node("cucm-pub", "127.0.97.26", "14SU2", admin)});
  const auto& node = cluster.node(0);
  auto manifest = cluster.Manifest({"tomcat", "tomcat-ECDSA"}, {"tomcat-trust"});
  auto session = cluster.Connect(0, admin.path);
  ucm::UcmProvider provider(*session, manifest, manifest.peers[0]);
  REQUIRE(provider.Observe().ok());
  const int sent = provider.commands_sent();
  auto ec_tomcat = Request("tomcat", node.spec.fqdn, ManyNames(node.spec.fqdn));
  ec_tomcat.key = pki::KeySpec::Ecdsa("P-256");
  auto refused = provider.GenerateCsr(ec_tomcat);
  REQUIRE_FALSE(refused.ok());
  CHECK(Has(refused.status().message(), "(U5)"));
  CHECK(provider.commands_sent() == sent);  // refused before the node is asked
  auto ec = Request("tomcat-ECDSA", node.spec.fqdn, ManyNames(node.spec.fqdn));
  ec.key = pki::KeySpec::Ecdsa("P-384");
  auto made = provider.GenerateCsr(ec);
  if (!made.ok()) FAIL(made.status().ToString());
  CHECK(pki::Csr::FromPem(*made)->Key().ToString() == "ECDSA P-384");
}
