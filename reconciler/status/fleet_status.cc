#include "reconciler/status/fleet_status.h"

#include <chrono>

namespace pkiform::status {

bool FleetStatus::HasProblems() const {
  auto bad = [](const CrlStatus& c) { return !c.error.empty() || !c.signature_ok; };
  for (const auto& d : distribution_points)
    if (bad(d)) return true;
  for (const auto& c : clusters)
    for (const auto& p : c.peers) {
      if (!p.reachable) return true;
      for (const auto& crl : p.crls)
        if (bad(crl)) return true;
    }
  return false;
}

std::string DateOrDash(const std::optional<pki::TimePoint>& t) { return t ? pki::FormatDate(*t) : "-"; }

long long DaysBetween(pki::TimePoint now, pki::TimePoint t) {
  return std::chrono::floor<std::chrono::days>(t - now).count();
}

}  // namespace pkiform::status
