// The vcs provider against pkiform-sim behind the fleet harness's real sshd (two logins per
// peer: the admin xACLI on a PTY, the root account's exec requests) and its TLS daemon:
// observe the factory state (V17), CSR with discard (V4), upload of a signed certificate or
// of a key made by pkiform (V8, V15), restart and wait (V7), CA append and replacement
// (V9), CRL upload (V11), settings (V10, V13). Each rule case fails when the provider's
// handling is taken out (tests/providers/vcs/check-rule-tests makes those mutations).
//
// Addresses: 127.0.101.10-40, one block per test case (ctest runs them in parallel).
// Builds without pkiform-sim (the sanitizer and fuzz builds: PKIFORM_SIM_BUILT=0) have no cases here.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "providers/vcs/vcs_provider.h"
#include "reconciler/pki/crl.h"
#include "tests/providers/fleet/fleet_test_support.h"
#include "tests/sim/sim_test_support.h"
#include "tests/support/fleet_harness.h"
#include "tests/support/must.h"

#if PKIFORM_SIM_BUILT

using namespace pkiform;
using pkiform::testing::Must;

namespace {

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// One vcs peer in a fleet, and the manifest's view of its cluster.
class VcsPeers {
 public:
  VcsPeers(const std::string& fqdn, const std::string& address, int restart_ms = 0) {
    const std::vector<std::pair<std::string, std::string>> peers = {{fqdn, address}};
    testing::FleetOptions options;
    options.simPath = PKIFORM_SIM_PATH;
    options.applianceRestartMs = restart_ms;
    for (const auto& [fqdn, address] : peers) {
      testing::FleetHost host(fqdn, address);
      host.platform = "vcs";
      options.hosts.push_back(host);
    }
    fleet_ = testing::StartFleet(options);
    cluster_.name = "vcs";
    cluster_.platform = "vcs";
    cluster_.platform_version = "X8.1";
    cluster_.fqdn = "vcs.example.test";
    cluster_.connection.user = fleet_->applianceUser();
    RootLogin root;
    root.user = fleet_->rootUser();
    root.password_file = FileRef{};
    root.password_file->path = fleet_->rootPasswordPath();
    cluster_.connection.root = root;
    for (const auto& [fqdn, address] : peers) {
      Peer p;
      p.fqdn = fqdn;
      p.address = address;
      cluster_.peers.push_back(p);
    }
    IdentitySlot server;
    server.slot = "server";
    cluster_.identity.push_back(server);
    TrustStore store;
    store.store = "default";
    cluster_.trust.push_back(store);
  }

  Cluster& cluster() { return cluster_; }
  testing::FleetHarness& fleet() { return *fleet_; }
  const Peer& peer(size_t i) const { return cluster_.peers.at(i); }

  // A provider on a new admin login to peer i (the provider opens the root login itself).
  std::unique_ptr<vcs::VcsProvider> Provider(size_t i) {
    sessions_.push_back(testing::Connect(Must(fleet_->Target(peer(i).fqdn))));
    return std::make_unique<vcs::VcsProvider>(*sessions_.back(), cluster_, peer(i));
  }

  // What the peer serves on HTTPS (PEM), or the error.
  Result<std::string> Served(size_t i) const {
    return testing::FleetHarness::FetchServedCertificatePem(peer(i).address, fleet_->httpsPort(), "",
                                                            std::chrono::milliseconds(5000));
  }

