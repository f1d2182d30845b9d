// The node as it reports itself (Actual::node) against the manifest's product and
// platformVersion: another node type is an error, another release a warning.
#include "reconciler/planner/node_facts.h"
#include "tests/reconciler/planner/planner_fixture.h"

namespace pkiform::planner::testing {
namespace {

Fleet UcmNode(const std::string& node_type, const std::string& build, const std::string& release) {
  Fleet f;
  Cluster& c = f.cluster();
  c.name = "cucm";
  c.platform = "ucm";
  c.product = "unified-cm";
  c.platform_version = "14SU2";
  c.identity.clear();
  c.trust.clear();
  c.peers = {MakePeer("cucm1.example.com", "", "publisher")};
  f.observed.clear();
  Actual a;
  a.cluster = "cucm";
  a.peer = "cucm1.example.com";
  a.node = ObservedNode{"publisher", node_type, build, release};
  f.observed.push_back(a);
  return f;
}

bool AnyNoteHas(const Plan& plan, const std::string& part) {
  for (const auto& p : plan.peers)
    for (const auto& n : p.notes)
      if (n.find(part) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("node facts: the node the manifest describes plans quietly", "[planner][ucm-core]") {
  const Plan plan = UcmNode("unifiedCM", "14.0.1.12900-161", "14SU2").MustPlan();
  REQUIRE(plan.peers.size() == 1);
  CHECK(plan.peers[0].notes.empty());
}

TEST_CASE("node facts: an IM and Presence node in a unified-cm cluster is an error, naming both",
          "[planner][ucm-core][rule:U1]") {
  auto plan = UcmNode("imAndPresence", "14.0.1.12900-161", "14SU2").MakePlan();
  REQUIRE_FALSE(plan.ok());
  INFO(plan.status().message());
  CHECK(plan.status().message().find("cucm/cucm1.example.com: the node is IM and Presence") != std::string::npos);
  CHECK(plan.status().message().find("the cluster has product \"unified-cm\"") != std::string::npos);
  // A cluster that names no product is taken as the platform's first node type, and says so.
  Fleet bare = UcmNode("imAndPresence", "14.0.1.12900-161", "14SU2");
  bare.cluster().product.clear();
  auto unnamed = bare.MakePlan();
  REQUIRE_FALSE(unnamed.ok());
  CHECK(unnamed.status().message().find("the cluster has no product") != std::string::npos);
}

TEST_CASE("node facts: another release than platformVersion, or a build nobody listed, is a warning",
          "[planner][ucm-core][rule:U15]") {
  const Plan older = UcmNode("unifiedCM", "14.0.1.12900-161", "14SU1").MustPlan();
  CHECK(AnyNoteHas(older, "warning: platformVersion is 14SU2 but the node runs 14SU1 (build 14.0.1.12900-161)"));
  const Plan unknown = UcmNode("unifiedCM", "99.9.9", "").MustPlan();
  CHECK(AnyNoteHas(unknown, "warning: the node runs build 99.9.9"));
  // A node that reports nothing of itself (openssh) is not checked.
  Fleet web;
  CHECK(web.MustPlan().peers.at(0).notes.empty());
}

TEST_CASE("node facts: an upgrade between plan and apply changes the peer's digest", "[planner][ucm-core]") {
  Fleet f = UcmNode("unifiedCM", "14.0.1.12900-161", "14SU2");
  const std::string before = f.actual().Digest();
  f.actual().node->build = "14.0.1.13900-155";
  CHECK(f.actual().Digest() != before);
  f.actual().node.reset();
  Actual plain = f.actual();
  CHECK(plain.Digest() != before);
}

}  // namespace pkiform::planner::testing
