// pkiform-sim, platform vcs: restarts (rule V7) and the TLS services that serve the active
// server certificate (HTTPS, SIP TLS, and the MRA endpoint of rule V15), with real handshakes
// against `pkiform-sim tls` on 127.0.100.x.
#include <catch2/catch.hpp>

#include "tests/sim/vcs_test_support.h"

namespace pkiform::simtest {
namespace {

std::optional<pki::Certificate> Served(const VcsPeer& peer, int port) {
  return PeerCertificate(peer.spec.address, port, kRsaSigalgs);
}

pki::Certificate Installed(const VcsPeer& peer) {
  auto cert = pki::Certificate::FromPem(peer.File("server.pem").value_or(""));
  REQUIRE(cert.ok());
  return *cert;
}

// A certificate and key made elsewhere (no CSR), staged and uploaded; `keyPem` as given.
pki::Certificate UploadWithKey(const VcsPeer& peer, const TestCa& ca, const std::string& keyPem,
                               const pki::PrivateKey& key) {
  pki::SigningPolicy p;
  p.subject.commonName = peer.spec.fqdn;
  p.dnsNames = {peer.spec.fqdn};
  p.extendedKeyUsage = {"serverAuth", "clientAuth"};
  p.notBefore =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) - std::chrono::minutes(5);
  p.validity = std::chrono::hours(24 * 30);
  auto cert = pki::SignPublicKey(key.get(), ca.cert, ca.key, p);
  REQUIRE(cert.ok());
  peer.Stage("s.pem", cert->ToPem());
  peer.Stage("s.key", keyPem);
  auto answer = peer.Command(
      "xCommand Certificates Server Upload CertificateFile: \"/tmp/pkiform/s.pem\" KeyFile: \"/tmp/pkiform/s.key\"");
  INFO(answer);
  REQUIRE(Has(answer, "(status=OK)"));
  return *cert;
}

}  // namespace

TEST_CASE("vcs TLS: HTTPS, SIP TLS and MRA serve the factory certificate of a new peer", "[sim][vcs][rule:V17]") {
  testing::TempDir tmp;
  VcsPeer peer(tmp.path() / "vcs1", {"vcs1.example.com", "127.0.100.11"});
  TlsDaemon daemon({peer.dir}, tmp.path() / "tls.log");
  const auto factory = Installed(peer);
  CHECK(factory.Issuer().commonName.starts_with("Temporary CA "));
  for (int port : {peer.httpsPort, peer.sipPort, peer.mraPort}) {
    auto served = Served(peer, port);
    REQUIRE(served);
    CHECK(*served == factory);
  }
}