 private:
  std::unique_ptr<testing::FleetHarness> fleet_;
  Cluster cluster_;
  std::vector<std::unique_ptr<ssh::SshSession>> sessions_;
};

CsrOnPeer Request(const std::string& fqdn, const std::string& ou = "Video") {
  CsrOnPeer r;
  r.slot = "server";
  r.request.subject.commonName = fqdn;
  r.request.subject.organizationalUnit = ou;
  r.request.subject.organization = "Example Corp";
  r.request.subject.locality = "London";
  r.request.subject.state = "England";
  r.request.subject.country = "GB";
  r.request.dnsNames = {fqdn, "vcs.example.test"};
  r.key = pki::KeySpec::Rsa(2048);
  return r;
}

IdentityInstall Install(const pki::Certificate& cert) {
  IdentityInstall i;
  i.slot = "server";
  i.certificate_pem = cert.ToPem();
  i.use_pending_key = true;
  return i;
}

pkiform::Restart ApplianceRestart(int timeout_seconds = 60) {
  pkiform::Restart r;
  r.kind = RestartKind::kAppliance;
  r.target = "VCS";
  r.timeout_seconds = timeout_seconds;
  r.drops_session = true;
  return r;
}

std::string Fingerprint(const std::string& pem) { return Must(pki::Certificate::FromPem(pem)).FingerprintSha256(); }

}  // namespace

TEST_CASE("vcs provider: a factory peer is observed in 3 round trips, its temporary identity to be replaced",
          "[vcs][provider][rule:V17][P5]") {
  VcsPeers peers("vcs1.example.test", "127.0.101.10");
  auto provider = peers.Provider(0);
  auto actual = provider->Observe();
  if (!actual.ok()) FAIL(actual.status().ToString());
  CHECK(actual->cluster == "vcs");
  CHECK(actual->peer == "vcs1.example.test");
  REQUIRE(actual->slots.size() == 1);
  const ObservedSlot& slot = actual->slots[0];
  CHECK(slot.slot == "server");
  REQUIRE(slot.certificate_pem);
  auto cert = Must(pki::Certificate::FromPem(*slot.certificate_pem));
  CHECK(cert.Subject().commonName == "vcs1.example.test");
  CHECK(slot.key_public_digest == cert.PublicKeyDigest());
  CHECK_FALSE(slot.pending_csr_pem);
  // rule V17: the factory identity is replaced whatever the manifest says.
  CHECK(Has(slot.must_replace, "temporary identity"));
  CHECK(Has(slot.must_replace, "V17"));
  REQUIRE(actual->trust.size() == 1);
  CHECK(actual->trust[0].store == "default");
  REQUIRE(actual->trust[0].certificate_pems.size() == 1);
  REQUIRE(actual->crls.size() == 1);
  CHECK(actual->crls[0].location == "uploaded");
  CHECK_FALSE(actual->crls[0].pem);
  CHECK(actual->settings.empty());  // the manifest sets none
  // The tail of the four files, echo off, xStatus SystemUnit, xConfiguration Alternates:
  // the two reads typed ahead together (P5: at most 3 round trips).
  CHECK(provider->commands_sent() == 4);
  CHECK(provider->round_trips() == 3);
  // The factory identity is what the peer serves.
  CHECK(Fingerprint(Must(peers.Served(0))) == cert.FingerprintSha256());
}

TEST_CASE("vcs provider: a pending CSR is discarded before a new one (one at a time)", "[vcs][provider][rule:V4]") {
  VcsPeers peers("vcs1.example.test", "127.0.101.12");
  auto provider = peers.Provider(0);
  auto first = provider->GenerateCsr(Request("vcs1.example.test"));
  if (!first.ok()) FAIL(first.status().ToString());
  auto second = provider->GenerateCsr(Request("vcs1.example.test", "Edge"));
  if (!second.ok()) FAIL(second.status().ToString());
  auto one = Must(pki::Csr::FromPem(*first));
  auto two = Must(pki::Csr::FromPem(*second));
  CHECK(one.PublicKeyDigest() != two.PublicKeyDigest());  // a new key on the peer
  CHECK(two.Subject().organizationalUnit == "Edge");
  auto names = two.DnsNames();
  CHECK(std::find(names.begin(), names.end(), "vcs.example.test") != names.end());
  auto actual = Must(provider->Observe());
  REQUIRE(actual.slots.at(0).pending_csr_pem);
  CHECK(Must(pki::Csr::FromPem(*actual.slots[0].pending_csr_pem)).PublicKeyDigest() == two.PublicKeyDigest());
}

