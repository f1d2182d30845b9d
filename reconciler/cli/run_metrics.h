// `--metrics FILE` for plan and apply: at the end of the run, whatever its outcome, the
// node_exporter textfile (reconciler/metrics/textfile.h) is written from what the run
// observed, planned and applied.
#pragma once

#include <string>

#include "reconciler/cli/fleet_run.h"
#include "reconciler/cli/global_options.h"
#include "reconciler/plan/plan.h"

namespace pkiform::cli {

// `code` unchanged when no metrics file was asked for or it was written; kExitError (with the
// reason on stderr) when it could not be. `run` and `plan` may be null (the run stopped early).
int FinishWithMetrics(int code, const CommandArgs& args, const std::string& command, const FleetRun* run,
                      const Plan* plan);

}  // namespace pkiform::cli
