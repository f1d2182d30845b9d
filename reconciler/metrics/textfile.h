// Metrics for node_exporter's textfile collector: what plan, apply (and later reconcile and
// status) know about the fleet, rendered in the Prometheus text exposition format (0.0.4)
// and written atomically, so that the collector never reads half a file. The rendering is
// pure: it takes the run's observations, its plan and its outcome per cluster.
//
// Series (every timestamp in seconds since the epoch, gauges):
//   pkiform_certificate_expiry_timestamp_seconds{cluster,peer,kind="identity",slot}
//   pkiform_certificate_expiry_timestamp_seconds{cluster,peer,kind="trust",store,subject,fingerprint}
//   pkiform_crl_next_update_timestamp_seconds{cluster,peer,location,issuer}
//   pkiform_pending_changes{cluster}, pkiform_deferred_changes{cluster}
//   pkiform_changes_applied{cluster}, pkiform_change_failures{cluster}   (the last run's)
//   pkiform_last_run_timestamp_seconds{command}, pkiform_last_run_success{command}
//   pkiform_last_success_timestamp_seconds{command}   (carried over from the previous file
//                                                       while runs fail)
// Label values come from manifests and appliances (untrusted): escaped as the format asks
// (backslash, double quote, newline) and cut to a bounded length.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "reconciler/pki/clock.h"
#include "reconciler/plan/actual.h"
#include "reconciler/plan/plan.h"
#include "reconciler/util/result.h"

namespace pkiform::metrics {

struct ClusterOutcome {
  int applied = 0;
  int failed = 0;
  int deferred = 0;
};

struct RunMetrics {
  std::string command;  // plan | apply | reconcile | status
  pki::TimePoint finished;
  bool success = false;
  const std::vector<Actual>* observed = nullptr;  // every peer observed in the run
  const Plan* plan = nullptr;                      // null when no plan was made
  std::map<std::string, ClusterOutcome> outcomes;  // by cluster (apply, reconcile)
};

// What an earlier file said of each command's runs: kept, so that one file can serve plan,
// apply and reconcile runs that take turns, and a failed run keeps the last success.
struct PreviousRuns {
  // by command, then by series name ("pkiform_last_run_timestamp_seconds", ...)
  std::map<std::string, std::map<std::string, double>> by_command;
};
PreviousRuns ReadPreviousRuns(std::string_view text);

// The file's text.
std::string RenderMetrics(const RunMetrics& run, const PreviousRuns& previous);

// Renders and writes `path` atomically (0644), reading the previous file for the last
// success time. An error names the path.
Status WriteMetricsFile(const std::string& path, const RunMetrics& run);

}  // namespace pkiform::metrics
