// MakePlan over whole fleets: what a change carries, trust stores, restarts and
// follow-ups, --target, external issuers, and the errors that stop a plan.
#include "reconciler/planner/planner.h"

#include <catch2/catch.hpp>

#include "tests/reconciler/planner/planner_fixture.h"

namespace pkiform::planner {
namespace {

using namespace testing;

TEST_CASE("a missing certificate is created; the plan says what it will be", "[planner]") {
  Fleet f;
  f.slot().certificate_pem.reset();
  f.slot().chain_pems.clear();
  f.slot().key_public_digest.clear();
  const Plan plan = f.MustPlan();
  REQUIRE(plan.peers.size() == 1);
  const PeerPlan& p = plan.peers[0];
  CHECK(p.cluster == "web-eu");
  CHECK(p.peer == "web1.example.com");
  CHECK(p.address == "192.0.2.21");
  CHECK(p.observed_digest == f.actual().Digest());
  REQUIRE(p.changes.size() == 1);
  const Change& c = p.changes[0];
  CHECK(c.address == "web-eu/web1.example.com/identity/nginx");
  CHECK(c.action == Action::kCreate);
  CHECK(c.kind == ChangeKind::kIdentity);
  CHECK(c.slot_or_store == "nginx");
  CHECK(c.reason == "no certificate installed");
  CHECK(c.before.empty());
  CHECK(c.before_fingerprint.empty());
  CHECK(c.after == std::vector<std::string>{
                       "subject: CN=web1.example.com, O=Example Ltd, C=GB",
                       "SANs: web1.example.com, web.example.com",
                       "key: ECDSA P-256",
                       "issuer: corp-ca (CN=Corp Issuing CA, O=Example Ltd, C=GB)",
                       "not after: 2026-08-30",
                       "fingerprint: (known after apply)",
                   });
  CHECK(c.certificate_pem.empty());
  CHECK(c.waiting_for.empty());
  CHECK(plan.created_at == "2026-06-01T00:00:00Z");
  CHECK(plan.manifests_digest == "digest");
}

TEST_CASE("a replaced certificate shows what it was", "[planner]") {
  Fleet f;
  const pki::Certificate installed = Must(pki::Certificate::FromPem(*f.slot().certificate_pem));
  const Change c = OnlyChange(f.MustPlan(At("2027-04-15T00:00:00Z")));
  CHECK(c.action == Action::kReplace);
  CHECK(c.before_fingerprint == installed.FingerprintSha256());
  CHECK(c.before == std::vector<std::string>{
                        "subject: CN=web1.example.com, O=Example Ltd, C=GB",
                        "SANs: web1.example.com, web.example.com",
                        "key: ECDSA P-256",
                        "issuer: CN=Corp Issuing CA, O=Example Ltd, C=GB",
                        "not after: 2027-05-01",
                        "fingerprint: " + installed.FingerprintSha256(),
                    });
  CHECK(c.after.at(4) == "not after: 2027-07-14");
}

TEST_CASE("a new certificate's expiry is capped at the local CA's", "[planner]") {
  Fleet f;
  f.cluster().identity[0].duration = Duration{Days(3650), std::nullopt, "10y"};
  f.slot().certificate_pem.reset();
  CHECK(OnlyChange(f.MustPlan()).after.at(4) == "not after: " + pki::FormatDate(Issuing().cert.NotAfter()));
}

TEST_CASE("planning is idempotent: a fleet in the desired state plans nothing, twice", "[planner]") {
  Fleet f;
  const Plan first = f.MustPlan();
  const Plan second = f.MustPlan();
  CHECK(first.Summary().empty());
  CHECK(second.Summary().empty());
  REQUIRE(first.peers.size() == 1);
  CHECK(first.peers[0].restarts.empty());
  CHECK(first.peers[0].observed_digest == second.peers[0].observed_digest);
}

TEST_CASE("trust: a missing CA is added with its PEM", "[planner]") {
  Fleet f;
  f.actual().trust[0].certificate_pems.clear();
  const Change c = OnlyChange(f.MustPlan());
  const std::string fp = Root().cert.FingerprintSha256();
  CHECK(c.address == std::string("web-eu/web1.example.com/trust/") + kStore + "/" + fp);
  CHECK(c.action == Action::kCreate);
  CHECK(c.kind == ChangeKind::kTrust);
  CHECK(c.slot_or_store == kStore);
  CHECK(c.reason == "not in the trust store");
  CHECK(c.certificate_pem == Root().cert.ToPem());
  CHECK(c.after_fingerprint == fp);
  CHECK(c.after == std::vector<std::string>{"subject: CN=Corp Root CA, O=Example Ltd, C=GB",
                                            "issuer: CN=Corp Root CA, O=Example Ltd, C=GB",
                                            "not after: " + pki::FormatDate(Root().cert.NotAfter()),
                                            "fingerprint: " + fp});
}

TEST_CASE("trust: a store the provider did not find is empty", "[planner]") {
  Fleet f;
  f.actual().trust.clear();
  CHECK(OnlyChange(f.MustPlan()).action == Action::kCreate);
}

TEST_CASE("trust: entries are compared by fingerprint, not PEM text", "[planner]") {
  Fleet f;
  std::string pem = Root().cert.ToPem();
  pem.insert(0, "subject=CN=Corp Root CA\n");  // an openssl x509 -text style header
  f.actual().trust[0].certificate_pems = {pem};
  CHECK(Changes(f.MustPlan()).empty());
}

TEST_CASE("trust: extra entries stay unless prune", "[planner]") {
  Fleet f;
  f.actual().trust[0].certificate_pems.push_back(Other().cert.ToPem());
  CHECK(Changes(f.MustPlan()).empty());

  f.cluster().trust[0].prune = true;
  const Change c = OnlyChange(f.MustPlan());
  CHECK(c.action == Action::kDelete);
  CHECK(c.reason == "not in the manifest (prune)");
  CHECK(c.before_fingerprint == Other().cert.FingerprintSha256());
  CHECK(c.before.at(0) == "subject: CN=Other CA, O=Example Ltd, C=GB");
  CHECK(c.certificate_pem.empty());
}

TEST_CASE("trust: built-in entries are kept unless pruneBuiltin", "[planner]") {
  Fleet f;
  f.cluster().trust[0].prune = true;
  f.actual().trust[0].certificate_pems.push_back(Other().cert.ToPem());
  // The provider may spell the fingerprint in lowercase without colons.
  std::string fp;
  for (char ch : Other().cert.FingerprintSha256())
    if (ch != ':') fp += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  f.actual().trust[0].builtin_fingerprints = {fp};
  CHECK(Changes(f.MustPlan()).empty());

  f.cluster().trust[0].prune_builtin = true;
  const Change c = OnlyChange(f.MustPlan());
  CHECK(c.action == Action::kDelete);
  CHECK(c.reason == "built-in entry not in the manifest (pruneBuiltin)");
}

TEST_CASE("trust: additions come before removals, trust before identity", "[planner]") {
  Fleet f;
  f.cluster().trust[0].prune = true;
  f.actual().trust[0].certificate_pems = {Other().cert.ToPem()};
  f.slot().certificate_pem.reset();
  const auto changes = Changes(f.MustPlan());
  REQUIRE(changes.size() == 3);
  CHECK(changes[0].action == Action::kCreate);
  CHECK(changes[0].kind == ChangeKind::kTrust);
  CHECK(changes[1].action == Action::kDelete);
  CHECK(changes[2].kind == ChangeKind::kIdentity);
}

TEST_CASE("trust: an entry that cannot be read is left alone with a note", "[planner]") {
  Fleet f;
  f.cluster().trust[0].prune = true;
  f.actual().trust[0].certificate_pems.push_back("garbage");
  const Plan plan = f.MustPlan();
  CHECK(Changes(plan).empty());
  REQUIRE(plan.peers[0].notes.size() == 1);
  CHECK(plan.peers[0].notes[0].rfind(std::string("trust store ") + kStore + " holds an entry that cannot be read", 0) == 0);
}

TEST_CASE("restarts: trust store updates first, then slot reloads", "[planner]") {
  Fleet f;
  f.actual().trust[0].certificate_pems.clear();
  f.slot().certificate_pem.reset();
  const Plan plan = f.MustPlan();
  const PeerPlan& p = plan.peers.at(0);
  REQUIRE(p.restarts.size() == 2);
  CHECK(p.restarts[0].kind == RestartKind::kCommand);
  CHECK(p.restarts[0].target == "update-ca-certificates");
  CHECK(p.restarts[0].because == p.changes[0].address);
  CHECK(p.restarts[1].target == "nginx -s reload");
  CHECK(p.restarts[1].because == "web-eu/web1.example.com/identity/nginx");
  CHECK(plan.Summary().restarts == 2);
}

TEST_CASE("restarts: two slots with the same reload restart once", "[planner]") {
  Fleet f;
  f.cluster().identity.push_back(NginxSlot("api"));
  f.slot().certificate_pem.reset();  // nginx; api is not observed at all
  const Plan plan = f.MustPlan();
  REQUIRE(plan.peers[0].changes.size() == 2);
  CHECK(RestartTargets(plan.peers[0]) == std::vector<std::string>{"nginx -s reload"});

  f.cluster().identity[1].reload = "systemctl reload haproxy";
  CHECK(RestartTargets(f.MustPlan().peers[0]) ==
        std::vector<std::string>{"nginx -s reload", "systemctl reload haproxy"});
}

TEST_CASE("restarts: nothing for a slot without a reload command", "[planner]") {
  Fleet f;
  f.cluster().identity[0].reload.clear();
  f.slot().certificate_pem.reset();
  CHECK(f.MustPlan().peers[0].restarts.empty());
}

// A UCM cluster whose one peer has nothing installed in CallManager.
Fleet UcmFleet() {
  Fleet f;
  Cluster& c = f.cluster();
  c.name = "cucm";
  c.platform = "ucm";
  c.product = "unified-cm";
  c.platform_version = "14SU3";
  c.trust.clear();
  c.identity = {NginxSlot("CallManager")};
  c.identity[0].files.reset();
  c.identity[0].reload.clear();
  c.identity[0].key.algorithm = "rsa";
  c.identity[0].key.size = 2048;
  c.peers = {MakePeer("cucm1.example.com", "", "publisher")};
  f.actual() = Actual{};
  f.actual().cluster = "cucm";
  f.actual().peer = "cucm1.example.com";
  return f;
}

TEST_CASE("restarts and follow-ups come from the catalogue", "[planner][rule:U13][rule:U18]") {
  const Fleet f = UcmFleet();
  const Plan plan = f.MustPlan();
  const PeerPlan& p = plan.peers.at(0);
  REQUIRE(p.changes.size() == 1);
  CHECK(p.changes[0].action == Action::kCreate);
  CHECK(p.address == "cucm1.example.com");
  for (const auto& r : p.restarts) CHECK(r.kind == RestartKind::kService);
  CHECK(RestartTargets(p) == std::vector<std::string>{"Cisco CallManager", "Cisco HAProxy"});
  CHECK(p.follow_ups.size() == 2);  // system backup; phones reset
  CHECK(std::none_of(p.follow_ups.begin(), p.follow_ups.end(),
                     [](const std::string& s) { return s.find("CTL") != std::string::npos; }));
}

TEST_CASE("follow-ups: the CTL file when the cluster is in mixed mode", "[planner][rule:U14]") {
  Fleet f = UcmFleet();
  f.cluster().mixed_mode = true;
  const Plan plan = f.MustPlan();
  const auto& follow_ups = plan.peers.at(0).follow_ups;
  CHECK(std::count_if(follow_ups.begin(), follow_ups.end(),
                      [](const std::string& s) { return s.rfind("Regenerate the CTL file", 0) == 0; }) == 1);
}

TEST_CASE("dms: a new identity is preceded by the keystore backup and followed by pairing again",
          "[planner][dms][rule:D9][rule:D13]") {
  Fleet f = UcmFleet();
  Cluster& c = f.cluster();
  c.name = "dms";
  c.platform = "dms";
  c.platform_version = "5.2.1";
  c.identity[0].slot = "identity";
  c.peers = {MakePeer("dms1.example.com", "", "")};
  f.actual().cluster = "dms";
  f.actual().peer = "dms1.example.com";
  const Plan plan = f.MustPlan();
  const PeerPlan& p = plan.peers.at(0);
  REQUIRE(p.changes.size() == 1);
  CHECK(p.restarts.empty());  // the procedures end without a restart
  CHECK(std::count_if(p.follow_ups.begin(), p.follow_ups.end(),
                      [](const std::string& s) { return s.rfind("Export the keystore first", 0) == 0; }) == 1);
  CHECK(std::count_if(p.follow_ups.begin(), p.follow_ups.end(),
                      [](const std::string& s) { return s.rfind("Pair the appliances again", 0) == 0; }) == 1);
  // The platform can put the previous identity back (D14): nothing says otherwise.
  CHECK(p.changes[0].no_rollback.empty());
}

TEST_CASE("CAPF is planned on the publisher only", "[planner][rule:U6]") {
  Fleet f = UcmFleet();
  f.cluster().identity[0].slot = "CAPF";
  f.cluster().peers.push_back(MakePeer("cucm2.example.com", "", "subscriber"));
  Actual sub = f.actual();
  sub.peer = "cucm2.example.com";
  f.observed.push_back(sub);
  const Plan plan = f.MustPlan();
  REQUIRE(plan.peers.size() == 2);
  CHECK(plan.peers[0].changes.size() == 1);
  CHECK(plan.peers[1].changes.empty());
}

Fleet TwoPeers() {
  Fleet f;
  f.cluster().peers.push_back(MakePeer("web2.example.com"));
  Actual web2 = f.actual();
  web2.peer = "web2.example.com";
  web2.slots = {GoodSlot("nginx", "web2.example.com")};
  web2.slots[0].certificate_pem.reset();
  web2.trust[0].certificate_pems.clear();
  f.observed.push_back(web2);
  f.slot().certificate_pem.reset();
  f.actual().trust[0].certificate_pems.clear();
  return f;
}

TEST_CASE("target option: narrows the plan to a cluster, a peer, a slot or a store", "[planner]") {
  Fleet f = TwoPeers();
  CHECK(Changes(f.MustPlan()).size() == 4);
  f.target = "web-eu";
  CHECK(Changes(f.MustPlan()).size() == 4);
  f.target = "web-eu/web2.example.com";
  Plan plan = f.MustPlan();
  REQUIRE(plan.peers.size() == 1);
  CHECK(plan.peers[0].peer == "web2.example.com");
  CHECK(plan.peers[0].changes.size() == 2);
  f.target = "web-eu/web2.example.com/nginx";
  CHECK(OnlyChange(f.MustPlan()).address == "web-eu/web2.example.com/identity/nginx");
  f.target = std::string("web-eu/web1.example.com/") + kStore;
  CHECK(OnlyChange(f.MustPlan()).kind == ChangeKind::kTrust);
}

TEST_CASE("target option:: a peer outside the target need not be observed", "[planner]") {
  Fleet f = TwoPeers();
  f.observed.pop_back();  // web2 not observed
  CHECK_FALSE(f.MakePlan().ok());
  f.target = "web-eu/web1.example.com";
  CHECK(f.MakePlan().ok());
}

TEST_CASE("target option: that matches nothing or is malformed is an error", "[planner]") {
  Fleet f;
  for (const char* t : {"nope", "web-eu/nope.example.com", "web-eu/web1.example.com/nope"}) {
    f.target = t;
    const auto plan = f.MakePlan();
    REQUIRE_FALSE(plan.ok());
    CHECK(plan.status().message() == "--target '" + std::string(t) + "' matches nothing in the manifests");
  }
  for (const char* t : {"web-eu/", "/web1.example.com", "web-eu//nginx", "web-eu/web1.example.com/"}) {
    f.target = t;
    const auto plan = f.MakePlan();
    REQUIRE_FALSE(plan.ok());
    CHECK(plan.status().message() ==
          "--target '" + std::string(t) + "': expected cluster, cluster/peer or cluster/peer/slot");
  }
}

namespace {

// The CSR a peer would have pending for the nginx slot as the manifest asks it, with `key`.
std::string FittingCsr(const pki::PrivateKey& key) {
  pki::CsrRequest request;
  request.subject = Dn("web1.example.com");
  request.dnsNames = {"web1.example.com", "web.example.com"};
  request.keyUsage = {"digitalSignature"};
  request.extendedKeyUsage = {"serverAuth"};
  return Must(pki::Csr::Create(request, key)).ToPem();
}

ExternalFilesFn Repository(std::optional<std::string> certificate, std::optional<std::string> request) {
  return [=](const std::string&, const std::string& cluster, const std::string& peer, const std::string& slot) {
    return ExternalFiles{certificate, request, "requests/" + cluster + "/" + peer + "/" + slot + ".csr"};
  };
}

}  // namespace

// corp-ext: an external CA whose certificates are corp-ca's.
Fleet ExternalFleet() {
  Fleet f;
  Issuer ext;
  ext.name = "corp-ext";
  ext.kind = Issuer::Kind::kExternal;
  f.desired.issuers.push_back(ext);
  f.issuer_chains["corp-ext"] = f.issuer_chains["corp-ca"];
  f.cluster().identity[0].issuer = "corp-ext";
  f.slot().certificate_pem.reset();
  f.external = Repository(std::nullopt, std::nullopt);
  return f;
}

TEST_CASE("external issuer: without a committed certificate the change waits", "[planner]") {
  const Fleet f = ExternalFleet();
  const Plan plan = f.MustPlan();
  const Change c = OnlyChange(plan);
  CHECK(c.action == Action::kCreate);
  CHECK(c.waiting_for == "a signed certificate for web1.example.com nginx from issuer corp-ext");
  CHECK(c.certificate_pem.empty());
  CHECK(c.request_pem.empty());  // no CSR on the peer yet: apply makes one there
  CHECK(c.after.back() == "request: requests/web-eu/web1.example.com/nginx.csr (a new CSR)");
  CHECK(plan.peers[0].notes ==
        std::vector<std::string>{"waiting for a signed certificate for web1.example.com nginx from issuer corp-ext; "
                                 "apply writes its request to requests/web-eu/web1.example.com/nginx.csr"});
  CHECK(plan.peers[0].restarts.empty());  // nothing is installed yet
}


TEST_CASE("external issuer: a fitting CSR pending on the peer is the request handed over", "[planner][external]") {
  Fleet f = ExternalFleet();
  const pki::PrivateKey pending_key = NewP256Key();
  f.slot().pending_csr_pem = FittingCsr(pending_key);
  f.external = Repository(std::nullopt, std::nullopt);
  const Change c = OnlyChange(f.MustPlan());
  CHECK(c.request_pem == *f.slot().pending_csr_pem);
  CHECK(c.after.back() == "request: requests/web-eu/web1.example.com/nginx.csr (the CSR pending on the peer)");

  SECTION("once it is in the requests folder there is nothing to do but wait") {
    f.external = Repository(std::nullopt, *f.slot().pending_csr_pem);
    const Plan plan = f.MustPlan();
    CHECK(plan.peers[0].changes.empty());
    CHECK_FALSE(plan.HasChanges());
    CHECK(plan.peers[0].notes ==
          std::vector<std::string>{"waiting for a signed certificate for web1.example.com nginx from issuer corp-ext; "
                                   "its request is requests/web-eu/web1.example.com/nginx.csr"});
  }
  SECTION("a different request in the folder is replaced by the pending one") {
    f.external = Repository(std::nullopt, FittingCsr(NewP256Key()));
    CHECK(OnlyChange(f.MustPlan()).request_pem == *f.slot().pending_csr_pem);
  }
  SECTION("a pending CSR that no longer asks for what the manifest wants is not handed over") {
    f.cluster().identity[0].extra_dns_names = {"static.example.com"};
    f.external = Repository(std::nullopt, *f.slot().pending_csr_pem);
    const Change changed = OnlyChange(f.MustPlan());
    CHECK(changed.request_pem.empty());
    CHECK(changed.after.back() == "request: requests/web-eu/web1.example.com/nginx.csr (a new CSR)");
  }
}

TEST_CASE("external issuer: a committed certificate needs a key on the peer", "[planner][external]") {
  Fleet f = ExternalFleet();
  SECTION("the installed key: installed as is") {
    f.external = Repository(IssueLeaf(LeafKey()).ToPem(), std::nullopt);
    CHECK_FALSE(OnlyChange(f.MustPlan()).certificate_pem.empty());
  }
  SECTION("no key it belongs to") {
    f.external = Repository(IssueLeaf(NewP256Key()).ToPem(), std::nullopt);
    const Plan plan = f.MustPlan();
    CHECK(OnlyChange(plan).certificate_pem.empty());
    CHECK(plan.peers[0].notes.at(0).find("(the committed certificate cannot be used: no key on the peer belongs to "
                                         "it (no pending request answers it))") != std::string::npos);
  }
}

TEST_CASE("external issuer: a committed certificate is installed", "[planner]") {
  Fleet f = ExternalFleet();
  const pki::Certificate signed_cert = IssueLeaf(LeafKey());
  std::vector<std::string> asked;
  f.external = [&](const std::string& issuer, const std::string& cluster, const std::string& peer,
                   const std::string& slot) {
    asked.push_back(issuer + " " + cluster + " " + peer + " " + slot);
    return ExternalFiles{signed_cert.ToPem(), std::nullopt, "requests/x.csr"};
  };
  const Plan plan = f.MustPlan();
  const Change c = OnlyChange(plan);
  CHECK(asked == std::vector<std::string>{"corp-ext web-eu web1.example.com nginx"});
  CHECK(c.waiting_for.empty());
  CHECK(c.certificate_pem == signed_cert.ToPem());
  CHECK(c.after_fingerprint == signed_cert.FingerprintSha256());
  CHECK(plan.peers[0].notes.empty());
  CHECK(RestartTargets(plan.peers[0]) == std::vector<std::string>{"nginx -s reload"});
}

TEST_CASE("external issuer: a committed certificate is installed where nothing was yet, files included",
          "[planner][external]") {
  Fleet f = ExternalFleet();  // nothing installed: the chain file is missing too
  f.slot().missing_files = {f.cluster().identity[0].files->chain};
  f.slot().chain_pems.clear();
  f.external = Repository(IssueLeaf(LeafKey()).ToPem(), std::nullopt);
  const Plan plan = f.MustPlan();
  CHECK_FALSE(OnlyChange(plan).certificate_pem.empty());
  CHECK(plan.peers[0].notes.empty());
}

TEST_CASE("external issuer: a stale committed certificate is not installed", "[planner]") {
  Fleet f = ExternalFleet();
  LeafSpec spec;
  spec.days = 30;  // expired 2026-05-31
  const std::string stale = IssueLeaf(LeafKey(), spec).ToPem();
  f.external = [&](const std::string&, const std::string&, const std::string&, const std::string&) {
    return ExternalFiles{stale, std::nullopt, "requests/x.csr"};
  };
  const Plan plan = f.MustPlan();
  CHECK_FALSE(OnlyChange(plan).waiting_for.empty());
  CHECK(plan.peers[0].notes == std::vector<std::string>{
                                   "waiting for a signed certificate for web1.example.com nginx from issuer corp-ext "
                                   "(the committed certificate cannot be used: certificate expired 2026-05-31); "
                                   "apply writes its request to requests/x.csr"});
}

TEST_CASE("external issuer: a committed certificate must answer the pending CSR", "[planner]") {
  Fleet f = ExternalFleet();
  f.slot().key_public_digest.clear();
  f.cluster().identity[0].files->private_key.clear();  // the key stays inside the appliance
  const pki::PrivateKey pending_key = NewP256Key();
  pki::CsrRequest request;
  request.subject = Dn("web1.example.com");
  f.slot().pending_csr_pem = Must(pki::Csr::Create(request, pending_key)).ToPem();
  const std::string answer_to_old_csr = IssueLeaf(LeafKey()).ToPem();
  f.external = [&](const std::string&, const std::string&, const std::string&, const std::string&) {
    return ExternalFiles{answer_to_old_csr, std::nullopt, "requests/x.csr"};
  };
  CHECK(f.MustPlan().peers[0].notes.at(0).find("it does not answer the pending CSR") != std::string::npos);

  const std::string answer = IssueLeaf(pending_key).ToPem();
  f.external = [&](const std::string&, const std::string&, const std::string&, const std::string&) {
    return ExternalFiles{answer, std::nullopt, "requests/x.csr"};
  };
  CHECK(OnlyChange(f.MustPlan()).certificate_pem == answer);
}

TEST_CASE("the plan refuses observations it cannot place", "[planner]") {
  SECTION("an unknown peer") {
    Fleet f;
    f.actual().peer = "web9.example.com";
    const auto plan = f.MakePlan();
    REQUIRE_FALSE(plan.ok());
    CHECK(plan.status().message() ==
          "observation of peer web-eu/web9.example.com, which the manifests do not list");
  }
  SECTION("a peer observed twice") {
    Fleet f;
    f.observed.push_back(f.actual());
    CHECK(f.MakePlan().status().message() == "two observations of peer web-eu/web1.example.com");
  }
  SECTION("a desired peer without observation") {
    Fleet f;
    f.observed.clear();
    CHECK(f.MakePlan().status().message() == "no observation of peer web-eu/web1.example.com");
  }
}

TEST_CASE("the plan refuses missing inputs, naming them", "[planner]") {
  SECTION("an issuer's certificates") {
    Fleet f;
    f.issuer_chains.clear();
    CHECK(f.MakePlan().status().message() == "issuer corp-ca: no CA certificate given to the planner");
  }
  SECTION("a trust store file") {
    Fleet f;
    f.trust_pems.clear();
    CHECK(f.MakePlan().status().message() ==
          std::string("web-eu: trust store ") + kStore + ": ca/root.pem: file not read (/repo/ca/root.pem)");
  }
  SECTION("a platform") {
    Fleet f;
    f.cluster().platform = "junos";
    CHECK(f.MakePlan().status().message() == "web-eu: no platform catalogue for 'junos'");
  }
}

TEST_CASE("clusters and peers keep manifest order", "[planner]") {
  Fleet f = TwoPeers();
  std::swap(f.observed[0], f.observed[1]);  // observation order does not matter
  const Plan plan = f.MustPlan();
  REQUIRE(plan.peers.size() == 2);
  CHECK(plan.peers[0].peer == "web1.example.com");
  CHECK(plan.peers[1].peer == "web2.example.com");
  CHECK(plan.peers[1].address == "web2.example.com");
}

}  // namespace
}  // namespace pkiform::planner
