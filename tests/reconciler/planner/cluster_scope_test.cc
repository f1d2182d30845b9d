// Cluster-wide trust changes (rule U10): made once, on the publisher, reaching
// every node; the copies CAPF-trust makes in CallManager-trust are neither pruned
// nor added twice; stores that differ between nodes are noted.
#include <algorithm>

#include "reconciler/planner/cluster_scope.h"
#include "tests/reconciler/planner/planner_fixture.h"

namespace pkiform::planner::testing {
namespace {

const PeerPlan& PlanOf(const Plan& plan, const std::string& peer) {
  for (const auto& p : plan.peers)
    if (p.peer == peer) return p;
  FAIL("no plan for " << peer);
  return plan.peers.front();
}

TEST_CASE("U10: a replicated trust addition is one change, made on the publisher", "[planner][rule:U10]") {
  const Fleet f = UcmTrustFleet();
  const Plan plan = f.MustPlan();
  REQUIRE(plan.peers.size() == 2);
  CHECK(plan.peers[0].peer == "cucm1.example.com");  // the publisher goes first
  const Change change = OnlyChange(plan);
  CHECK(change.address == "cucm/cucm1.example.com/trust/tomcat-trust/" + Root().cert.FingerprintSha256());
  CHECK(change.scope == ChangeScope::kCluster);
  CHECK(change.reaches == std::vector<std::string>{"cucm2.example.com", "cucm1.example.com"});
  // Its restart is planned on every node it reaches.
  CHECK(RestartTargets(PlanOf(plan, "cucm1.example.com")) == std::vector<std::string>{"Cisco Tomcat"});
  CHECK(RestartTargets(PlanOf(plan, "cucm2.example.com")) == std::vector<std::string>{"Cisco Tomcat"});
  CHECK(PlanOf(plan, "cucm2.example.com").restarts[0].because == change.address);
  CHECK(PlanOf(plan, "cucm2.example.com").restarts[0].timeout_seconds == 1800);  // restartTimes: Cisco Tomcat
  CHECK(plan.Summary().add == 1);
}

TEST_CASE("U10: a cluster-wide deletion is planned once; a node-scoped addition on every node",
          "[planner][rule:U10]") {
  Fleet f = UcmTrustFleet("CAPF-trust");  // replication node, deletion cluster
  f.cluster().trust[0].prune = true;
  f.trust_pems[kRootPath] = {Root().cert.ToPem()};
  for (auto& a : f.observed) a.trust = {ObservedTrustStore{"CAPF-trust", {Other().cert.ToPem()}, {}}};
  const Plan plan = f.MustPlan();
  const auto changes = Changes(plan);
  const auto adds = std::count_if(changes.begin(), changes.end(), [](const Change& c) { return c.action == Action::kCreate; });
  const auto deletes = std::count_if(changes.begin(), changes.end(), [](const Change& c) { return c.action == Action::kDelete; });
  CHECK(adds == 2);  // one per node: CAPF-trust does not replicate
  CHECK(deletes == 1);
  for (const auto& c : changes) {
    if (c.action == Action::kDelete) {
      CHECK(c.scope == ChangeScope::kCluster);
      CHECK(c.address.find("cucm1.example.com") != std::string::npos);
    } else {
      CHECK(c.scope == ChangeScope::kNode);
      CHECK(c.copies_to == std::vector<std::string>{"CallManager-trust"});
    }
  }
}

TEST_CASE("U10: the publisher that has the entry already leaves the change to the first peer that needs it",
          "[planner][rule:U10]") {
  Fleet f = UcmTrustFleet();
  f.observed[1].trust = {ObservedTrustStore{"tomcat-trust", {Root().cert.ToPem()}, {}}};  // the publisher has it
  const Plan plan = f.MustPlan();
  const Change change = OnlyChange(plan);
  CHECK(change.address.find("cucm2.example.com") != std::string::npos);
  // The observations of a replicating store differ: replication lag or failure, said in a note.
  const auto& notes = PlanOf(plan, "cucm1.example.com").notes;
  REQUIRE(notes.size() == 1);
  CHECK(notes[0].find("replicates cluster-wide") != std::string::npos);
  CHECK(notes[0].find("cucm2.example.com") != std::string::npos);
}

TEST_CASE("U10: CAPF-trust's copy in CallManager-trust is neither pruned nor added again", "[planner][rule:U10]") {
  Fleet f = UcmTrustFleet("CAPF-trust");
  TrustStore cm;
  cm.store = "CallManager-trust";
  cm.certificates = {FileRef{"ca/root.pem", kRootPath, {}}};
  cm.prune = true;
  f.cluster().trust.push_back(cm);
  // CallManager-trust lists the root too, and holds the copy of another CAPF root.
  f.cluster().trust[0].certificates.push_back(FileRef{"ca/other.pem", "/repo/ca/other.pem", {}});
  f.trust_pems["/repo/ca/other.pem"] = {Other().cert.ToPem()};
  for (auto& a : f.observed)
    a.trust = {ObservedTrustStore{"CAPF-trust", {Other().cert.ToPem()}, {}},
               ObservedTrustStore{"CallManager-trust", {Other().cert.ToPem()}, {}}};
  const Plan plan = f.MustPlan();
  for (const auto& c : Changes(plan)) {
    INFO(c.address);
    CHECK(c.slot_or_store == "CAPF-trust");  // nothing for CallManager-trust: no prune, no second add
    CHECK(c.action == Action::kCreate);
  }
  CHECK(Changes(plan).size() == 2);
}

TEST_CASE("U10: --target one peer: the change is made there, and the plan says whom else it reaches",
          "[planner][rule:U10]") {
  Fleet f = UcmTrustFleet();
  f.target = "cucm/cucm2.example.com";
  f.observed.pop_back();  // the publisher is not observed
  const Plan plan = f.MustPlan();
  const Change change = OnlyChange(plan);
  CHECK(change.scope == ChangeScope::kCluster);
  CHECK(change.address.find("cucm2.example.com") != std::string::npos);
  REQUIRE(plan.peers.at(0).notes.size() == 1);
  CHECK(plan.peers[0].notes[0].find("also reaches cucm1.example.com, not in this plan") != std::string::npos);
}

TEST_CASE("U10: an openssh store is the node's own", "[planner][rule:U10]") {
  Fleet f;
  f.cluster().peers.push_back(MakePeer("web2.example.com"));
  Actual web2 = f.actual();
  web2.peer = "web2.example.com";
  web2.trust[0].certificate_pems.clear();
  f.observed.push_back(web2);
  const Plan plan = f.MustPlan();
  for (const auto& c : Changes(plan)) CHECK(c.scope == ChangeScope::kNode);
  for (const auto& p : plan.peers) {
    CHECK(p.scoped_stores.empty());
    CHECK(p.scoped_digest.empty());
  }
}

TEST_CASE("U10: the peer digest leaves out the stores another peer's change may alter", "[planner][rule:U10]") {
  const Fleet f = UcmTrustFleet();
  const Plan plan = f.MustPlan();
  const PeerPlan& sub = PlanOf(plan, "cucm2.example.com");
  CHECK(std::find(sub.scoped_stores.begin(), sub.scoped_stores.end(), "tomcat-trust") != sub.scoped_stores.end());
  Actual changed = f.observed[0];
  changed.trust = {ObservedTrustStore{"tomcat-trust", {Root().cert.ToPem()}, {}}};
  CHECK(changed.Digest(sub.scoped_stores) == sub.observed_digest);
  CHECK(changed.StoresDigest(sub.scoped_stores) != sub.scoped_digest);
}

TEST_CASE("U8: a UCM identity install says it cannot be rolled back; an openssh one can", "[planner][rule:U8]") {
  Fleet ucm = UcmTrustFleet();
  ucm.cluster().trust.clear();
  ucm.cluster().identity = {NginxSlot("tomcat")};
  ucm.cluster().identity[0].files.reset();
  ucm.cluster().identity[0].reload.clear();
  ucm.cluster().identity[0].key.algorithm = "rsa";
  ucm.cluster().identity[0].key.size = 2048;
  const auto changes = Changes(ucm.MustPlan());
  REQUIRE(changes.size() == 2);
  for (const auto& c : changes) CHECK(c.no_rollback == "an import overwrites the identity and deletes its CSR (U8)");

  Fleet web;
  web.slot().certificate_pem.reset();
  CHECK(OnlyChange(web.MustPlan()).no_rollback.empty());
}

}  // namespace
}  // namespace pkiform::planner::testing
