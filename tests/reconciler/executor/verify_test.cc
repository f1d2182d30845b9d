// Restarts and verification as catalogue data: the endpoint that proves each slot,
// the restart timings the provider is given, and the injected verifier.
#include <algorithm>

#include "reconciler/planner/planner.h"
#include "tests/reconciler/executor/executor_fixture.h"

namespace pkiform::testing {
namespace {

class RecordingVerifier : public Verifier {
 public:
  Status Verify(const tls::Endpoint& e, const pki::Certificate&, const std::vector<pki::Certificate>&) override {
    seen.push_back(e.host + ":" + std::to_string(e.port) + " sni=" + e.sni +
                   (e.signature_algorithms.empty() ? "" : " sigalgs=" + e.signature_algorithms));
    return fail ? Status::Failed("handshake refused") : Status::Ok();
  }
  std::vector<std::string> seen;
  bool fail = false;
};

Cluster Ucm() {
  Cluster c;
  c.name = "cucm";
  c.platform = "ucm";
  c.peers = {planner::testing::MakePeer("cucm1.example.com", "127.0.0.5", "publisher")};
  return c;
}

const catalogue::PlatformCatalogue& UcmCatalogue() { return *planner::testing::Catalogue().Find("ucm"); }

TEST_CASE("verify: the catalogue names the endpoint of each UCM slot", "[executor][verify]") {
  const Cluster c = Ucm();
  const Peer& p = c.peers[0];
  auto tomcat = VerifyTargetFor(c, p, GeneratedSlot("tomcat"), &UcmCatalogue());
  REQUIRE(tomcat);
  CHECK(tomcat->host == "127.0.0.5");
  CHECK(tomcat->port == 443);
  CHECK(tomcat->sni == "cucm1.example.com");
  // Only RSA: the node holds tomcat-ECDSA on the same port, and a client that offers
  // ECDSA would be answered with that one.
  CHECK(tomcat->signature_algorithms.find("rsa_pss_rsae_sha256") == 0);
  CHECK(tomcat->signature_algorithms.find("ECDSA") == std::string::npos);
  auto ecdsa = VerifyTargetFor(c, p, GeneratedSlot("tomcat-ECDSA"), &UcmCatalogue());
  REQUIRE(ecdsa);
  CHECK(ecdsa->port == 443);
  CHECK(ecdsa->signature_algorithms.find("ECDSA") == 0);
  auto sip = VerifyTargetFor(c, p, GeneratedSlot("CallManager"), &UcmCatalogue());
  REQUIRE(sip);
  CHECK(sip->port == 5061);
  CHECK(sip->signature_algorithms.find("ECDSA") == std::string::npos);
  CHECK_FALSE(VerifyTargetFor(c, p, GeneratedSlot("CAPF"), &UcmCatalogue()));  // no endpoint proves CAPF
}

TEST_CASE("verify: the manifest's endpoint wins; restarts.verify none verifies nothing", "[executor][verify]") {
  Cluster c = Ucm();
  IdentitySlot s = GeneratedSlot("tomcat");
  s.verify = VerifyEndpoint{};
  s.verify->port = 8443;
  auto e = VerifyTargetFor(c, c.peers[0], s, &UcmCatalogue());
  REQUIRE(e);
  CHECK(e->port == 8443);
  CHECK(e->host == "127.0.0.5");
  // ... but the catalogue still says how to talk to it: RSA only beside tomcat-ECDSA.
  CHECK(e->signature_algorithms.find("rsa_pss_rsae_sha256") == 0);
  CHECK(e->signature_algorithms.find("ECDSA") == std::string::npos);
  // The peer's httpsPort moves the catalogue's HTTPS endpoints (tomcat: peerHttpsPort), not SIP TLS.
  CHECK(UcmCatalogue().FindSlot("tomcat")->verify->peer_https_port);
  CHECK_FALSE(UcmCatalogue().FindSlot("CallManager")->verify->peer_https_port);
  c.peers[0].https_port = 9443;
  auto moved = VerifyTargetFor(c, c.peers[0], GeneratedSlot("tomcat-ECDSA"), &UcmCatalogue());
  REQUIRE(moved);
  CHECK(moved->port == 9443);
  auto sip = VerifyTargetFor(c, c.peers[0], GeneratedSlot("CallManager"), &UcmCatalogue());
  REQUIRE(sip);
  CHECK(sip->port == 5061);
  c.restarts.verify = "none";
  CHECK_FALSE(VerifyTargetFor(c, c.peers[0], s, &UcmCatalogue()));
  // openssh slots are proved only where the manifest says.
  Cluster web = c;
  web.platform = "openssh";
  web.restarts.verify = "tls";
  CHECK_FALSE(VerifyTargetFor(web, web.peers[0], GeneratedSlot("nginx"), planner::testing::Catalogue().Find("openssh")));
}

// One UCM peer whose tomcat identity is replaced by a plan made by hand.
struct OneTomcat {
  Rig rig;
  Desired d;
  Plan plan;
  RecordingVerifier verifier;