TEST_CASE("vcs provider: a signed certificate is served only after the restart, which the provider waits out",
          "[vcs][provider][rule:V7]") {
  VcsPeers peers("vcs1.example.test", "127.0.101.14", /*restart_ms=*/1500);
  auto provider = peers.Provider(0);
  auto csr = provider->GenerateCsr(Request("vcs1.example.test"));
  if (!csr.ok()) FAIL(csr.status().ToString());
  auto root = simtest::TestCa::Make("V7 Root");
  auto leaf = root.Sign(*csr, {"vcs1.example.test", "vcs.example.test"});
  REQUIRE(provider->AddTrust("default", root.cert.ToPem()).ok());
  auto backup = provider->InstallIdentity(Install(leaf));
  if (!backup.ok()) FAIL(backup.status().ToString());
  // Installed, not active: the old identity is still served.
  CHECK(Fingerprint(Must(peers.Served(0))) != leaf.FingerprintSha256());
  // Nothing to put back: the seed names no way (catalogue rollback), and the provider says so.
  Status restore = provider->RestoreIdentity(*backup);
  CHECK(restore.code() == Status::Code::kUnsupported);

  Status restarted = provider->Restart(ApplianceRestart());
  if (!restarted.ok()) FAIL(restarted.ToString());
  // Restart returns once the peer's SSH answers again; its web server may take a moment more
  // (the simulator reopens its listeners within one 50 ms poll; a real VCS may be slower,
  // which is why the executor's verification retries): it then serves the new certificate.
  auto served = peers.Served(0);
  for (int attempt = 0; !served.ok() && attempt < 100; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    served = peers.Served(0);
  }
  if (!served.ok()) FAIL(served.status().ToString());
  CHECK(Fingerprint(*served) == leaf.FingerprintSha256());
  // A new provider (the run reconnects) sees the new identity installed, no CSR pending.
  auto fresh = peers.Provider(0);
  auto actual = Must(fresh->Observe());
  CHECK(Fingerprint(*actual.slots.at(0).certificate_pem) == leaf.FingerprintSha256());
  CHECK(actual.slots[0].must_replace.empty());
  CHECK_FALSE(actual.slots[0].pending_csr_pem);
}

TEST_CASE("vcs provider: a restart that never comes back fails within its timeout, naming it",
          "[vcs][provider][rule:V7]") {
  VcsPeers peers("vcs1.example.test", "127.0.101.16");
  std::ofstream(Must(peers.fleet().hostDir("vcs1.example.test")) + "/faults") << "fail-restart=1\n";
  auto provider = peers.Provider(0);
  Status restarted = provider->Restart(ApplianceRestart(/*timeout_seconds=*/3));
  REQUIRE_FALSE(restarted.ok());
  CHECK(Has(restarted.message(), "not back after 3 s"));
}

TEST_CASE("vcs provider: a key pkiform made is uploaded with the certificate, a pending CSR discarded first, the key "
          "ending in one newline",
          "[vcs][provider][rule:V8][rule:V15]") {
  VcsPeers peers("vcs1.example.test", "127.0.101.18");
  auto provider = peers.Provider(0);
  REQUIRE(provider->GenerateCsr(Request("vcs1.example.test")).ok());  // a CSR in progress (V8)
  auto key = Must(pki::PrivateKey::Generate(pki::KeySpec::Rsa(2048)));
  pki::CsrRequest request = Request("vcs1.example.test").request;
  auto csr = Must(pki::Csr::Create(request, key));
  auto root = simtest::TestCa::Make("V8 Root");
  auto leaf = root.Sign(csr.ToPem(), {"vcs1.example.test", "vcs.example.test"});
  std::string pem(Must(key.ToPem()).view());
  while (!pem.empty() && pem.back() == '\n') pem.pop_back();  // no final newline (V15)
  pki::SecretString secret(std::move(pem));
  IdentityInstall install;
  install.slot = "server";
  install.certificate_pem = leaf.ToPem();
  install.private_key_pem = &secret;
  auto backup = provider->InstallIdentity(install);
  if (!backup.ok()) FAIL(backup.status().ToString());
  REQUIRE(provider->Restart(ApplianceRestart()).ok());
  CHECK(Fingerprint(Must(peers.Served(0))) == leaf.FingerprintSha256());
  // rule V15: mobile and remote access serves only when the key file ends in a newline.
  auto mra = testing::FleetHarness::FetchServedCertificatePem("127.0.101.18", peers.fleet().mraPort(), "",
                                                              std::chrono::milliseconds(5000));
  if (!mra.ok()) FAIL(mra.status().ToString());
  CHECK(Fingerprint(*mra) == leaf.FingerprintSha256());
  // No staged file stays behind, the key least of all (the simulator keeps /tmp/pkiform in staging/).
  const std::filesystem::path staging = Must(peers.fleet().hostDir("vcs1.example.test")) + "/staging";
  CHECK((!std::filesystem::exists(staging) || std::filesystem::is_empty(staging)));
}

