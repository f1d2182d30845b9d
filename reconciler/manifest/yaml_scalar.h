// How pkiform reads the type of a YAML scalar: YAML 1.2 core schema (only
// true/false are booleans, so `country: NO` stays the string "NO"); a quoted
// scalar is always a string. Shared by the schema validator and the model builder
// so that what is validated is what is built.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>

#include "reconciler/diag/diagnostic.h"

namespace pkiform {

enum class ScalarKind { kNull, kBool, kInteger, kNumber, kString };

ScalarKind ClassifyScalar(const YAML::Node& node);
// "a mapping", "a sequence", "a string", "an integer", ...
std::string DescribeNode(const YAML::Node& node);
std::optional<long long> ScalarInteger(const YAML::Node& node);
std::optional<bool> ScalarBool(const YAML::Node& node);

// map[key] without yaml-cpp's throwing "zombie" node: a null node when `map` is
// not a mapping or has no such key.
YAML::Node ChildOf(const YAML::Node& map, const std::string& key);
// The text of map[key] when it is a scalar, else "".
std::string ScalarAt(const YAML::Node& map, const std::string& key);

// The node's position (1-based), or `fallback` when yaml-cpp has none (null values).
SourceLocation NodeLocation(const YAML::Node& node, const std::string& file, const SourceLocation& fallback = {});

}  // namespace pkiform
