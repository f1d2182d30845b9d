// Turns the bytes of one manifest file into YAML documents, or into located
// diagnostics: never a crash, a hang or a silent pass, whatever the bytes are.
//
// Before yaml-cpp sees the text: it must be UTF-8 made of characters YAML allows
// (yaml-cpp would take a leading NUL for UTF-16 and read nothing). While it
// parses: yaml-cpp 0.7 loops forever, allocating, on a ',' where a document's
// top node would start, which yaml_loop_guard.h rules out first. After: a file
// with no document is an error, and each document must keep within the limits
// of yaml_limits.h.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "reconciler/diag/diagnostic.h"
#include "reconciler/manifest/yaml_limits.h"

namespace pkiform {

struct YamlDocument {
  YAML::Node node;
  LimitVerdict limits = LimitVerdict::kWithin;
};

// The documents of `text` that are not empty (an empty document between two
// `---` is skipped); problems go to `out` (rules yaml, limit, schema).
std::vector<YamlDocument> ReadYamlDocuments(const std::string& text, const std::string& file, DiagnosticList& out);

}  // namespace pkiform
