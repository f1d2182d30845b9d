// Maintenance windows in the plan (window_deferral.h): outside the window, changes that
// restart something wait with their restarts and the plan says until when; changes that
// restart nothing go ahead; a certificate that would expire before the window opens goes
// ahead, and says why; no window given (--ignore-windows) defers nothing.
#include "reconciler/planner/window_deferral.h"

#include <catch2/catch.hpp>

#include "tests/reconciler/planner/planner_fixture.h"

namespace pkiform::planner {
namespace {

using namespace testing;

Window Saturdays() { return Must(ParseWindow("Sat 01:00-05:00", TimeZone())); }

Plan PlanWith(const Fleet& f, pki::TimePoint now, std::optional<Window> window = Saturdays()) {
  PlanInput in = f.Input(now);
  if (window) in.windows.emplace("web-eu", *window);
  return Must(planner::MakePlan(in));
}

bool Mentions(const std::vector<std::string>& notes, const std::string& text) {
  for (const auto& n : notes)
    if (n.find(text) != std::string::npos) return true;
  return false;
}

// The installed leaf expires 2027-05-01T00:00Z; renewBefore 30d: due from 2027-04-01.
// (Functions, not constants: At() checks with Catch, which is not running before main.)
pki::TimePoint ThursdayDue() { return At("2027-04-15T12:00:00Z"); }  // the next window: Sat 2027-04-17 01:00
pki::TimePoint InsideWindow() { return At("2027-04-17T02:00:00Z"); }
pki::TimePoint ThursdayBeforeExpiry() { return At("2027-04-29T12:00:00Z"); }  // the window opens after the expiry

TEST_CASE("outside the window a renewal and its reload wait, and the plan says until when", "[planner][window]") {
  Fleet f;
  f.cluster().restarts.window = "Sat 01:00-05:00";
  const Plan plan = PlanWith(f, ThursdayDue());
  REQUIRE(plan.peers.size() == 1);
  const PeerPlan& p = plan.peers[0];
  CHECK(p.changes.empty());
  CHECK(p.restarts.empty());
  REQUIRE(p.deferred.size() == 1);
  CHECK(p.deferred[0].address == "web-eu/web1.example.com/identity/nginx");
  REQUIRE(p.deferred_restarts.size() == 1);
  CHECK(p.deferred_restarts[0].target == "nginx -s reload");
  CHECK(p.deferred_until == "2027-04-17T01:00:00Z");
  CHECK(Mentions(p.notes, "1 change deferred until the maintenance window opens at 2027-04-17 01:00 UTC"));
  CHECK_FALSE(plan.HasChanges());
  CHECK(plan.DeferredCount() == 1);
  CHECK(plan.EarliestDeferredUntil() == "2027-04-17T01:00:00Z");
}

TEST_CASE("inside the window the same renewal goes ahead", "[planner][window]") {
  Fleet f;
  const Plan plan = PlanWith(f, InsideWindow());
  REQUIRE(plan.peers.size() == 1);
  CHECK(plan.peers[0].changes.size() == 1);
  CHECK(RestartTargets(plan.peers[0]) == std::vector<std::string>{"nginx -s reload"});
  CHECK(plan.peers[0].deferred.empty());
  CHECK(plan.DeferredCount() == 0);
}

TEST_CASE("a certificate that expires before the window opens is renewed now, with the reason",
          "[planner][window]") {
  Fleet f;
  const Plan plan = PlanWith(f, ThursdayBeforeExpiry());
  const PeerPlan& p = plan.peers.at(0);
  CHECK(p.changes.size() == 1);
  CHECK(p.deferred.empty());
  CHECK(RestartTargets(p) == std::vector<std::string>{"nginx -s reload"});
  CHECK(Mentions(p.notes, "the certificate of slot nginx expires 2027-05-01T00:00:00Z, before the maintenance window "
                          "opens at 2027-05-01 01:00 UTC: applied outside the window"));
}

TEST_CASE("changes that restart nothing go ahead outside the window; those that do wait", "[planner][window]") {
  Fleet f;
  f.actual().trust[0].certificate_pems.clear();  // the CA is missing from the bundle
  SECTION("a trust store without an update command restarts nothing") {
    f.cluster().trust[0].update = "";
    const Plan plan = PlanWith(f, ThursdayDue());
    const PeerPlan& p = plan.peers.at(0);
    REQUIRE(p.changes.size() == 1);
    CHECK(p.changes[0].kind == ChangeKind::kTrust);
    REQUIRE(p.deferred.size() == 1);
    CHECK(p.deferred[0].kind == ChangeKind::kIdentity);
    CHECK(p.restarts.empty());
  }
  SECTION("with update-ca-certificates it waits as well") {
    const Plan plan = PlanWith(f, ThursdayDue());
    const PeerPlan& p = plan.peers.at(0);
    CHECK(p.changes.empty());
    CHECK(p.deferred.size() == 2);
    PeerPlan restarts_only;
    restarts_only.restarts = p.deferred_restarts;
    CHECK(RestartTargets(restarts_only) == std::vector<std::string>{"update-ca-certificates", "nginx -s reload"});
  }
}

TEST_CASE("leftover backups of a slot whose renewal waits, wait with it", "[planner][window][backups]") {
  Fleet f;
  f.slot().leftover_backups = {"/etc/nginx/tls/nginx.pem.pkiform-backup"};
  const Plan plan = PlanWith(f, ThursdayDue());
  const PeerPlan& p = plan.peers.at(0);
  CHECK(p.changes.empty());
  REQUIRE(p.deferred.size() == 2);
  CHECK(p.deferred[1].kind == ChangeKind::kBackups);
}

TEST_CASE("without a window to honour (--ignore-windows) nothing is deferred", "[planner][window]") {
  Fleet f;
  const Plan plan = PlanWith(f, ThursdayDue(), std::nullopt);
  CHECK(plan.peers.at(0).changes.size() == 1);
  CHECK(plan.DeferredCount() == 0);
}

TEST_CASE("U10: a cluster-wide change waits as a whole, with the restarts it causes on every peer",
          "[planner][window][rule:U10]") {
  const Fleet f = UcmTrustFleet();
  PlanInput in = f.Input(ThursdayDue());
  in.windows.emplace("cucm", Saturdays());
  const Plan plan = Must(planner::MakePlan(in));
  REQUIRE(plan.peers.size() == 2);
  for (const auto& p : plan.peers) {
    INFO(p.peer);
    CHECK(p.changes.empty());
    CHECK(p.restarts.empty());
    REQUIRE(p.deferred_restarts.size() == 1);
    CHECK(p.deferred_restarts[0].target == "Cisco Tomcat");
    CHECK(p.deferred_until == "2027-04-17T01:00:00Z");
  }
  // Manifest order (subscriber first): the publisher goes first only with changes to execute.
  REQUIRE(plan.peers[1].peer == "cucm1.example.com");
  CHECK(plan.peers[1].deferred.size() == 1);  // the publisher makes it
  CHECK(plan.peers[0].deferred.empty());
  CHECK(Mentions(plan.peers[0].notes, "restarts for other peers' changes deferred"));
  CHECK(plan.DeferredCount() == 1);
}

TEST_CASE("the opening is shown on the window's own clock", "[planner][window]") {
  const TimeZone utc;
  CHECK(FormatLocalTime(At("2027-04-17T01:00:00Z"), utc) == "2027-04-17 01:00 UTC");
}

}  // namespace
}  // namespace pkiform::planner
