// The VCS settings pkiform keeps as the manifest says (catalogue `settings` of
// schema/platforms/vcs.yaml): automatic CRL updates (V10) and SIP TLS revocation checking
// (V13). How each catalogue name is read from, and written to, the xACLI's xConfiguration
// leaves (names from the dialect), in the planner's spelling of values: "true"/"false",
// distribution points one space apart, "HH:MM", "treat-as-revoked"/"treat-as-not-revoked".
#pragma once

#include <map>
#include <string>
#include <vector>

#include "providers/vcs/admin_session.h"
#include "providers/vcs/dialect.h"
#include "providers/vcs/xacli_text.h"
#include "reconciler/manifest/model.h"
#include "reconciler/util/result.h"

namespace pkiform::vcs {

// The readings as catalogue setting names and values.
std::map<std::string, std::string> SettingsOf(const CrlAutomatic& crl);
std::map<std::string, std::string> SettingsOf(const SipTlsRevocation& sip);

// Reads only what the manifest sets: the CRL leaves when revocation.crl has automatic
// updates, distribution points or an update time; the SIP TLS leaves with revocation.sipTls.
Result<std::map<std::string, std::string>> ObserveSettings(AdminSession& admin, const Cluster& cluster);
// The reads ObserveSettings sends for `cluster` (typed ahead with the observation's others).
std::vector<std::string> SettingsReads(const Dialect& d, const Cluster& cluster);

// One xConfiguration write.
struct SettingWrite {
  std::string path, leaf, value;
  bool quoted = false;
};
// The write that sets catalogue setting `name` to `value`; InvalidInput for a name or value
// the VCS has no leaf or word for.
Result<SettingWrite> SettingToWrite(const std::string& name, const std::string& value, const Dialect& d);

}  // namespace pkiform::vcs
