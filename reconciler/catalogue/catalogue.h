// The platform catalogue: what each platform (ucm, vcs, dms, openssh) offers and demands.
//
// The facts live in schema/platforms/<name>.yaml, compiled into the binary (embedded.h);
// this header loads them into plain structs (specs.h) and looks things up. Code asks the
// catalogue ("which services does a CallManager change restart?") and never branches on a
// platform name. The loader is strict: an unknown key, a wrong type or a dangling reference
// (a slot naming a trust store that does not exist) is an error naming the file, the
// line:column and the key path, never a crash.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "reconciler/catalogue/specs.h"
#include "reconciler/util/result.h"

namespace pkiform::catalogue {

inline constexpr std::array<std::string_view, 4> kPlatformNames = {"ucm", "vcs", "dms", "openssh"};

struct NodeTypeSpec {
  std::string name;          // "unifiedCM"
  std::string display_name;  // "Unified CM"
};

// A condition a follow-up can depend on, observed on the cluster (e.g. mixedMode).
struct FlagSpec {
  std::string name;
  std::string description;
};

struct PlatformCatalogue {
  std::string name;  // "ucm"
  std::string display_name;
  std::string seed;  // seed document file name; empty for openssh
  std::string seed_title;
  std::string rule_series;  // "U", "V", "D"; empty when no seed
  std::vector<NodeTypeSpec> node_types;
  std::vector<FlagSpec> flags;
  PlatformLimits limits;
  RollbackSpec rollback;  // the `rollback` key; absent: undocumented
  // `restartTimes`: per service (or appliance) name, and the default for the others.
  std::vector<RestartTiming> restart_times;
  std::optional<RestartTiming> restart_default;
  std::vector<SlotSpec> slots;
  std::optional<SlotSpec> slot_template;  // user-named slots (openssh)
  std::vector<TrustStoreSpec> trust_stores;
  std::optional<TrustStoreSpec> trust_store_template;  // user-path stores (openssh)
  std::optional<CrlFileSpec> crl_file;                 // uploaded CRLs in one user-named file (openssh)
  std::vector<FollowUpSpec> follow_ups;
  std::vector<SettingSpec> settings;  // none on openssh

  // The named slot; on a platform with a slot template, any other name gets the template.
  const SlotSpec* FindSlot(std::string_view slot_name) const;
  // The named trust store; on a platform with a store template, any other name gets it.
  const TrustStoreSpec* FindTrustStore(std::string_view store_name) const;
  const NodeTypeSpec* FindNodeType(std::string_view node_type) const;
  // The timing of a restart of `name` (service, appliance or command), else the default, else null.
  const RestartTiming* TimingFor(std::string_view name) const;
  // Restarts after `slot_name` changed on a node of `node_type` ("" = any); empty when the
  // slot is unknown or nothing is to be restarted (see SlotSpec::restarts_documented).
  std::vector<RestartSpec> RestartsFor(std::string_view slot_name, std::string_view node_type = {},
                                       const std::optional<Release>& release = std::nullopt) const;
  // Follow-ups of `phase` for a change of `kind` to `slot_name`, given the cluster's flags.
  std::vector<const FollowUpSpec*> FollowUpsFor(std::string_view slot_name, ChangeKind kind,
                                                FollowUpSpec::Phase phase,
                                                const std::vector<std::string>& set_flags,
                                                const std::optional<Release>& release = std::nullopt) const;
};

struct Catalogue {
  std::vector<PlatformCatalogue> platforms;
  const PlatformCatalogue* Find(std::string_view platform) const;
};

// Parses catalogue YAML text; `file` names it in errors ("schema/platforms/ucm.yaml").
Result<PlatformCatalogue> ParsePlatform(std::string_view file, std::string_view text);
// Loads schema/platforms/<name>.yaml from the embedded data; the file's `platform:` must be `name`.
Result<PlatformCatalogue> LoadPlatform(std::string_view name);
// All of kPlatformNames, loaded once. An error here is a defect in schema/ (tests catch it).
const Result<Catalogue>& BuiltinCatalogue();

}  // namespace pkiform::catalogue
