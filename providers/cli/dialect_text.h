// What the CLI dialect files (schema/dialects/*-cli.yaml) share: command text with
// {placeholders} filled in strictly, and the reading of a positive limit. Each
// provider's dialect.cc reads its own keys with the catalogue's strict YAML reader;
// these are the parts that are the same for every dialect.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "reconciler/catalogue/strict_yaml.h"
#include "reconciler/util/result.h"

namespace pkiform::cli {

// `text` with every "{name}" replaced by values.at(name); an unknown placeholder is an error
// (a typo in the dialect file must not send a literal "{unti}" to a node).
Result<std::string> Fill(std::string_view text, const std::map<std::string, std::string>& values);

// Reads one dialect file strictly: the YAML document, its `dialect:` key (which must be
// `name`), then `read` for every other key of the top mapping; an unknown key anywhere is an
// error. Ok, or every problem found, each with the file, line and key path.
Status ReadDialectFile(std::string_view file, std::string_view text, std::string_view name,
                       const std::function<void(catalogue::strict::Map& top)>& read);

// The embedded copy of `file` (schema/dialects/...), or NotFound.
Result<std::string_view> EmbeddedDialectText(std::string_view file);

// The embedded dialect file parsed once with `parse` (one file per dialect type D).
template <typename D>
const Result<D>& ParseEmbeddedOnce(std::string_view file, Result<D> (*parse)(std::string_view, std::string_view)) {
  static const Result<D> kDialect = [&]() -> Result<D> {
    auto text = EmbeddedDialectText(file);
    if (!text.ok()) return text.status();
    return parse(file, *text);
  }();
  return kDialect;
}

// The integer at `key`, which must be present and positive (an error names its path).
int PositiveInt(catalogue::strict::Map& m, std::string_view key);

// The most bytes of read-only commands typed ahead in one write (`typeAheadBytes`, required):
// 0 types one command at a time; at most kMaxTypeAheadBytes, so that a batch always fits
// the remote PTY's input line buffer (4,095 bytes on Linux) and no typed byte is dropped.
inline constexpr int kMaxTypeAheadBytes = 3072;
int TypeAheadBytes(catalogue::strict::Map& m);

}  // namespace pkiform::cli
