#include <iostream>
#include <string>

#include "reconciler/cli/commands.h"
#include "reconciler/cli/fleet_run.h"
#include "reconciler/cli/handlers.h"
#include "reconciler/cli/run_metrics.h"
#include "reconciler/log/log.h"
#include "reconciler/plan/plan_json.h"

namespace pkiform::cli {

void PrintPlan(const Plan& plan, const GlobalOptions& global, const CommandArgs& args);

namespace {

bool Confirmed() {
  std::cout << "\nDo you want to apply these changes? Only 'yes' will be accepted: " << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer == "yes";
}

int ApplySteps(const GlobalOptions& global, const CommandArgs& args, std::unique_ptr<FleetRun>& run, Plan& plan,
               bool& planned) {
  std::optional<Plan> saved;
  if (!args.plan_file.empty()) {
    auto p = ReadPlanFile(args.plan_file);
    if (!p.ok()) {
      log::Error({}, p.status().message());
      return kExitError;
    }
    saved = std::move(p).value();
  }
  run = FleetRun::Open(global, args, "apply");
  if (!run) return kExitError;
  if (saved) {
    // The plan names changes; the manifests say how (issuers, connections): they must be the same ones.
    if (saved->manifests_digest != run->ManifestsDigest()) {
      log::Error({}, "the manifests changed since " + args.plan_file + " was made; run plan again");
      return kExitError;
    }
    plan = std::move(*saved);
    planned = true;
  } else {
    if (!run->ObserveAll()) return kExitError;
    auto made = run->MakePlan();
    if (!made.ok()) {
      log::Error({}, made.status().message());
      return kExitError;
    }
    plan = std::move(made).value();
    planned = true;
    PrintPlan(plan, global, args);
    if (!plan.HasChanges()) return kExitOk;
    if (!args.auto_approve && !Confirmed()) {
      std::cout << "Apply cancelled.\n";
      return kExitError;
    }
  }
  if (!plan.HasChanges()) {
    std::cout << "No changes. The fleet matches the manifests.\n";
    return kExitOk;
  }
  return run->Execute(plan) ? kExitOk : kExitError;
}

}  // namespace

int RunApply(const GlobalOptions& global, const CommandArgs& args) {
  std::unique_ptr<FleetRun> run;
  Plan plan;
  bool planned = false;
  const int code = ApplySteps(global, args, run, plan, planned);
  return FinishWithMetrics(code, args, "apply", run.get(), planned ? &plan : nullptr);
}

int RunShow(const GlobalOptions& global, const CommandArgs& args) {
  auto plan = ReadPlanFile(args.plan_file);
  if (!plan.ok()) {
    log::Error({}, plan.status().message());
    return kExitError;
  }
  PrintPlan(*plan, global, args);
  return kExitOk;
}

}  // namespace pkiform::cli
