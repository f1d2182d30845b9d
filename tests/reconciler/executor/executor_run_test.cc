// The executor against a fake provider: the order of the steps, stale plans,
// rollback, a failure that stops one cluster only, and cluster-wide changes (U10).
#include <algorithm>
#include <condition_variable>
#include <mutex>

#include "reconciler/planner/planner.h"
#include "tests/reconciler/executor/executor_fixture.h"

namespace pkiform::testing {
namespace {

using planner::testing::Issuing;
using planner::testing::Root;

bool Has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

// One cluster `name` of openssh-like peers, each with the generated identity slot "web".
Cluster WebCluster(const std::string& name, const std::vector<std::string>& peers) {
  Cluster c;
  c.name = name;
  c.platform = "openssh";
  for (const auto& p : peers) c.peers.push_back(planner::testing::MakePeer(p));
  c.identity = {GeneratedSlot("web")};
  TrustStore t;
  t.store = "/etc/ssl/corp.pem";
  c.trust = {t};
  return c;
}

// A plan for `cluster` that adds the issuing CA to the store and replaces "web" on every peer.
Plan WebPlan(Rig& rig, const Cluster& cluster) {
  Plan plan;
  for (const auto& p : cluster.peers) {
    rig.AddPeer(cluster.name, p.fqdn, {"web"});
    PeerPlan pp;
    pp.cluster = cluster.name;
    pp.peer = p.fqdn;
    pp.changes = {TrustAdd(cluster.name, p.fqdn, "/etc/ssl/corp.pem", Issuing().cert),
                  IdentityChange(cluster.name, p.fqdn, "web")};
    pp.restarts = {Restart{RestartKind::kCommand, "reload web", pp.changes[1].address}};
    rig.Stamp(pp);
    plan.peers.push_back(pp);
  }
  return plan;
}

TEST_CASE("executor: trust, then identities, then restarts, then verification", "[executor]") {
  Rig rig;
  Desired d;
  d.issuers = {SelfIssuer()};
  d.clusters = {WebCluster("web", {"web1"})};
  const Plan plan = WebPlan(rig, d.clusters[0]);
  const ApplyReport report = rig.Run(plan, d);
  INFO(report.Summary());
  CHECK(report.ok());
  CHECK(rig.fleet.CallsOf("web1") == std::vector<std::string>{"observe", "add-trust /etc/ssl/corp.pem", "install web",
                                                               "restart reload web", "verify web", "discard web"});
  CHECK(report.Summary() == "Apply complete: 2 changes applied on 1 peer.");
}

TEST_CASE("executor: a peer that changed since the plan is refused, untouched", "[executor]") {
  Rig rig;
  Desired d;
  d.issuers = {SelfIssuer()};
  d.clusters = {WebCluster("web", {"web1", "web2"})};
  const Plan plan = WebPlan(rig, d.clusters[0]);
  rig.fleet.peers["web1"].slots[0].certificate_pem = "someone else's";
  const ApplyReport report = rig.Run(plan, d);
  CHECK_FALSE(report.ok());
  CHECK(rig.fleet.CallsOf("web1") == std::vector<std::string>{"observe"});
  CHECK(rig.fleet.CallsOf("web2").empty());  // the cluster stopped
  REQUIRE(report.peers.size() == 2);
  CHECK(report.peers[0].error.find("stale plan") != std::string::npos);
  CHECK(report.peers[1].skipped);
}

TEST_CASE("executor: a failed verification restores the identity and restarts again", "[executor]") {
  Rig rig;
  Desired d;
  d.issuers = {SelfIssuer()};
  d.clusters = {WebCluster("web", {"web1"})};
  const Plan plan = WebPlan(rig, d.clusters[0]);
  rig.verify_fails = {"web1: web"};
  const ApplyReport report = rig.Run(plan, d);
  CHECK_FALSE(report.ok());
  CHECK(rig.fleet.CallsOf("web1") == std::vector<std::string>{"observe", "add-trust /etc/ssl/corp.pem", "install web",
                                                               "restart reload web", "verify web", "restore web",
                                                               "restart reload web"});
  CHECK(rig.fleet.peers["web1"].slots[0].certificate_pem == "old web of web1");
  REQUIRE(report.peers.size() == 1);
  CHECK(report.peers[0].rolled_back);
  CHECK(report.peers[0].restored == std::vector<std::string>{"web/web1/identity/web"});
  CHECK(Has(rig.records, "web/web1/identity/web rolled-back"));
  CHECK(report.Summary().find("1 change rolled back on 1 peer") != std::string::npos);
}

TEST_CASE("executor: a failure stops its cluster only", "[executor]") {
  Rig rig;
  Desired d;
  d.issuers = {SelfIssuer()};
  d.clusters = {WebCluster("eu", {"eu1", "eu2"}), WebCluster("us", {"us1", "us2"})};
  Plan plan = WebPlan(rig, d.clusters[0]);
  for (auto& p : WebPlan(rig, d.clusters[1]).peers) plan.peers.push_back(p);
  rig.fleet.fail = {"eu1: restart"};
  const ApplyReport report = rig.Run(plan, d);
  CHECK_FALSE(report.ok());
  CHECK(rig.fleet.CallsOf("eu2").empty());
  CHECK(Has(rig.fleet.CallsOf("us1"), "verify web"));
  CHECK(Has(rig.fleet.CallsOf("us2"), "verify web"));
  REQUIRE(report.peers.size() == 4);
  CHECK_FALSE(report.peers[0].ok);
  CHECK(report.peers[1].skipped);
  CHECK(report.peers[2].ok);
  CHECK(report.peers[3].ok);
}

TEST_CASE("executor: independent clusters proceed in parallel, peers of one cluster one at a time", "[executor]") {
  Rig rig;
  Desired d;
  d.issuers = {SelfIssuer()};
  d.clusters = {WebCluster("eu", {"eu1", "eu2"}), WebCluster("us", {"us1", "us2"})};
  Plan plan = WebPlan(rig, d.clusters[0]);
  for (auto& p : WebPlan(rig, d.clusters[1]).peers) plan.peers.push_back(p);
  // eu1's restart waits until us1 has been observed: only a parallel run gets past it quickly.
  std::mutex m;
  std::condition_variable cv;
  bool us_started = false, waited_in_vain = false;
  int in_eu = 0, most_in_eu = 0;
  rig.fleet.on_call = [&](const std::string& call) {
    std::unique_lock<std::mutex> g(m);
    if (call == "us1: observe") {
      us_started = true;
      cv.notify_all();
    }
    if (call.rfind("eu", 0) == 0 && call.find(": observe") != std::string::npos) most_in_eu = std::max(most_in_eu, ++in_eu);
    if (call.rfind("eu", 0) == 0 && call.find(": discard") != std::string::npos) --in_eu;
    if (call == "eu1: restart reload web")
      waited_in_vain = !cv.wait_for(g, std::chrono::seconds(10), [&] { return us_started; });
  };
  ExecutorHooks hooks = rig.Hooks();
  hooks.parallelism = 2;
  const ApplyReport report = Execute(plan, d, rig.clock, hooks);
  INFO(report.Summary());
  CHECK(report.ok());
  CHECK_FALSE(waited_in_vain);
  CHECK(most_in_eu == 1);  // eu2 started only after eu1 was done
  // The report keeps plan order, and every progress line names its peer.
  REQUIRE(report.peers.size() == 4);
  CHECK(report.peers[0].peer == "eu1");
  CHECK(report.peers[2].peer == "us1");
  for (const auto& line : rig.progress) {
    INFO(line);
    CHECK((line.rfind("eu", 0) == 0 || line.rfind("us", 0) == 0));
  }
}

TEST_CASE("executor: a peer waiting for its restart gives its place to another cluster's peer", "[executor][P3]") {
  Rig rig;
  Desired d;
  d.issuers = {SelfIssuer()};
  d.clusters = {WebCluster("eu", {"eu1"}), WebCluster("us", {"us1"}), WebCluster("ap", {"ap1"})};
  Plan plan;
  for (const auto& c : d.clusters)
    for (auto& p : WebPlan(rig, c).peers) plan.peers.push_back(p);
  // Every restart waits until all three peers have been observed. With one place for work,
  // only a run whose restarting peers give their place up gets there: otherwise the first
  // peer keeps it while it waits, and its wait is in vain.
  std::mutex m;
  std::condition_variable cv;
  int observed = 0, at_work = 0, most_at_work = 0, waits_in_vain = 0;
  rig.fleet.on_call = [&](const std::string& call) {
    std::unique_lock<std::mutex> g(m);
    // Counted only between calls made while a peer surely holds its place (from its observation
    // to its install, from its verification to its discard): a restart's call comes after the
    // place is given up, so another peer may already be observed before it.
    if (call.find(": observe") != std::string::npos || call.find(": verify") != std::string::npos)
      most_at_work = std::max(most_at_work, ++at_work);
    if (call.find(": observe") != std::string::npos && ++observed == 3) cv.notify_all();
    if (call.find(": install") != std::string::npos || call.find(": discard") != std::string::npos) --at_work;
    if (call.find(": restart") != std::string::npos &&
        !cv.wait_for(g, std::chrono::seconds(10), [&] { return observed == 3; }))
      ++waits_in_vain;
  };
  ExecutorHooks hooks = rig.Hooks();
  hooks.parallelism = 1;
  hooks.clusters_at_once = 3;
  const ApplyReport report = Execute(plan, d, rig.clock, hooks);
  INFO(report.Summary());
  CHECK(report.ok());
  CHECK(waits_in_vain == 0);
  CHECK(most_at_work == 1);  // never more peers at work than --parallelism
  for (const auto& peer : {"eu1", "us1", "ap1"})
    CHECK(rig.fleet.CallsOf(peer) == std::vector<std::string>{"observe", "add-trust /etc/ssl/corp.pem", "install web",
                                                              "restart reload web", "verify web", "discard web"});
}

// A UCM cluster, publisher and subscriber, whose tomcat-trust lacks the root: the
// planner makes one cluster-wide change on the publisher.
struct UcmRig {
  Rig rig;
  Desired desired;
  Plan plan;

