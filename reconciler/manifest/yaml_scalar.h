// How pkiform reads the type of a YAML scalar: YAML 1.2 core schema (only
// true/false are booleans, so `country: NO` stays the string "NO"), except that
// integers are decimal only: `0443` (octal 291 to a YAML 1.1 reader, 443 to a 1.2
// one), `0x10`, `0o17` and `0b101` are strings, so no two tools read a number
// differently. A quoted scalar is always a string. Shared by the schema validator and the model builder
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
// A decimal integer scalar's value; nullopt for anything else or out of range.
std::optional<long long> ScalarInteger(const YAML::Node& node);
// The value a YAML 1.1 reader gives `text` when it is an integer pkiform does not
// read as one (leading zero, 0x, 0o, 0b), for the message that says so; nullopt
// for anything else, and for `089` (no octal number either).
std::optional<long long> NonDecimalInteger(const std::string& text);
std::optional<bool> ScalarBool(const YAML::Node& node);

// map[key] without yaml-cpp's throwing "zombie" node: a null node when `map` is
// not a mapping or has no such key.
YAML::Node ChildOf(const YAML::Node& map, const std::string& key);
// The text of map[key] when it is a scalar, else "".
std::string ScalarAt(const YAML::Node& map, const std::string& key);

// The node's position (1-based), or `fallback` when yaml-cpp has none (null values).
SourceLocation NodeLocation(const YAML::Node& node, const std::string& file, const SourceLocation& fallback = {});

}  // namespace pkiform
