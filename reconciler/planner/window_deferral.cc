// Holding back restarts outside the maintenance window (window_deferral.h).
#include "reconciler/planner/window_deferral.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <set>

#include "reconciler/pki/certificate_file.h"
#include "reconciler/planner/restarts.h"

namespace pkiform::planner {
namespace {

bool NeedsRestart(const DeferralInput& in, const Change& change) {
  return change.scope == ChangeScope::kCluster || !CollectRestarts({change}, in.cluster, in.platform, in.facts).empty();
}

// The earliest expiry, before `opening`, of a certificate an identity change of `plan`
// replaces; nothing when none expires before the window opens.
std::optional<std::pair<std::string, pki::TimePoint>> ExpiresBeforeOpening(const PeerPlan& plan, const Actual& actual,
                                                                         pki::TimePoint opening) {
  std::optional<std::pair<std::string, pki::TimePoint>> first;
  for (const auto& change : plan.changes) {
    if (change.kind != ChangeKind::kIdentity) continue;
    const ObservedSlot* slot = actual.FindSlot(change.slot_or_store);
    if (!slot || !slot->certificate_pem) continue;
    auto certs = pki::ParseCertificates(*slot->certificate_pem);
    if (!certs.ok() || certs->empty()) continue;  // unreadable: the change replaces it; no expiry to race
    const pki::TimePoint expiry = certs->front().NotAfter();
    if (expiry < opening && (!first || expiry < first->second)) first = {{change.slot_or_store, expiry}};
  }
  return first;
}

std::string RestartTargets(const std::vector<Restart>& restarts) {
  std::string s;
  for (const auto& r : restarts) s += (s.empty() ? "" : ", ") + r.target;
  return s;
}

// Moves the changes of `plan` that need a restart (and the backups of a slot whose identity
// waits: they go once that identity is verified) into its deferred list.
void Defer(const DeferralInput& in, const std::vector<Change>& incoming, pki::TimePoint opening, PeerPlan& plan) {
  std::vector<Change> keep, wait;
  std::set<std::string> waiting_slots;
  for (auto& c : plan.changes)
    if (c.kind != ChangeKind::kBackups && NeedsRestart(in, c)) {
      if (c.kind == ChangeKind::kIdentity) waiting_slots.insert(c.slot_or_store);
      wait.push_back(std::move(c));
    } else {
      keep.push_back(std::move(c));
    }
  for (auto it = keep.begin(); it != keep.end();)
    if (it->kind == ChangeKind::kBackups && waiting_slots.count(it->slot_or_store)) {
      wait.push_back(std::move(*it));
      it = keep.erase(it);
    } else {
      ++it;
    }
  std::vector<Change> waiting_with_incoming = incoming;  // what others' cluster-wide changes restart here waits too
  waiting_with_incoming.insert(waiting_with_incoming.end(), wait.begin(), wait.end());
  if (waiting_with_incoming.empty()) {
    plan.changes = std::move(keep);
    return;
  }
  plan.deferred_restarts = CollectRestarts(waiting_with_incoming, in.cluster, in.platform, in.facts);
  plan.restarts = CollectRestarts(keep, in.cluster, in.platform, in.facts);
  plan.changes = std::move(keep);
  plan.deferred = std::move(wait);
  plan.deferred_until = pki::FormatRfc3339Utc(opening);
  const int n = static_cast<int>(plan.deferred.size());
  std::string what = n ? std::to_string(n) + (n == 1 ? " change" : " changes") : "restarts for other peers' changes";
  plan.notes.push_back(what + " deferred until the maintenance window opens at " + FormatLocalTime(opening, in.window.zone) +
                       " (" + plan.deferred_until + "): " +
                       (plan.deferred_restarts.empty() ? "they" : "they restart " + RestartTargets(plan.deferred_restarts)) +
                       ", and restarts.window '" + in.cluster.restarts.window + "' is closed; --ignore-windows applies them now");
}

}  // namespace

std::string FormatLocalTime(pki::TimePoint at, const TimeZone& zone) {
  const int64_t utc = std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count();
  const std::chrono::sys_seconds local{std::chrono::seconds(utc + zone.OffsetAt(utc))};
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{local - day};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02d:%02d ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()));
  return buf + zone.name();
}

void DeferOutsideWindow(const DeferralInput& in, const std::vector<const Actual*>& actuals,
                        const std::vector<std::vector<Change>>& incoming, std::vector<PeerPlan>& plans) {
  if (IsOpen(in.window, in.now)) return;
  const pki::TimePoint opening = NextOpening(in.window, in.now);
  bool cluster_wide = false;
  for (size_t i = 0; i < plans.size(); ++i)
    cluster_wide = cluster_wide || !incoming[i].empty() ||
                   std::any_of(plans[i].changes.begin(), plans[i].changes.end(),
                               [](const Change& c) { return c.scope == ChangeScope::kCluster; });
  std::vector<bool> urgent(plans.size(), false);
  bool any_urgent = false;
  for (size_t i = 0; i < plans.size(); ++i) {
    auto expiring = ExpiresBeforeOpening(plans[i], *actuals[i], opening);
    if (!expiring) continue;
    urgent[i] = any_urgent = true;
    plans[i].notes.push_back("the certificate of slot " + expiring->first + " expires " +
                             pki::FormatRfc3339Utc(expiring->second) + ", before the maintenance window opens at " +
                             FormatLocalTime(opening, in.window.zone) + ": applied outside the window");
  }
  for (size_t i = 0; i < plans.size(); ++i) {
    if (cluster_wide ? any_urgent : urgent[i]) {
      if (cluster_wide && !urgent[i] && !plans[i].changes.empty())
        plans[i].notes.push_back("applied outside the maintenance window with the cluster's other peers: a certificate "
                                 "in this cluster expires before the window opens and its changes reach every peer");
      continue;
    }
    Defer(in, incoming[i], opening, plans[i]);
  }
}

}  // namespace pkiform::planner
