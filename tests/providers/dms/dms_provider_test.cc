// The dms provider against pkiform-sim behind the fleet harness's real sshd (the admin
// login's AAI on a PTY) with an openssh host of the same fleet as the staging server (SFTP,
// a password login), and the fleet's TLS daemon: observe the factory identity, GENERATE_CSR
// collected from staging (D16), the import staged as clean PEM files one per certificate (D1,
// D2, D5) with the whole chain (D11) after a keystore export (D9, D14), and the restore of
// that keystore. Each rule case fails when the provider's handling is taken out.
//
// Addresses: 127.0.104.10-49, one pair per test case (ctest runs them in parallel).
// Builds without pkiform-sim (the sanitizer and fuzz builds: PKIFORM_SIM_BUILT=0) have no cases here.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "providers/dms/dms_provider.h"
#include "reconciler/pki/certificate.h"
#include "reconciler/pki/csr.h"
#include "reconciler/pki/key.h"
#include "reconciler/pki/signer.h"
#include "reconciler/tls/probe.h"
#include "tests/providers/fleet/fleet_test_support.h"
#include "tests/support/fleet_harness.h"
#include "tests/support/must.h"
#include "tests/support/temp_dir.h"

#if PKIFORM_SIM_BUILT

using namespace pkiform;
using pkiform::testing::Must;
namespace fs = std::filesystem;

namespace {

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A CA (root, or an intermediate under `parent`) made here.
struct TestCa {
  pki::PrivateKey key;
  pki::Certificate cert;
};

TestCa MakeCa(const std::string& cn, const TestCa* parent = nullptr) {
  auto key = Must(pki::PrivateKey::Generate(pki::KeySpec::Rsa(2048)));
  pki::SigningPolicy policy;
  policy.subject.commonName = cn;
  policy.subject.organization = "Example Ltd";
  policy.isCa = true;
  policy.keyUsage = {"keyCertSign", "cRLSign"};
  policy.notBefore = std::chrono::system_clock::now() - std::chrono::hours(1);
  policy.validity = std::chrono::hours(24 * 365);
  if (!parent) {
    auto cert = Must(pki::SelfSign(key, policy));
    return {std::move(key), std::move(cert)};
  }
  auto csr = Must(pki::Csr::Create(pki::CsrRequest{policy.subject, {}, {}, {}, {}}, key));
  auto cert = Must(pki::SignCsr(csr, parent->cert, parent->key, policy));
  return {std::move(key), std::move(cert)};
}

// What a CA issues for the appliance's CSR: 90 days, its FQDN as the one name.
pki::Certificate SignFor(const pki::Csr& csr, const std::string& fqdn, const TestCa& issuing) {
  pki::SigningPolicy policy;
  policy.subject = csr.Subject();
  policy.dnsNames = {fqdn};
  policy.notBefore = std::chrono::system_clock::now() - std::chrono::minutes(5);
  policy.validity = std::chrono::hours(24 * 90);
  return Must(pki::SignCsr(csr, issuing.cert, issuing.key, policy));
}

// One dms appliance and a staging host in a fleet, and the manifest's view of its cluster.
class DmsFleet {
 public:
  DmsFleet(const std::string& staging_address, const std::string& dms_address) {
    testing::FleetOptions options;
    options.simPath = PKIFORM_SIM_PATH;
    options.nginxPort = 0;
    options.hosts = {testing::FleetHost("stage.fleet.test", staging_address),
                     testing::FleetHost("dms.fleet.test", dms_address)};
    options.hosts[1].platform = "dms";
    fleet_ = testing::StartFleet(options);
    passphrase_ = tmp_.path() / "keystore-passphrase";
    std::ofstream(passphrase_) << "keystore-Pass-104\n";
    fs::permissions(passphrase_, fs::perms(0600));
    cluster_.name = "dms";
    cluster_.platform = "dms";
    cluster_.platform_version = "5.2.1";
    cluster_.connection.user = fleet_->applianceUser();
    StagingServer st;
    st.host = staging_address;
    st.port = fleet_->port();
    st.user = fleet_->stagingUser();
    st.path = testing::FleetHarness::kStagingDir;
    st.password_file = FileRef{};
    st.password_file->path = fleet_->stagingPasswordPath();
    st.keystore_passphrase_file = FileRef{};
    st.keystore_passphrase_file->path = passphrase_.string();
    cluster_.staging = st;
    Peer p;
    p.fqdn = "dms.fleet.test";
    p.address = dms_address;
    p.https_port = fleet_->httpsPort();
    cluster_.peers.push_back(p);
    IdentitySlot slot;
    slot.slot = "identity";
    cluster_.identity.push_back(slot);
  }

  Cluster& cluster() { return cluster_; }
  testing::FleetHarness& fleet() { return *fleet_; }
  const Peer& peer() const { return cluster_.peers.at(0); }
  // The staging folder of the peer, as the staging host's files are on this machine.
  fs::path StagingFolder() {
    return fs::path(Must(fleet_->hostDir("stage.fleet.test"))) / "staging" / peer().fqdn;
  }

