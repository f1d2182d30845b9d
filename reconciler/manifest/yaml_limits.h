// The limits on a parsed YAML document (util/input_limits.h), checked before the
// schema sees it: no value or key longer than kScalarBytes, nesting no deeper
// than kNestingDepth, and no alias that refers to the node containing it.
//
// Aliases share nodes, so a document can describe far more than its text holds
// ("billion laughs"): the walk visits each node once, remembering what it found,
// and never recurses deeper than the limit, so its cost follows the text.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

#include "reconciler/diag/diagnostic.h"

namespace pkiform {

enum class LimitVerdict {
  kWithin,
  // A value or key too long: the schema may still say what else is wrong, but
  // the document is not built.
  kValueTooLong,
  // Nested too deeply or holding a cycle: any walk over it would recurse as
  // deep, so it is neither validated nor built.
  kUnwalkable,
};

// Appends one diagnostic per problem.
LimitVerdict CheckYamlLimits(const YAML::Node& doc, const std::string& file, DiagnosticList& out);

}  // namespace pkiform
