// Leftover backup files (backups_change.h).
#include "reconciler/planner/backups_change.h"

namespace pkiform::planner {

std::string BackupsAddress(const std::string& cluster, const std::string& peer, const std::string& slot) {
  return cluster + "/" + peer + "/backups/" + slot;
}

std::optional<Change> PlanLeftoverBackups(const std::string& cluster, const std::string& peer,
                                          const ObservedSlot* observed, bool identity_installed) {
  if (!observed || observed->leftover_backups.empty()) return std::nullopt;
  Change c;
  c.address = BackupsAddress(cluster, peer, observed->slot);
  c.action = Action::kDelete;
  c.kind = ChangeKind::kBackups;
  c.slot_or_store = observed->slot;
  c.reason = std::string("backup files left by an interrupted apply; ") +
             (identity_installed ? "removed once the new identity is verified, never restored"
                                 : "removed, never restored");
  c.before = observed->leftover_backups;
  c.remove_files = observed->leftover_backups;
  return c;
}

}  // namespace pkiform::planner
