// `pkiform reconcile`: plan and apply without a person, for timers and CronJobs (issue 12).
// What differs from `apply --auto-approve`:
//  - maintenance windows: changes that restart services outside a cluster's window are
//    deferred (the plan says until when), unless a certificate would expire first;
//  - backoff: a peer whose observation or apply failed is left alone until its next attempt
//    (state/backoff.h), reported each run; --ignore-backoff retries it now;
//  - a peer that cannot be observed does not stop the others: it is reported, backed off
//    and left out of the plan;
//  - the state lock is waited for (600 s unless --lock-timeout says otherwise), saying whom
//    it waits for;
//  - exit codes: 0 in sync or every due change applied, 1 a failure, 2 changes deferred.
#include <iostream>
#include <optional>
#include <set>
#include <string>

#include "reconciler/cli/commands.h"
#include "reconciler/cli/fleet_run.h"
#include "reconciler/cli/handlers.h"
#include "reconciler/cli/run_metrics.h"
#include "reconciler/log/log.h"
#include "state/backoff.h"

namespace pkiform::cli {

void PrintPlan(const Plan& plan, const GlobalOptions& global, const CommandArgs& args);

namespace {

// Leaves out the peers still backing off, each reported; the number left out.
int SkipBackedOff(FleetRun& run, const state::BackoffRecords& backoff, const CommandArgs& args) {
  int skipped = 0;
  for (const auto& [cluster, peer] : run.TargetedPeers()) {
    const std::string key = cluster->name + "/" + peer->fqdn;
    const state::BackoffEntry* e = backoff.Waiting(key, run.Now());
    if (!e) continue;
    const std::string failures = std::to_string(e->failures) + (e->failures == 1 ? " failure" : " failures");
    if (args.ignore_backoff) {
      log::Progress(log::Level::kInfo, {cluster->name, peer->fqdn, "", ""},
                    key + ": retried now (--ignore-backoff) after " + failures + " in a row");
      continue;
    }
    run.Exclude(cluster->name, peer->fqdn);
    ++skipped;
    log::Warn({cluster->name, peer->fqdn, "", "backoff"},
              key + ": skipped: backing off after " + failures + " in a row, next attempt " + e->next_attempt +
                  " (last error: " + e->last_error + "); --ignore-backoff retries it now");
  }
  return skipped;
}

// Records this run's failures and clears the records of peers that were observed and did
// not fail. A peer the executor skipped (an earlier peer of its cluster failed) keeps its record.
void RecordOutcomes(const FleetRun& run, state::BackoffRecords& backoff) {
  std::set<std::string> not_cleared;
  for (const auto& [key, error] : run.failed()) {
    backoff.RecordFailure(key, run.Now(), error);
    not_cleared.insert(key);
  }
  if (run.report())
    for (const auto& p : run.report()->peers) {
      const std::string key = p.cluster + "/" + p.peer;
      if (p.skipped) not_cleared.insert(key);
      if (p.ok || p.skipped) continue;
      backoff.RecordFailure(key, run.Now(), p.error);
      not_cleared.insert(key);
    }
  for (const auto& a : run.observed())
    if (!not_cleared.count(a.cluster + "/" + a.peer)) backoff.RecordSuccess(a.cluster + "/" + a.peer);
}

int ReconcileSteps(const GlobalOptions& global, const CommandArgs& args, std::unique_ptr<FleetRun>& run,
                   std::optional<Plan>& made) {
  run = FleetRun::Open(global, args, "reconcile");
  if (!run) return kExitError;
  auto backoff = state::ReadBackoff(run->store().dir());
  if (!backoff.ok()) {
    log::Error({}, backoff.status().message());
    return kExitError;
  }
  const int backing_off = SkipBackedOff(*run, *backoff, args);
  const bool observed_all = run->ObserveAll();
  auto plan = run->MakePlan();
  bool applied = true;
  if (plan.ok()) {
    made = *plan;
    PrintPlan(*plan, global, args);
    if (plan->HasChanges()) applied = run->Execute(*plan);
  } else {
    log::Error({}, plan.status().message());
  }
  RecordOutcomes(*run, *backoff);
  if (Status s = state::WriteBackoff(run->store().dir(), *backoff); !s.ok()) {
    log::Error({}, s.message());
    return kExitError;
  }
  if (!plan.ok() || !observed_all || !applied) return kExitError;
  if (backing_off)
    std::cout << backing_off << (backing_off == 1 ? " peer" : " peers")
              << " left alone while backing off (see the warnings above).\n";
  if (plan->DeferredCount() > 0) {
    std::cout << "Deferred: " << plan->DeferredCount() << (plan->DeferredCount() == 1 ? " change waits" : " changes wait")
              << " for a maintenance window (the first opens " << plan->EarliestDeferredUntil() << ").\n";
    return kExitChanges;
  }
  return kExitOk;
}

}  // namespace

int RunReconcile(const GlobalOptions& global, const CommandArgs& args) {
  std::unique_ptr<FleetRun> run;
  std::optional<Plan> plan;
  const int code = ReconcileSteps(global, args, run, plan);
  return FinishWithMetrics(code, args, "reconcile", run.get(), plan ? &*plan : nullptr);
}

}  // namespace pkiform::cli
