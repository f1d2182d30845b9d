// Setting changes (OCSP, rule U16; certificate monitor, rule U17): planned from the
// manifest for the settings the catalogue lists, applied by the provider's ApplySetting.
#include "reconciler/executor/executor.h"
#include "reconciler/plan/plan_json.h"
#include "reconciler/planner/settings_change.h"
#include "reconciler/render/plan_text.h"
#include "tests/reconciler/executor/executor_fixture.h"

namespace pkiform::planner::testing {
namespace {

Fleet UcmOcspFleet() {
  Fleet f;
  Cluster& c = f.cluster();
  c.name = "cucm";
  c.platform = "ucm";
  c.product = "unified-cm";
  c.platform_version = "14SU3";
  c.identity.clear();
  c.trust.clear();
  c.peers = {MakePeer("cucm1.example.com", "", "publisher")};
  c.revocation = Revocation{};
  c.revocation->ocsp = OcspSettings{};
  c.revocation->ocsp->enabled = true;
  c.monitor = Monitor{};
  c.monitor->notify_before = Duration{Days(30), std::nullopt, "30d"};
  f.observed.clear();
  Actual a;
  a.cluster = "cucm";
  a.peer = "cucm1.example.com";
  a.settings = {{"ocsp.enabled", "false"}, {"certificateMonitor.notifyBefore", "30d"}};
  f.observed.push_back(a);
  return f;
}

TEST_CASE("settings: a setting that differs is updated with typed before and after", "[planner][rule:U16]") {
  const Fleet f = UcmOcspFleet();
  const Change c = OnlyChange(f.MustPlan());
  CHECK(c.kind == ChangeKind::kSetting);
  CHECK(c.action == Action::kUpdate);
  CHECK(c.address == "cucm/cucm1.example.com/setting/ocsp.enabled");
  CHECK(c.slot_or_store == "ocsp.enabled");
  CHECK(c.setting_before == "false");
  CHECK(c.setting_after == "true");
}

TEST_CASE("settings: equal, unset in the manifest, or on openssh: nothing", "[planner][rule:U16][rule:U17]") {
  Fleet f = UcmOcspFleet();
  f.observed[0].settings["ocsp.enabled"] = "true";
  CHECK(Changes(f.MustPlan()).empty());
  f.cluster().revocation.reset();
  f.observed[0].settings.clear();
  const auto changes = Changes(f.MustPlan());  // the monitor alone, not reported: created
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].slot_or_store == "certificateMonitor.notifyBefore");
  CHECK(changes[0].action == Action::kCreate);
  CHECK(changes[0].setting_after == "30d");
  Fleet web;
  web.cluster().revocation = Revocation{};
  web.cluster().revocation->ocsp = OcspSettings{};
  web.cluster().revocation->ocsp->enabled = true;
  CHECK(Changes(web.MustPlan()).empty());  // openssh lists no settings
}

TEST_CASE("settings: round-trip in plan files and read in the plan text", "[planner][json][render][rule:U16]") {
  const Plan plan = UcmOcspFleet().MustPlan();
  auto back = PlanFromJson(nlohmann::json::parse(PlanToJson(plan).dump()));
  INFO(back.status().ToString());
  REQUIRE(back.ok());
  CHECK(back->peers[0].changes[0].setting_after == "true");
  CHECK(back->peers[0].changes[0].kind == ChangeKind::kSetting);
  const std::string text = RenderPlanText(plan, false);
  CHECK(text.find("  ~ setting ocsp.enabled\n") != std::string::npos);
  CHECK(text.find("      - ocsp.enabled: false\n      + ocsp.enabled: true\n") != std::string::npos);
}

TEST_CASE("settings: the executor sets them through the provider", "[executor][rule:U16]") {
  pkiform::testing::Rig rig;
  Fleet f = UcmOcspFleet();
  rig.fleet.peers["cucm1.example.com"] = f.observed[0];
  const Plan plan = f.MustPlan();
  const ApplyReport report = rig.Run(plan, f.desired);
  INFO(report.Summary());
  CHECK(report.ok());
  CHECK(rig.fleet.CallsOf("cucm1.example.com") == std::vector<std::string>{"observe", "set ocsp.enabled=true"});
  CHECK(rig.fleet.peers["cucm1.example.com"].settings["ocsp.enabled"] == "true");
}

}  // namespace
}  // namespace pkiform::planner::testing
