// The xConfiguration settings of a simulated VCS peer (docs/platforms/vcs.md, "Settings"):
// the table of leaves the admin shell reads and writes (Alternates, CRL automatic updates
// of V10, SIP TLS revocation checking of V13), their factory values and their validation.
// Kept in DIR/settings.conf (key = the leaf's full path); absent keys are factory values.
#pragma once
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "reconciler/util/result.h"

namespace pkiform::sim {

struct VcsLeaf {
  std::string path;                  // "Certificates CRL Automatic Mode", canonical case
  std::vector<std::string> choices;  // an enumeration (printed bare); empty: a string (quoted)
  std::string factory;
};

// Every leaf, in the order reads print them.
const std::vector<VcsLeaf>& VcsLeaves();

// Current values of every leaf (factory values for the unset ones).
std::map<std::string, std::string> LoadVcsSettings(const std::filesystem::path& dir);
// Checks `value` for `leaf` (the contract's refusal reasons, rules V10 and V13) and stores
// it, normalised (distribution points joined by one space). Nothing changes on a refusal.
Status SetVcsSetting(const std::filesystem::path& dir, const VcsLeaf& leaf, const std::string& value);
// Factory values with `overrides` (init's cluster name and peers), written once at init.
Status InitVcsSettings(const std::filesystem::path& dir, const std::map<std::string, std::string>& overrides);

// The distribution points setting's limit (all URLs with their separators).
inline constexpr size_t kMaxDistributionPointsLength = 2048;

}  // namespace pkiform::sim
