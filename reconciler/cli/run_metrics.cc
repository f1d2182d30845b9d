#include "reconciler/cli/run_metrics.h"

#include <chrono>

#include "reconciler/cli/commands.h"
#include "reconciler/log/log.h"
#include "reconciler/metrics/textfile.h"

namespace pkiform::cli {

int FinishWithMetrics(int code, const CommandArgs& args, const std::string& command, const FleetRun* run,
                      const Plan* plan) {
  if (args.metrics_file.empty()) return code;
  static const std::vector<Actual> kNone;
  metrics::RunMetrics m;
  m.command = command;
  m.finished = std::chrono::system_clock::now();
  m.success = code != kExitError;
  m.observed = run ? &run->observed() : &kNone;
  m.plan = plan;
  if (plan)
    for (const auto& peer : plan->peers)
      if (!peer.deferred.empty()) m.outcomes[peer.cluster].deferred += static_cast<int>(peer.deferred.size());
  if (run && run->report())
    for (const auto& peer : run->report()->peers) {
      auto& o = m.outcomes[peer.cluster];
      o.applied += peer.applied;
      if (!peer.ok && !peer.skipped) ++o.failed;
    }
  if (Status s = metrics::WriteMetricsFile(args.metrics_file, m); !s.ok()) {
    log::Error({}, s.message());
    return kExitError;
  }
  return code;
}

}  // namespace pkiform::cli
