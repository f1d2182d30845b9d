// Readers for the parts of a platform file: slots, trust stores, restarts, usage rows,
// rule references. Internal to the catalogue loader (platform_parser.cc).
//
// References point upward: a slot may name node types, trust stores and (twinOf) slots
// that the file lists before it, so every reference is checked where it is read and an
// error carries the line of the offending key.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>

#include "reconciler/catalogue/catalogue.h"
#include "reconciler/catalogue/strict_yaml.h"

namespace pkiform::catalogue::detail {

struct ParseContext {
  strict::Errors& errors;
  const PlatformCatalogue& platform;  // what has been read so far
};

// Reads the `rules:` mapping of `m` (fact -> rule ids). Call after every other key of `m`
// was read: a fact must be one of those keys. Facts are stored as prefix + key
// ("privateKey." + "mustBeUnencrypted") so that nested maps can share one RuleRefs.
RuleRefs ReadRules(strict::Map& m, const ParseContext& ctx, std::string_view prefix = {});
// Checks a list of rule ids against the platform's series ("U14" on ucm).
std::vector<std::string> ReadRuleIds(strict::Map& m, std::string_view key, const ParseContext& ctx);
// `since` / `before` keys of `m` as a release range.
ReleaseRange ReadReleaseRange(strict::Map& m);
// Node type names that must be declared in the platform's nodeTypes.
std::vector<std::string> ReadNodeTypes(strict::Map& m, std::string_view key, const ParseContext& ctx);
// `restarts:`: the word "undocumented" or a list of restart entries.
std::vector<RestartSpec> ReadRestarts(strict::Map& m, bool& documented, const ParseContext& ctx);

SlotSpec ReadSlot(const YAML::Node& node, const std::string& path, bool is_template, const ParseContext& ctx);
TrustStoreSpec ReadTrustStore(const YAML::Node& node, const std::string& path, bool is_template,
                              const ParseContext& ctx);
CrlFileSpec ReadCrlFile(const YAML::Node& node, const std::string& path, const ParseContext& ctx);

}  // namespace pkiform::catalogue::detail
