#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "reconciler/cli/commands.h"
#include "reconciler/cli/fleet_run.h"
#include "reconciler/cli/handlers.h"
#include "reconciler/cli/run_metrics.h"
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
  run = FleetRun::Open(global, args);
  if (!run) return kExitError;
  if (!run->ObserveAll()) return kExitError;
  auto plan = run->MakePlan();
  if (!plan.ok()) {
    std::fprintf(stderr, "pkiform: error: %s\n", plan.status().message().c_str());
    return kExitError;
  }
  made = *plan;
  PrintPlan(*plan, global, args);
  if (!args.out_plan.empty()) {
    if (Status s = WritePlanFile(*plan, args.out_plan); !s.ok()) {
      std::fprintf(stderr, "pkiform: error: %s\n", s.message().c_str());
      return kExitError;
    }
    std::cerr << "Saved the plan to " << args.out_plan << "; apply it with: pkiform apply " << args.out_plan << "\n";
  }
  return args.detailed_exitcode && plan->HasChanges() ? kExitChanges : kExitOk;
}

}  // namespace

int RunPlan(const GlobalOptions& global, const CommandArgs& args) {
  std::unique_ptr<FleetRun> run;
  std::optional<Plan> plan;
  const int code = PlanSteps(global, args, run, plan);
  return FinishWithMetrics(code, args, "plan", run.get(), plan ? &*plan : nullptr);
}

}  // namespace pkiform::cli
