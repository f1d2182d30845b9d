#include <unistd.h>

#include <iostream>

#include "reconciler/cli/commands.h"
#include "reconciler/cli/fleet_run.h"
#include "reconciler/cli/handlers.h"
#include "reconciler/cli/run_metrics.h"
#include "reconciler/log/log.h"
#include "reconciler/plan/plan_json.h"
#include "reconciler/render/plan_text.h"

namespace pkiform::cli {

void PrintPlan(const Plan& plan, const GlobalOptions& global, const CommandArgs& args) {
  if (args.json) {
    std::cout << PlanToJson(plan).dump(2) << "\n";
    return;
  }
  bool color = !global.no_color && isatty(STDOUT_FILENO);
  std::cout << RenderPlanText(plan, color);
}

namespace {

int PlanSteps(const GlobalOptions& global, const CommandArgs& args, std::unique_ptr<FleetRun>& run,
              std::optional<Plan>& made) {
  run = FleetRun::Open(global, args, "plan");
  if (!run) return kExitError;
  if (!run->ObserveAll()) return kExitError;
  auto plan = run->MakePlan();
  if (!plan.ok()) {
    log::Error({}, plan.status().message());
    return kExitError;
  }
  made = *plan;
  PrintPlan(*plan, global, args);
  if (!args.out_plan.empty()) {
    if (Status s = WritePlanFile(*plan, args.out_plan); !s.ok()) {
      log::Error({}, s.message());
      return kExitError;
    }
    log::Progress(log::Level::kInfo, {},
                  "Saved the plan to " + args.out_plan + "; apply it with: pkiform apply " + args.out_plan);
  }
  // Deferred changes are drift too: they are pending, only not due yet.
  return args.detailed_exitcode && (plan->HasChanges() || plan->DeferredCount() > 0) ? kExitChanges : kExitOk;
}

}  // namespace

int RunPlan(const GlobalOptions& global, const CommandArgs& args) {
  std::unique_ptr<FleetRun> run;
  std::optional<Plan> plan;
  const int code = PlanSteps(global, args, run, plan);
  return FinishWithMetrics(code, args, "plan", run.get(), plan ? &*plan : nullptr);
}

}  // namespace pkiform::cli