TEST_CASE("vcs provider: a CA with the issuer and subject of an entry replaces it; deleting the old one then is done",
          "[vcs][provider][rule:V9]") {
  VcsPeers peers("vcs1.example.test", "127.0.101.20");
  auto provider = peers.Provider(0);
  auto old_ca = simtest::TestCa::Make("Partner Root");
  auto new_ca = simtest::TestCa::Make("Partner Root");  // same subject and issuer, another key
  REQUIRE(provider->AddTrust("default", old_ca.cert.ToPem()).ok());
  REQUIRE(provider->AddTrust("default", old_ca.cert.ToPem()).ok());  // already there: nothing to do
  Status added = provider->AddTrust("default", new_ca.cert.ToPem());
  if (!added.ok()) FAIL(added.ToString());
  Status removed = provider->RemoveTrust("default", old_ca.cert.FingerprintSha256());
  if (!removed.ok()) FAIL(removed.ToString());
  auto fresh = peers.Provider(0);
  auto actual = Must(fresh->Observe());
  std::vector<std::string> fingerprints;
  for (const auto& pem : actual.trust.at(0).certificate_pems) fingerprints.push_back(Fingerprint(pem));
  CHECK(fingerprints.size() == 2);  // the temporary CA and the new partner CA
  CHECK(std::count(fingerprints.begin(), fingerprints.end(), new_ca.cert.FingerprintSha256()) == 1);
  CHECK(std::count(fingerprints.begin(), fingerprints.end(), old_ca.cert.FingerprintSha256()) == 0);
  // And an entry deleted by fingerprint.
  REQUIRE(fresh->RemoveTrust("default", new_ca.cert.FingerprintSha256()).ok());
  CHECK(Must(peers.Provider(0)->Observe()).trust.at(0).certificate_pems.size() == 1);
}

TEST_CASE("vcs provider: an uploaded CRL replaces the previous one, and it can be removed", "[vcs][provider][rule:V11]") {
  VcsPeers peers("vcs1.example.test", "127.0.101.22");
  auto provider = peers.Provider(0);
  auto ca = simtest::TestCa::Make("CRL Root");
  const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  auto first = Must(pki::CreateCrl(ca.cert, ca.key, {}, now - std::chrono::hours(2), now + std::chrono::hours(48)));
  auto second = Must(pki::CreateCrl(ca.cert, ca.key, {"0A"}, now - std::chrono::hours(1), now + std::chrono::hours(48)));
  Status up = provider->InstallCrl("uploaded", first.ToPem());
  if (!up.ok()) FAIL(up.ToString());
  CHECK(Must(peers.Provider(0)->Observe()).crls.at(0).pem == first.ToPem());
  REQUIRE(provider->InstallCrl("uploaded", second.ToPem()).ok());
  CHECK(Must(peers.Provider(0)->Observe()).crls.at(0).pem == second.ToPem());
  // A location the VCS does not have is refused before anything is sent.
  CHECK(provider->InstallCrl("/etc/crl.pem", first.ToPem()).code() == Status::Code::kNotFound);
  CHECK(provider->RemoveCrl("/etc/crl.pem").code() == Status::Code::kNotFound);
  Status removed = provider->RemoveCrl("uploaded");
  if (!removed.ok()) FAIL(removed.ToString());
  CHECK_FALSE(Must(peers.Provider(0)->Observe()).crls.at(0).pem);
}

