// Names of the plan's enums and the plan's summary (plan.h).
#include "reconciler/plan/plan.h"

namespace pkiform {

const char* ActionSymbol(Action a) {
  switch (a) {
    case Action::kCreate: return "+";
    case Action::kUpdate: return "~";
    case Action::kReplace: return "-/+";
    case Action::kDelete: return "-";
  }
  return "?";
}

const char* ActionName(Action a) {
  switch (a) {
    case Action::kCreate: return "create";
    case Action::kUpdate: return "update";
    case Action::kReplace: return "replace";
    case Action::kDelete: return "delete";
  }
  return "?";
}

const char* ChangeKindName(ChangeKind k) {
  switch (k) {
    case ChangeKind::kIdentity: return "identity";
    case ChangeKind::kTrust: return "trust";
    case ChangeKind::kCrl: return "crl";
    case ChangeKind::kBackups: return "backups";
    case ChangeKind::kSetting: return "setting";
  }
  return "?";
}

const char* ChangeScopeName(ChangeScope s) {
  switch (s) {
    case ChangeScope::kNode: return "node";
    case ChangeScope::kCluster: return "cluster";
  }
  return "?";
}

const char* RestartKindName(RestartKind k) {
  switch (k) {
    case RestartKind::kService: return "service";
    case RestartKind::kAppliance: return "appliance";
    case RestartKind::kCommand: return "command";
  }
  return "?";
}

PlanSummary Plan::Summary() const {
  PlanSummary s;
  for (const auto& peer : peers) {
    for (const auto& c : peer.changes) {
      switch (c.action) {
        case Action::kCreate: ++s.add; break;
        case Action::kUpdate:
        case Action::kReplace: ++s.change; break;
        case Action::kDelete: ++s.remove; break;
      }
    }
    s.restarts += static_cast<int>(peer.restarts.size());
  }
  return s;
}

int Plan::DeferredCount() const {
  int n = 0;
  for (const auto& peer : peers) n += static_cast<int>(peer.deferred.size());
  return n;
}

std::string Plan::EarliestDeferredUntil() const {
  std::string earliest;  // RFC 3339 in UTC with a fixed width: compared as text
  for (const auto& peer : peers)
    if (!peer.deferred_until.empty() && (earliest.empty() || peer.deferred_until < earliest))
      earliest = peer.deferred_until;
  return earliest;
}

}  // namespace pkiform