  OneTomcat() {
    d.issuers = {SelfIssuer()};
    d.clusters = {Ucm()};
    d.clusters[0].identity = {GeneratedSlot("tomcat")};
    rig.AddPeer("cucm", "cucm1.example.com", {"tomcat"});
    PeerPlan pp;
    pp.cluster = "cucm";
    pp.peer = "cucm1.example.com";
    pp.changes = {IdentityChange("cucm", "cucm1.example.com", "tomcat")};
    Restart r;
    r.kind = RestartKind::kService;
    r.target = "Cisco Tomcat";
    r.because = pp.changes[0].address;
    r.expected_seconds = 300;
    r.timeout_seconds = 1800;
    pp.restarts = {r};
    rig.Stamp(pp);
    plan.peers = {pp};
  }

  ApplyReport Run(bool can_reconnect = true) {
    ExecutorHooks h = rig.Hooks();
    if (!can_reconnect) h.reconnect = nullptr;
    h.verify = nullptr;  // the executor's own verification, with the injected verifier
    h.verifier = &verifier;
    h.catalogue = &planner::testing::Catalogue();
    return Execute(plan, d, rig.clock, h);
  }
};

TEST_CASE("verify: the executor proves the new identity at the catalogue's endpoint", "[executor][verify]") {
  OneTomcat t;
  const ApplyReport report = t.Run();
  INFO(report.Summary());
  CHECK(report.ok());
  CHECK(t.verifier.seen == std::vector<std::string>{
                                 "127.0.0.5:443 sni=cucm1.example.com sigalgs=rsa_pss_rsae_sha256:rsa_pss_rsae_sha384:"
                                 "rsa_pss_rsae_sha512:rsa_pkcs1_sha256:rsa_pkcs1_sha384:rsa_pkcs1_sha512"});
  // The provider was given the restart's timings.
  REQUIRE(t.rig.fleet.restarts.size() == 1);
  CHECK(t.rig.fleet.restarts[0].timeout_seconds == 1800);
}

TEST_CASE("verify: a failed handshake fails the peer", "[executor][verify]") {
  OneTomcat t;
  t.verifier.fail = true;
  const ApplyReport report = t.Run();
  CHECK_FALSE(report.ok());
  CHECK(report.peers.at(0).error.find("verify tomcat: handshake refused") == 0);
}

TEST_CASE("verify: without a verifier the executor refuses to call an identity proved", "[executor][verify]") {
  OneTomcat t;
  ExecutorHooks h = t.rig.Hooks();
  h.verify = nullptr;
  h.catalogue = &planner::testing::Catalogue();
  const ApplyReport report = Execute(t.plan, t.d, t.rig.clock, h);
  CHECK_FALSE(report.ok());
  CHECK(report.peers.at(0).error.find("no verifier") != std::string::npos);
}

TEST_CASE("restart: a restart that ends the session is followed by a new connection", "[executor][verify]") {
  OneTomcat t;
  t.plan.peers[0].restarts[0].drops_session = true;
  const ApplyReport report = t.Run();
  INFO(report.Summary());
  CHECK(report.ok());
  CHECK(t.rig.fleet.CallsOf("cucm1.example.com") ==
        std::vector<std::string>{"observe", "install tomcat", "restart Cisco Tomcat", "reconnect", "discard tomcat"});
  OneTomcat u;
  u.plan.peers[0].restarts[0].drops_session = true;
  const ApplyReport failed = u.Run(/*can_reconnect=*/false);
  CHECK_FALSE(failed.ok());
  CHECK(failed.peers.at(0).error.find("ends the session and this run cannot reconnect") != std::string::npos);
}

TEST_CASE("restarts carry the catalogue's timings into the plan", "[planner][rule:U13]") {
  const auto& ucm = UcmCatalogue();
  const catalogue::RestartTiming* tomcat = ucm.TimingFor("Cisco Tomcat");
  REQUIRE(tomcat);
  CHECK(tomcat->expected_seconds >= 120);  // minutes on a real node
  CHECK_FALSE(tomcat->drops_session);
  REQUIRE(ucm.TimingFor("IPsec Service"));  // the default
  const auto* vcs = planner::testing::Catalogue().Find("vcs")->TimingFor("VCS");
  REQUIRE(vcs);
  CHECK(vcs->drops_session);
  const auto* openssh = planner::testing::Catalogue().Find("openssh")->TimingFor("");
  REQUIRE(openssh);
  CHECK(openssh->timeout_seconds > 0);
}

}  // namespace
}  // namespace pkiform::testing