TEST_CASE("vcs provider: CRL distribution points and daily time are set and read back", "[vcs][provider][rule:V10]") {
  VcsPeers peers("vcs1.example.test", "127.0.101.24");
  CrlSettings crl;
  crl.automatic_updates = true;
  crl.fields["distributionPoints"] = {};
  crl.distribution_points = {"http://crl.example.test/a.crl", "https://crl.example.test/b.crl"};
  crl.daily_update_time = "02:30";
  peers.cluster().revocation.emplace().crl = crl;
  auto provider = peers.Provider(0);
  auto before = Must(provider->Observe());
  CHECK(before.settings.at("crl.automaticUpdates") == "false");
  CHECK(before.settings.at("crl.distributionPoints").empty());
  CHECK(provider->commands_sent() == 5);  // + xConfiguration Certificates CRL Automatic
  CHECK(provider->round_trips() == 3);    // typed ahead with the other reads
  REQUIRE(provider->ApplySetting("crl.automaticUpdates", "true").ok());
  REQUIRE(provider->ApplySetting("crl.distributionPoints", "http://crl.example.test/a.crl https://crl.example.test/b.crl").ok());
  REQUIRE(provider->ApplySetting("crl.dailyUpdateTime", "02:30").ok());
  auto after = Must(peers.Provider(0)->Observe());
  CHECK(after.settings.at("crl.automaticUpdates") == "true");
  CHECK(after.settings.at("crl.distributionPoints") == "http://crl.example.test/a.crl https://crl.example.test/b.crl");
  CHECK(after.settings.at("crl.dailyUpdateTime") == "02:30");
  // The VCS refuses a non-HTTP(S) point; the error names the rule.
  Status ldap = provider->ApplySetting("crl.distributionPoints", "ldap://crl.example.test/x");
  REQUIRE_FALSE(ldap.ok());
  CHECK(Has(ldap.message(), "only HTTP(S) distribution points are supported"));
}

TEST_CASE("vcs provider: SIP TLS revocation checking is set and read back", "[vcs][provider][rule:V13]") {
  VcsPeers peers("vcs1.example.test", "127.0.101.26");
  SipTlsRevocation sip;
  sip.enabled = true;
  sip.fallback = "treat-as-revoked";
  peers.cluster().revocation.emplace().sip_tls = sip;
  auto provider = peers.Provider(0);
  auto before = Must(provider->Observe());
  CHECK(before.settings.at("sipTls.enabled") == "false");
  CHECK(before.settings.at("sipTls.fallback") == "treat-as-not-revoked");  // the factory default
  CHECK(provider->commands_sent() == 5);  // + xConfiguration SIP TLS CertificateRevocationChecking
  CHECK(provider->round_trips() == 3);
  for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
           {"sipTls.enabled", "true"}, {"sipTls.useOcsp", "false"}, {"sipTls.useCrls", "true"},
           {"sipTls.allowCdpDownloads", "false"}, {"sipTls.fallback", "treat-as-revoked"}}) {
    INFO(name);
    Status s = provider->ApplySetting(name, value);
    if (!s.ok()) FAIL(s.ToString());
  }
  auto after = Must(peers.Provider(0)->Observe());
  CHECK(after.settings.at("sipTls.enabled") == "true");
  CHECK(after.settings.at("sipTls.useOcsp") == "false");
  CHECK(after.settings.at("sipTls.useCrls") == "true");
  CHECK(after.settings.at("sipTls.allowCdpDownloads") == "false");
  CHECK(after.settings.at("sipTls.fallback") == "treat-as-revoked");
}

TEST_CASE("vcs provider: a cluster without a root login is refused with the reason", "[vcs][provider]") {
  VcsPeers peers("vcs1.example.test", "127.0.101.28");
  peers.cluster().connection.root.reset();
  auto actual = peers.Provider(0)->Observe();
  REQUIRE_FALSE(actual.ok());
  CHECK(Has(actual.status().message(), "names no root login (connection.root)"));
}

#endif  // PKIFORM_SIM_BUILT