  UcmRig() {
    Cluster c;
    c.name = "cucm";
    c.platform = "ucm";
    c.product = "unified-cm";
    c.platform_version = "14SU3";
    c.peers = {planner::testing::MakePeer("cucm1", "", "publisher"), planner::testing::MakePeer("cucm2", "", "subscriber")};
    TrustStore t;
    t.store = "tomcat-trust";
    t.certificates = {FileRef{"ca/root.pem", "/repo/ca/root.pem", {}}};
    c.trust = {t};
    desired.clusters = {c};
    rig.AddPeer("cucm", "cucm1");
    rig.AddPeer("cucm", "cucm2");
    rig.fleet.replicated = {"tomcat-trust"};
    rig.fleet.deleted_everywhere = {"tomcat-trust"};
    std::vector<Actual> observed = {rig.fleet.peers["cucm1"], rig.fleet.peers["cucm2"]};
    planner::PlanInput in{desired, observed, planner::testing::Catalogue(), {}, Now(), "", {},
                          {{"/repo/ca/root.pem", {Root().cert.ToPem()}}}, "digest"};
    plan = planner::testing::Must(planner::MakePlan(in));
  }
};

TEST_CASE("executor: a cluster-wide change is made once and expected, not called stale, on the next peer",
          "[executor][rule:U10]") {
  UcmRig u;
  REQUIRE(u.plan.peers.size() == 2);
  const ApplyReport report = u.rig.Run(u.plan, u.desired);
  INFO(report.Summary());
  CHECK(report.ok());
  CHECK(u.rig.fleet.CallsOf("cucm1") == std::vector<std::string>{"observe", "add-trust tomcat-trust", "restart Cisco Tomcat"});
  CHECK(u.rig.fleet.CallsOf("cucm2") == std::vector<std::string>{"observe", "restart Cisco Tomcat"});
}

TEST_CASE("executor: a cluster-wide change that has not reached the next peer stops the cluster",
          "[executor][rule:U10]") {
  UcmRig u;
  u.rig.fleet.replicated.clear();  // replication failed
  const ApplyReport report = u.rig.Run(u.plan, u.desired);
  CHECK_FALSE(report.ok());
  REQUIRE(report.peers.size() == 2);
  CHECK(report.peers[0].ok);
  CHECK(report.peers[1].error.find("has not reached") != std::string::npos);
  CHECK(u.rig.fleet.CallsOf("cucm2") == std::vector<std::string>{"observe"});
}

TEST_CASE("executor: without a cluster-wide change, the shared stores are still checked", "[executor][rule:U10]") {
  UcmRig u;
  // Only the subscriber is applied (as `apply` of a plan targeted at it would be), and
  // someone changed its tomcat-trust since the plan.
  Plan sub_only = u.plan;
  sub_only.peers.erase(sub_only.peers.begin());
  u.rig.fleet.peers["cucm2"].trust = {ObservedTrustStore{"tomcat-trust", {Issuing().cert.ToPem()}, {}}};
  const ApplyReport report = u.rig.Run(sub_only, u.desired);
  CHECK_FALSE(report.ok());
  CHECK(report.peers.at(0).error.find("stale plan") != std::string::npos);
}

TEST_CASE("executor: an identity the platform cannot restore is left in place and said so, never 'rolled back'",
          "[executor][rule:U8]") {
  Rig rig;
  Desired d;
  d.issuers = {SelfIssuer()};
  d.clusters = {WebCluster("cucm", {"cucm1", "cucm2"})};
  Plan plan = WebPlan(rig, d.clusters[0]);
  for (auto& p : plan.peers) p.changes[1].no_rollback = "an import overwrites the identity and deletes its CSR (U8)";
  rig.verify_fails = {"cucm1: web"};
  const ApplyReport report = rig.Run(plan, d);
  CHECK_FALSE(report.ok());
  // No restore was attempted, and no second restart for a restore that did not happen.
  CHECK(rig.fleet.CallsOf("cucm1") == std::vector<std::string>{"observe", "add-trust /etc/ssl/corp.pem", "install web",
                                                                "restart reload web", "verify web"});
  CHECK(rig.fleet.CallsOf("cucm2").empty());  // verified before the next node is touched
  REQUIRE(report.peers.size() == 2);
  const PeerOutcome& first = report.peers[0];
  CHECK_FALSE(first.rolled_back);
  CHECK(first.restored.empty());
  CHECK(first.not_restored ==
        std::vector<std::string>{"cucm/cucm1/identity/web: an import overwrites the identity and deletes its CSR (U8)"});
  CHECK(first.error.find("rolled back)") == std::string::npos);
  CHECK(first.error.find("not rolled back (the platform cannot): web") != std::string::npos);
  // Recorded as applied, then failed (left in place): never rolled-back.
  CHECK(rig.records == std::vector<std::string>{"cucm/cucm1/trust//etc/ssl/corp.pem/" + Issuing().cert.FingerprintSha256() + " applied",
                                                "cucm/cucm1/identity/web applied", "cucm/cucm1/identity/web failed"});
  const std::string summary = report.Summary();
  CHECK(summary.find("rolled back on") == std::string::npos);
  CHECK(summary.find("left in place, cannot be rolled back: cucm/cucm1/identity/web") != std::string::npos);
}

TEST_CASE("executor: a restorable identity next to one that is not: the first restored, the other reported",
          "[executor][rule:U8]") {
  Rig rig;
  Desired d;
  d.issuers = {SelfIssuer()};
  d.clusters = {WebCluster("web", {"web1"})};
  d.clusters[0].identity.push_back(GeneratedSlot("api"));
  Plan plan = WebPlan(rig, d.clusters[0]);
  rig.fleet.peers["web1"].slots.push_back(ObservedSlot{});
  rig.fleet.peers["web1"].slots.back().slot = "api";
  plan.peers[0].changes.push_back(IdentityChange("web", "web1", "api"));
  plan.peers[0].changes.back().no_rollback = "cannot";
  rig.Stamp(plan.peers[0]);
  rig.verify_fails = {"web1: api"};
  const ApplyReport report = rig.Run(plan, d);
  const PeerOutcome& o = report.peers.at(0);
  CHECK(o.restored == std::vector<std::string>{"web/web1/identity/web"});
  CHECK(o.not_restored == std::vector<std::string>{"web/web1/identity/api: cannot"});
  CHECK_FALSE(o.rolled_back);
  CHECK(Has(rig.fleet.CallsOf("web1"), "restore web"));
  CHECK_FALSE(Has(rig.fleet.CallsOf("web1"), "restore api"));
}

}  // namespace
}  // namespace pkiform::testing
