// The text report of `pkiform status` on stdout: per cluster and peer, a table of
// its identities and trust entries (subject, issuer, expiry, days left, in sync),
// its CRLs, the changes the plan would make, and then the issuers' distribution
// points. Every value passes EscapeForTerminal: it comes from appliances,
// manifests and web servers.
#pragma once

#include <string>

#include "reconciler/status/fleet_status.h"

namespace pkiform::status {

std::string RenderStatusText(const FleetStatus& fs);

// "in sync", "out of sync: <reason>" or "unknown".
std::string SyncText(const CertificateStatus& c);
// "verified by fleet-ca", the error, plus the V12 warning when there is one.
std::string CrlText(const CrlStatus& c);

}  // namespace pkiform::status
