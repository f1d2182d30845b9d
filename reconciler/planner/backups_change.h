// The change that removes backup files an interrupted apply left next to a slot's
// files (ObservedSlot::leftover_backups): an apply killed between making its
// backups and discarding them leaves copies of the previous files, the old key
// among them, that no later run would otherwise mention.
//
// The files in place are judged by the policies like any others (they may well be
// the new identity, installed before the kill); the backups are never restored,
// only removed. When the slot's identity is replaced in the same plan, the backups
// go once the new identity is verified (a failed verify restores the files as they
// were before that apply, never from these backups); otherwise they go alone, with
// no restart.
#pragma once

#include <optional>
#include <string>

#include "reconciler/plan/actual.h"
#include "reconciler/plan/plan.h"

namespace pkiform::planner {

// Nothing when `observed` is null or has no leftover backups. `identity_installed`:
// the plan installs a new identity in this slot (not one only handed over to an
// external issuer).
std::optional<Change> PlanLeftoverBackups(const std::string& cluster, const std::string& peer,
                                          const ObservedSlot* observed, bool identity_installed);

// "cluster/peer/backups/slot".
std::string BackupsAddress(const std::string& cluster, const std::string& peer, const std::string& slot);

}  // namespace pkiform::planner
