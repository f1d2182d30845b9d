// `status --expiring-within DURATION`: what reaches its end within that time of
// `now`: an identity or trust entry's notAfter, or a CRL's nextUpdate (peers' and
// distribution points'). Already passed counts too.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "reconciler/status/fleet_status.h"

namespace pkiform::status {

// One line per item, "cluster/peer identity nginx: notAfter 2027-01-02 (12 days)", in report order.
std::vector<std::string> ExpiringWithin(const FleetStatus& fs, std::chrono::seconds within);

}  // namespace pkiform::status
