// Maintenance windows in the plan (issue 12): on a cluster whose window (restarts.window,
// read in restarts.timeZone) is closed when the plan is made, the changes that need a
// restart are held back with those restarts (PeerPlan::deferred), and the plan says until
// when. Changes that restart nothing go ahead: a trust file without an update command, a
// CRL without one, leftover backups of a slot not being replaced.
//
// Exceptions, each said in a note:
//  - a certificate that would expire before the window opens is replaced anyway (an
//    outage at expiry is worse than a restart outside the window): that peer's changes
//    go ahead;
//  - cluster-wide changes (rule U10) reach every peer, so a cluster that makes one is
//    decided as a whole: all of it goes ahead when one peer must, else all of it waits;
//  - restarts of services the node reports stopped are not window-bound (they are added
//    after this step: a stopped service has nothing to interrupt).
// Pure: the caller parses the window and pins `now`.
#pragma once

#include <string>
#include <vector>

#include "reconciler/catalogue/catalogue.h"
#include "reconciler/manifest/model.h"
#include "reconciler/pki/clock.h"
#include "reconciler/plan/actual.h"
#include "reconciler/plan/plan.h"
#include "reconciler/planner/cluster_facts.h"
#include "reconciler/planner/maintenance_window.h"

namespace pkiform::planner {

struct DeferralInput {
  const Cluster& cluster;
  const catalogue::PlatformCatalogue& platform;
  const ClusterFacts& facts;
  const Window& window;
  pki::TimePoint now;
};

// `plans` are the cluster's planned peers with their restarts collected; `actuals[i]` is
// the observation of plans[i], `incoming[i]` the cluster-wide changes of other peers that
// reach it. Moves what must wait into deferred / deferred_restarts / deferred_until and
// recomputes the restarts of what stays.
void DeferOutsideWindow(const DeferralInput& in, const std::vector<const Actual*>& actuals,
                        const std::vector<std::vector<Change>>& incoming, std::vector<PeerPlan>& plans);

// "2026-12-12 01:00 Europe/London": an instant on the window's own clock, for people.
std::string FormatLocalTime(pki::TimePoint at, const TimeZone& zone);

}  // namespace pkiform::planner
