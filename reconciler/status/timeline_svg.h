// The expiry timeline of the status page: an inline SVG (no script, no external
// reference) with one lane per cluster/peer, one mark per certificate (identity
// and trust entry) at its notAfter, a "now" line and dated ticks. Each mark has
// class "mark" (plus "identity" or "trust", and "expired", "soon" or "ok") and a
// <title> naming it, so that a browser shows a tooltip and a test can count them.
#pragma once

#include <string>

#include "reconciler/status/fleet_status.h"

namespace pkiform::status {

// Certificates expiring within this many days are drawn as "soon".
inline constexpr long long kSoonDays = 30;

std::string RenderTimelineSvg(const FleetStatus& fs);

// How many marks RenderTimelineSvg draws: every certificate with a notAfter.
size_t TimelineMarkCount(const FleetStatus& fs);

}  // namespace pkiform::status
