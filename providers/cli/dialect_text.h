// What the CLI dialect files (schema/dialects/*-cli.yaml) share: command text with
// {placeholders} filled in strictly, and the reading of a positive limit. Each
// provider's dialect.cc reads its own keys with the catalogue's strict YAML reader;
// these are the parts that are the same for every dialect.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "reconciler/catalogue/strict_yaml.h"
#include "reconciler/util/result.h"

namespace pkiform::cli {

// `text` with every "{name}" replaced by values.at(name); an unknown placeholder is an error
// (a typo in the dialect file must not send a literal "{unti}" to a node).
Result<std::string> Fill(std::string_view text, const std::map<std::string, std::string>& values);

// The integer at `key`, which must be present and positive (an error names its path).
int PositiveInt(catalogue::strict::Map& m, std::string_view key);

}  // namespace pkiform::cli
