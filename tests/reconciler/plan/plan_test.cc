// The plan's names and summary (plan.h).
#include "reconciler/plan/plan.h"

#include <catch2/catch.hpp>

namespace pkiform {
namespace {

TEST_CASE("actions have Terraform's symbols and plain names", "[planner]") {
  CHECK(std::string(ActionSymbol(Action::kCreate)) == "+");
  CHECK(std::string(ActionSymbol(Action::kUpdate)) == "~");
  CHECK(std::string(ActionSymbol(Action::kReplace)) == "-/+");
  CHECK(std::string(ActionSymbol(Action::kDelete)) == "-");
  CHECK(std::string(ActionName(Action::kCreate)) == "create");
  CHECK(std::string(ActionName(Action::kUpdate)) == "update");
  CHECK(std::string(ActionName(Action::kReplace)) == "replace");
  CHECK(std::string(ActionName(Action::kDelete)) == "delete");
  CHECK(std::string(ChangeKindName(ChangeKind::kTrust)) == "trust");
  CHECK(std::string(RestartKindName(RestartKind::kAppliance)) == "appliance");
}

TEST_CASE("the summary counts adds, changes (updates and replaces), removes and restarts", "[planner]") {
  Plan plan;
  CHECK(plan.Summary().empty());
  CHECK_FALSE(plan.HasChanges());
  PeerPlan a, b;
  for (Action act : {Action::kCreate, Action::kCreate, Action::kUpdate, Action::kReplace, Action::kDelete}) {
    Change c;
    c.action = act;
    a.changes.push_back(c);
  }
  a.restarts.resize(2);
  b.restarts.resize(1);
  plan.peers = {a, b};
  const PlanSummary s = plan.Summary();
  CHECK(s.add == 2);
  CHECK(s.change == 2);
  CHECK(s.remove == 1);
  CHECK(s.restarts == 3);
  CHECK(plan.HasChanges());
}

}  // namespace
}  // namespace pkiform
