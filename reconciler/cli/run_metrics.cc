#include "reconciler/cli/run_metrics.h"

#include <chrono>
#include <cstdio>

#include "reconciler/cli/commands.h"
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
  if (run && run->report())
    for (const auto& peer : run->report()->peers) {
      auto& o = m.outcomes[peer.cluster];
      o.applied += peer.applied;
      if (!peer.ok && !peer.skipped) ++o.failed;
    }
  if (Status s = metrics::WriteMetricsFile(args.metrics_file, m); !s.ok()) {
    std::fprintf(stderr, "pkiform: error: %s\n", s.message().c_str());
    return kExitError;
  }
  return code;
}

}  // namespace pkiform::cli