  std::unique_ptr<dms::DmsProvider> Provider() {
    sessions_.push_back(testing::Connect(Must(fleet_->Target(peer().fqdn))));
    return std::make_unique<dms::DmsProvider>(*sessions_.back(), cluster_, peer());
  }

 private:
  testing::TempDir tmp_;
  fs::path passphrase_;
  std::unique_ptr<testing::FleetHarness> fleet_;
  Cluster cluster_;
  std::vector<std::unique_ptr<ssh::SshSession>> sessions_;
};

pki::CsrRequest Request(const std::string& fqdn) {
  pki::CsrRequest r;
  r.subject.commonName = fqdn;
  r.subject.organization = "Example Ltd";
  r.subject.organizationalUnit = "Video Services";
  r.subject.locality = "London";
  r.subject.state = "England";
  r.subject.country = "GB";
  r.dnsNames = {fqdn};
  return r;
}

}  // namespace

TEST_CASE("dms provider: observe the factory identity twice on one login", "[dms][provider]") {
  DmsFleet f("127.0.104.10", "127.0.104.11");
  auto provider = f.Provider();
  auto first = provider->Observe();
  INFO(first.status().ToString());
  REQUIRE(first.ok());
  REQUIRE(first->slots.size() == 1);
  REQUIRE(first->slots[0].certificate_pem);
  auto cert = Must(pki::Certificate::FromPem(*first->slots[0].certificate_pem));
  CHECK(cert.Subject().commonName == "dms.fleet.test");
  CHECK(cert.IsSelfSigned());
  CHECK(first->slots[0].chain_pems.empty());
  auto second = provider->Observe();
  INFO(second.status().ToString());
  REQUIRE(second.ok());
  CHECK(second->Digest() == first->Digest());
  CHECK(provider->sessions_opened() == 2);
}

// The chain's PEMs as a careless CA hands them over: CR LF line ends and a blank line after
// END (D2), the intermediate and the root in one file (D5).
std::string Crlf(const std::string& pem) {
  std::string out;
  for (char c : pem) out += c == '\n' ? std::string("\r\n") : std::string(1, c);
  return out + "\r\n";
}

TEST_CASE("dms provider: CSR from staging, import after a keystore export, restore from it",
          "[dms][provider][rule:D16][rule:D9][rule:D14][rule:D2][rule:D5]") {
  DmsFleet f("127.0.104.12", "127.0.104.13");
  auto provider = f.Provider();
  auto factory = Must(provider->Observe());
  const std::string fqdn = f.peer().fqdn;

  // Rule D16: the appliance delivers its CSR to staging; the provider collects it.
  auto csr_pem = provider->GenerateCsr({"identity", Request(fqdn), pki::KeySpec::Rsa(2048)});
  INFO(csr_pem.status().ToString());
  REQUIRE(csr_pem.ok());
  auto csr = Must(pki::Csr::FromPem(*csr_pem));
  CHECK(csr.Subject().commonName == fqdn);
  CHECK(csr.Subject().organizationalUnit == "Video Services");
  CHECK(csr.Subject().country == "GB");

  TestCa root = MakeCa("Test Root CA");
  TestCa issuing = MakeCa("Test Issuing CA", &root);
  auto cert = SignFor(csr, fqdn, issuing);

  IdentityInstall install;
  install.slot = "identity";
  install.certificate_pem = Crlf(cert.ToPem());                         // D2
  install.chain_pems = {issuing.cert.ToPem() + root.cert.ToPem()};     // D5
  install.use_pending_key = true;
  auto backup = provider->InstallIdentity(install);
  INFO(backup.status().ToString());
  REQUIRE(backup.ok());
  // Rules D9, D14: the keystore went to staging before the import, and stays until verified.
  REQUIRE(backup->saved.size() == 1);
  CHECK(backup->saved[0] == std::string(testing::FleetHarness::kStagingDir) + "/" + fqdn + "/KEYSTORE.DAT");
  CHECK(fs::file_size(f.StagingFolder() / "KEYSTORE.DAT") > 1000);
  // The staged certificates are gone once imported.
  CHECK_FALSE(fs::exists(f.StagingFolder() / "identity.pem"));
  CHECK_FALSE(fs::exists(f.StagingFolder() / "ca-1.pem"));

  auto installed = Must(provider->Observe());
  REQUIRE(installed.slots[0].certificate_pem);
  CHECK(*installed.slots[0].certificate_pem == cert.ToPem());
  CHECK(installed.slots[0].chain_pems == std::vector<std::string>{issuing.cert.ToPem(), root.cert.ToPem()});
  auto served = tls::FetchServedIdentity({f.peer().address, f.peer().https_port, fqdn}, std::chrono::seconds(10));
  REQUIRE(served.ok());
  CHECK(served->leaf.FingerprintSha256() == cert.FingerprintSha256());

  // Rule D14: the keystore exported before the import puts the factory identity back.
  Status restored = provider->RestoreIdentity(*backup);
  INFO(restored.ToString());
  REQUIRE(restored.ok());
  auto after = Must(provider->Observe());
  CHECK(after.slots[0].certificate_pem == factory.slots[0].certificate_pem);
  CHECK_FALSE(fs::exists(f.StagingFolder() / "KEYSTORE.DAT"));
  served = tls::FetchServedIdentity({f.peer().address, f.peer().https_port, fqdn}, std::chrono::seconds(10));
  REQUIRE(served.ok());
  CHECK(served->leaf.ToPem() == *factory.slots[0].certificate_pem);
}

