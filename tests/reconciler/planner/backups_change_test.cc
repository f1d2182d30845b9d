// Backups an interrupted apply left (issue 8, item 9): the plan names them and
// removes them, alone or after a replacement, never restores them, never restarts
// for them; --target and the summary see them.
#include "reconciler/planner/backups_change.h"

#include <catch2/catch.hpp>

#include "tests/reconciler/planner/planner_fixture.h"

namespace pkiform::planner {
namespace {

using namespace testing;

const std::vector<std::string> kLeftovers = {"/etc/nginx/tls/nginx.pem.pkiform-backup",
                                             "/etc/nginx/tls/nginx.key.pkiform-backup",
                                             "/etc/nginx/tls/nginx.key.pkiform-backup.tmp"};

TEST_CASE("backups left next to an identity in the desired state are removed, with no restart", "[planner][backups]") {
  Fleet f;
  f.slot().leftover_backups = kLeftovers;
  const Plan plan = f.MustPlan();
  const Change c = OnlyChange(plan);
  CHECK(c.address == "web-eu/web1.example.com/backups/nginx");
  CHECK(c.action == Action::kDelete);
  CHECK(c.kind == ChangeKind::kBackups);
  CHECK(c.slot_or_store == "nginx");
  CHECK(c.reason == "backup files left by an interrupted apply; removed, never restored");
  CHECK(c.before == kLeftovers);
  CHECK(c.after.empty());
  CHECK(c.remove_files == kLeftovers);
  CHECK(c.certificate_pem.empty());
  CHECK(plan.peers[0].restarts.empty());
  CHECK(plan.peers[0].follow_ups.empty());
  const PlanSummary s = plan.Summary();
  CHECK((s.add == 0 && s.change == 0 && s.remove == 1 && s.restarts == 0));
  CHECK(plan.HasChanges());  // so plan --detailed-exitcode says 2
}

TEST_CASE("a slot replaced anyway takes its leftover backups with it, after the identity", "[planner][backups]") {
  Fleet f;
  f.slot().leftover_backups = kLeftovers;
  f.slot().key_public_digest = NewP256Key().PublicKeyDigest();  // the kill came after the key was swapped
  const Plan plan = f.MustPlan();
  const auto changes = Changes(plan);
  REQUIRE(changes.size() == 2);
  CHECK(changes[0].kind == ChangeKind::kIdentity);
  CHECK(changes[0].action == Action::kReplace);
  CHECK(changes[0].reason == "private key does not match the certificate");
  CHECK(changes[1].kind == ChangeKind::kBackups);
  CHECK(changes[1].reason ==
        "backup files left by an interrupted apply; removed once the new identity is verified, never restored");
  CHECK(changes[1].remove_files == kLeftovers);
  CHECK(RestartTargets(plan.peers[0]) == std::vector<std::string>{"nginx -s reload"});  // for the identity only
  CHECK(changes[0].address == plan.peers[0].restarts[0].because);
}

TEST_CASE("the files in place are judged as usual: a new identity installed before the kill stands",
          "[planner][backups]") {
  // GoodSlot is what the manifest asks for, whatever the backups hold: nothing is replaced or restored.
  Fleet f;
  f.slot().leftover_backups = {kLeftovers[0]};
  for (const auto& c : Changes(f.MustPlan())) CHECK(c.kind == ChangeKind::kBackups);
}

TEST_CASE("target option: the slot selects its leftover backups; of another item, not", "[planner][backups]") {
  Fleet f;
  f.slot().leftover_backups = kLeftovers;
  f.target = "web-eu/web1.example.com/nginx";
  CHECK(OnlyChange(f.MustPlan()).kind == ChangeKind::kBackups);
  f.target = "web-eu/web1.example.com";
  CHECK(OnlyChange(f.MustPlan()).kind == ChangeKind::kBackups);
  f.target = std::string("web-eu/web1.example.com/") + kStore;
  CHECK(Changes(f.MustPlan()).empty());
}

TEST_CASE("a slot waiting for an external issuer still has its leftover backups removed", "[planner][backups]") {
  Fleet f;
  Issuer ext;
  ext.name = "corp-ext";
  ext.kind = Issuer::Kind::kExternal;
  f.desired.issuers.push_back(ext);
  f.issuer_chains["corp-ext"] = f.issuer_chains["corp-ca"];
  f.cluster().identity[0].issuer = "corp-ext";
  f.slot().certificate_pem.reset();
  f.slot().leftover_backups = kLeftovers;
  f.external = [](const std::string&, const std::string&, const std::string&, const std::string&) {
    return ExternalFiles{std::nullopt, std::nullopt, "requests/x.csr"};
  };
  const auto changes = Changes(f.MustPlan());
  REQUIRE(changes.size() == 2);
  CHECK_FALSE(changes[0].waiting_for.empty());  // nothing is installed by this plan
  CHECK(changes[1].reason == "backup files left by an interrupted apply; removed, never restored");
}

TEST_CASE("leftover backups change the observation's digest, so a plan made before them is stale",
          "[planner][backups]") {
  Fleet f;
  const std::string clean = f.actual().Digest();
  f.slot().leftover_backups = {kLeftovers[0]};
  const std::string one = f.actual().Digest();
  f.slot().leftover_backups = {kLeftovers[1]};
  CHECK(one != clean);
  CHECK(f.actual().Digest() != one);
  f.slot().leftover_backups.clear();
  CHECK(f.actual().Digest() == clean);  // a slot without leftovers keeps the digest it always had
}

TEST_CASE("no observation or no leftovers: nothing to remove", "[planner][backups]") {
  CHECK_FALSE(PlanLeftoverBackups("c", "p", nullptr, false));
  ObservedSlot slot;
  slot.slot = "nginx";
  CHECK_FALSE(PlanLeftoverBackups("c", "p", &slot, true));
  slot.leftover_backups = {"/a.pkiform-backup"};
  CHECK(PlanLeftoverBackups("c", "p", &slot, true)->address == "c/p/backups/nginx");
}

}  // namespace
}  // namespace pkiform::planner