TEST_CASE("vcs restart: a new server certificate is served only after it; sessions drop; down meanwhile",
          "[sim][vcs][rule:V7]") {
  testing::TempDir tmp;
  VcsPeer peer(tmp.path() / "vcs1", {"vcs1.example.com", "127.0.100.12", "vcs.example.com", 1500});
  TlsDaemon daemon({peer.dir}, tmp.path() / "tls.log");
  const auto factory = Installed(peer);
  auto ca = TestCa::Make("Test Root CA");
  auto leaf = ca.Sign(peer.Csr("vcs1.example.com,vcs.example.com"), {"vcs1.example.com", "vcs.example.com"});
  peer.Stage("leaf.pem", leaf.ToPem());
  REQUIRE(Has(peer.Command("xCommand Certificates Server Upload CertificateFile: \"/tmp/pkiform/leaf.pem\""),
              "(status=OK)"));
  // Installed, not active.
  CHECK(Installed(peer) == leaf);
  CHECK(Served(peer, peer.httpsPort) == factory);
  CHECK(Served(peer, peer.sipPort) == factory);

  // Sessions open when the restart comes: an idle admin shell and a root `cat >` waiting for input.
  HeldSession admin(peer.dir, {kAdminEnv}, "echo off\n");
  HeldSession staging(peer.dir, {kRootEnv, "SSH_ORIGINAL_COMMAND=cat > /tmp/pkiform/half.pem"}, "-----BEGIN");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto restart = peer.Admin("xCommand Restart\nxStatus SystemUnit\n");
  INFO(restart.out);
  CHECK(Has(restart.out, "*r RestartResult (status=OK):\r\n*r/end\r\nOK\r\n"));
  CHECK_FALSE(Has(restart.out, "*s SystemUnit"));  // the restarting session ended too
  CHECK(admin.EndsWithin(std::chrono::seconds(2)));
  CHECK(staging.EndsWithin(std::chrono::seconds(2)));
  // Down: TLS refused, logins refused.
  CHECK(Eventually([&] { return !Served(peer, peer.httpsPort); }, std::chrono::milliseconds(1000)));
  CHECK_FALSE(Served(peer, peer.sipPort));
  auto login = peer.Admin("xStatus SystemUnit\n");
  CHECK(login.exitCode == 255);
  CHECK(Has(login.err, "is restarting"));
  // Back: the new certificate on every endpoint; staged files are gone with /tmp.
  std::optional<pki::Certificate> after;
  CHECK(Eventually(
      [&] {
        after = Served(peer, peer.httpsPort);
        return after && *after == leaf;
      },
      std::chrono::seconds(5)));
  CHECK(Served(peer, peer.sipPort) == leaf);
  CHECK(Has(peer.Command("xStatus SystemUnit"), "*s/end"));
  CHECK_FALSE(fs::exists(peer.dir / "staging" / "leaf.pem"));
  CHECK_FALSE(fs::exists(peer.dir / "staging" / "half.pem"));
}

TEST_CASE("vcs MRA fails while the active key file lacks its final newline", "[sim][vcs][rule:V15]") {
  testing::TempDir tmp;
  VcsPeer peer(tmp.path() / "vcs1", {"vcs1.example.com", "127.0.100.13"});
  TlsDaemon daemon({peer.dir}, tmp.path() / "tls.log");
  auto ca = TestCa::Make("Test Root CA");
  auto key = pki::PrivateKey::Generate(pki::KeySpec::Rsa(2048));
  REQUIRE(key.ok());
  auto pem = key->ToPem();
  REQUIRE(pem.ok());
  std::string noNewline = pem->str();
  noNewline.pop_back();
  auto leaf = UploadWithKey(peer, ca, noNewline, *key);  // accepted as it is (no refusal in the seed)
  CHECK(Has(peer.Command("xCommand Restart"), "(status=OK)"));
  CHECK(Eventually([&] { return Served(peer, peer.httpsPort) == leaf; }));
  CHECK(Served(peer, peer.sipPort) == leaf);
  CHECK_FALSE(Served(peer, peer.mraPort));
  // The same key with its newline: MRA serves again after the next restart.
  auto again = UploadWithKey(peer, ca, pem->str(), *key);
  CHECK(Has(peer.Command("xCommand Restart"), "(status=OK)"));
  CHECK(Eventually([&] { return Served(peer, peer.mraPort) == again; }));
}

TEST_CASE("vcs restart that never comes back while the fail-restart fault is set", "[sim][vcs]") {
  testing::TempDir tmp;
  VcsPeer peer(tmp.path() / "vcs1", {"vcs1.example.com", "127.0.100.14"});
  TlsDaemon daemon({peer.dir}, tmp.path() / "tls.log");
  REQUIRE(Served(peer, peer.httpsPort));
  std::ofstream(peer.dir / "faults") << "fail-restart=1\n";
  CHECK(Has(peer.Command("xCommand Restart"), "(status=OK)"));
  CHECK(Eventually([&] { return !Served(peer, peer.httpsPort); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  CHECK_FALSE(Served(peer, peer.httpsPort));
  CHECK(peer.Admin("xStatus SystemUnit\n").exitCode == 255);
  std::ofstream(peer.dir / "faults", std::ios::trunc) << "";
  CHECK(Eventually([&] { return Served(peer, peer.httpsPort).has_value(); }));
  CHECK(Has(peer.Command("xStatus SystemUnit"), "*s/end"));
}

}  // namespace pkiform::simtest