TEST_CASE("dms provider: an incomplete chain is refused before anything is staged or exported",
          "[dms][provider][rule:D11]") {
  DmsFleet f("127.0.104.14", "127.0.104.15");
  auto provider = f.Provider();
  auto factory = Must(provider->Observe());
  const std::string fqdn = f.peer().fqdn;
  auto csr = Must(pki::Csr::FromPem(Must(provider->GenerateCsr({"identity", Request(fqdn), pki::KeySpec::Rsa(2048)}))));
  TestCa root = MakeCa("Test Root CA");
  TestCa issuing = MakeCa("Test Issuing CA", &root);
  auto cert = SignFor(csr, fqdn, issuing);
  IdentityInstall install;
  install.slot = "identity";
  install.certificate_pem = cert.ToPem();
  install.chain_pems = {issuing.cert.ToPem()};  // the root left out
  install.use_pending_key = true;
  auto backup = provider->InstallIdentity(install);
  REQUIRE_FALSE(backup.ok());
  INFO(backup.status().ToString());
  CHECK(Has(backup.status().message(), "MISSING_CA_CERTIFICATE"));
  CHECK(Has(backup.status().message(), "[rule:D11]"));
  CHECK_FALSE(fs::exists(f.StagingFolder() / "identity.pem"));
  CHECK_FALSE(fs::exists(f.StagingFolder() / "KEYSTORE.DAT"));
  CHECK(Must(provider->Observe()).slots[0].certificate_pem == factory.slots[0].certificate_pem);
}

TEST_CASE("dms provider: a self-signed identity in whole months, made after a keystore backup",
          "[dms][provider][rule:D8][rule:D9]") {
  DmsFleet f("127.0.104.16", "127.0.104.17");
  auto provider = f.Provider();
  auto factory = Must(provider->Observe());
  const std::string fqdn = f.peer().fqdn;
  SelfSignOnPeer request{"identity", std::chrono::hours(24 * 30), "01", std::nullopt, Request(fqdn)};
  // Rule D8: whole months, 1 to 999, or the appliance is not asked at all.
  for (std::optional<int> months : {std::optional<int>(), std::optional<int>(0), std::optional<int>(1000)}) {
    request.months = months;
    auto refused = provider->SelfSignPending(request);
    REQUIRE_FALSE(refused.ok());
    CHECK(Has(refused.status().message(), "[rule:D8]"));
  }
  CHECK_FALSE(fs::exists(f.StagingFolder() / "KEYSTORE.DAT"));
  CHECK(Must(provider->Observe()).Digest() == factory.Digest());

  request.months = 3;
  auto pem = provider->SelfSignPending(request);
  INFO(pem.status().ToString());
  REQUIRE(pem.ok());
  auto cert = Must(pki::Certificate::FromPem(*pem));
  CHECK(cert.IsSelfSigned());
  CHECK(cert.Subject() == Request(fqdn).subject);
  const auto days = std::chrono::duration_cast<std::chrono::hours>(cert.NotAfter() - cert.NotBefore()).count() / 24;
  CHECK(days >= 89);
  CHECK(days <= 92);
  // Rule D9: the identity GENERATE_NEW_CERT replaced is in the keystore exported before it.
  CHECK(fs::file_size(f.StagingFolder() / "KEYSTORE.DAT") > 1000);
  IdentityInstall install;
  install.slot = "identity";
  install.certificate_pem = *pem;
  install.use_pending_key = true;
  auto backup = provider->InstallIdentity(install);
  REQUIRE(backup.ok());
  CHECK(*Must(provider->Observe()).slots[0].certificate_pem == *pem);
  REQUIRE(provider->RestoreIdentity(*backup).ok());
  CHECK(Must(provider->Observe()).Digest() == factory.Digest());
  // A provider whose first step is DiscardBackup (the staging port here is not 22, so the
  // server field comes from the dialect) loads what it needs; an absent file is no error.
  auto fresh = f.Provider();
  Status discarded = fresh->DiscardBackup(*backup);
  INFO(discarded.ToString());
  CHECK(discarded.ok());
}

#endif  // PKIFORM_SIM_BUILT
