// A service the node reports down is restarted when a managed slot needs it (U13): an
// apply whose restart failed leaves the node holding an identity it does not serve, and
// the next plan makes that restart up instead of saying "no changes".
#include "reconciler/planner/restarts.h"
#include "tests/reconciler/planner/planner_fixture.h"

namespace pkiform::planner::testing {
namespace {

struct StoppedServicesRig {
  Cluster cluster;
  Actual actual;
  ClusterFacts facts;
  const catalogue::PlatformCatalogue* ucm = Catalogue().Find("ucm");

  StoppedServicesRig() {
    cluster.name = "cucm";
    cluster.platform = "ucm";
    IdentitySlot tomcat;
    tomcat.slot = "tomcat";
    cluster.identity = {tomcat};
    actual.cluster = "cucm";
    actual.peer = "cucm2.example.com";
    facts = FactsOf(*ucm, cluster);
    facts.node_type = "unifiedCM";
  }
  std::vector<Restart> Run(const std::vector<Restart>& planned, std::vector<std::string>& notes) const {
    return RestartsOfStoppedServices(actual, cluster, *ucm, facts, planned, notes);
  }
};

TEST_CASE("U13: a stopped service of a managed slot is restarted, with a note saying why", "[planner][rule:U13]") {
  StoppedServicesRig rig;
  REQUIRE(rig.ucm);
  rig.actual.stopped_services = {{"Cisco Tomcat", "[STOPPED]"}, {"Cisco CallManager", "[FAILED]"}};
  std::vector<std::string> notes;
  const auto restarts = rig.Run({}, notes);
  REQUIRE(restarts.size() == 1);  // CallManager is not a managed slot here: its service is not ours to start
  CHECK(restarts[0].kind == RestartKind::kService);
  CHECK(restarts[0].target == "Cisco Tomcat");
  CHECK(restarts[0].because == "cucm/cucm2.example.com/service/Cisco Tomcat");
  CHECK(restarts[0].timeout_seconds == 1800);  // the catalogue's restartTimes
  REQUIRE(notes.size() == 1);
  CHECK(notes[0] == "Cisco Tomcat is not running ([STOPPED]): it is restarted so that tomcat is served");
}

TEST_CASE("U13: a stopped service already restarted by a change is not restarted twice", "[planner][rule:U13]") {
  StoppedServicesRig rig;
  rig.actual.stopped_services = {{"Cisco Tomcat", "[STOPPED]"}};
  Restart planned;
  planned.kind = RestartKind::kService;
  planned.target = "Cisco Tomcat";
  std::vector<std::string> notes;
  CHECK(rig.Run({planned}, notes).empty());
  CHECK(notes.empty());
}

TEST_CASE("U13: running services and nodes that report none add no restart", "[planner][rule:U13]") {
  StoppedServicesRig rig;
  std::vector<std::string> notes;
  CHECK(rig.Run({}, notes).empty());
  CHECK(notes.empty());
}

}  // namespace
}  // namespace pkiform::planner::testing
