// Cisco release trains ("14", "14SU1", "12.5SU3") and ranges of them.
//
// The UCM document ties some facts to a release: the CTI Manager restart for CallManager
// applies to Release 14 before 14SU1 (rule U13), and multi-SAN certificates can no longer
// be uploaded through the CLI from 14SU2 (rule U15). The catalogue writes such bounds as
// train names; this header parses and orders them. Build numbers ("14.0.1.12900-161") are
// not trains and are refused: the provider maps what the appliance reports to a train.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "reconciler/util/result.h"

namespace pkiform::catalogue {

struct Release {
  std::vector<int> train;  // {14} or {12, 5}
  int service_update = 0;  // the N of "SU<N>"; 0 for the base release

  std::string ToString() const;
};

// "14", "14SU2", "12.5SU3" (case-insensitive "su"); anything else is kInvalidInput.
Result<Release> ParseRelease(std::string_view text);

// <0, 0, >0 as a is older than, the same as, or newer than b. {14} equals {14, 0}.
int CompareReleases(const Release& a, const Release& b);

// Releases r with since <= r < before; a missing bound is open.
struct ReleaseRange {
  std::optional<Release> since;
  std::optional<Release> before;

  bool IsOpen() const { return !since && !before; }
  // An unknown release (nullopt) is inside every range: callers that do not know the
  // appliance's release get every fact that may apply (the safe superset).
  bool Contains(const std::optional<Release>& release) const;
};

}  // namespace pkiform::catalogue
