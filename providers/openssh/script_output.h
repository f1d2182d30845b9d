// The output format of the provider's remote scripts (remote_script.h), and its
// parser.
//
// A script prints sections. Each starts with a marker line
//     @@pkiform <kind> <index> <state>
// (kind, index and state are words the script itself chose, never data) and
// carries its data encoded, as base64 or as `od -An -tx1` hex: neither alphabet
// contains '@', so no file content can ever look like a marker. The first
// section says which encoding the host used; the last is "end", so an output
// cut short is refused instead of being read as "absent".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "reconciler/util/result.h"

namespace pkiform::openssh {

struct ScriptSection {
  std::string kind;
  int index = 0;
  std::string state;
  std::string data;  // decoded
};

// Parses a whole script output. Lines before the encoding marker are ignored
// (a login shell may print a banner); anything else out of place is an error.
Result<std::vector<ScriptSection>> ParseScriptOutput(std::string_view out);

// Decoding helpers, exposed for tests. Whitespace is ignored.
Result<std::string> DecodeBase64(std::string_view text);
Result<std::string> DecodeHex(std::string_view text);

}  // namespace pkiform::openssh
