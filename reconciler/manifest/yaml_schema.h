// Validates a YAML document against the manifest JSON Schema (schema/pkiform.schema.json),
// reporting each problem at the exact line and column of the offending key or value.
//
// The loader and the published schema must never disagree, so the loader does not
// describe the manifest structure a second time: it interprets the schema. The
// subset of draft 2020-12 understood here is what that schema uses: type, const,
// enum, pattern, minLength, minimum, maximum, properties, required,
// additionalProperties, minProperties, maxProperties, items, minItems, $ref to
// #/$defs, allOf, if/then. An unknown keyword in the schema is an internal error,
// reported by a unit test that walks the schema, not silently ignored.
//
// Patterns are matched with RE2 (linear time, no recursion), so no value can
// make a match slow or overflow the stack. A node shared through YAML aliases is
// validated once against each schema: its problems are reported once, counting
// the places that use it (Diagnostic::repeats), so a document cannot make the
// validator walk, or print, more than its text holds.
#pragma once

#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "reconciler/diag/diagnostic.h"

namespace re2 {
class RE2;
}

namespace pkiform {

class YamlSchemaValidator {
 public:
  explicit YamlSchemaValidator(const nlohmann::ordered_json& schema);
  ~YamlSchemaValidator();

  // Appends one diagnostic per problem (rule "schema"); returns true when none.
  bool Validate(const YAML::Node& doc, const std::string& file, DiagnosticList& out) const;

  // Keywords this validator implements (for the schema self-check test).
  static const std::vector<std::string>& SupportedKeywords();

 private:
  // What validating one node against one schema found: where its diagnostics
  // are in the output, and how many errors (for the `if` of if/then).
  struct Seen {
    YAML::Node node;
    const nlohmann::ordered_json* schema;
    size_t first, last;
    int errors;
  };
  struct Ctx {
    const std::string& file;
    DiagnosticList* out;  // null: only count (the `if` of if/then)
    int errors = 0;
    // Nodes with a position, by position: aliases share one node.
    std::unordered_map<int, std::vector<Seen>> seen;
  };
  // `where` is the value's position, `key_at` the key that holds it (missing keys are reported there).
  void Check(const nlohmann::ordered_json& schema, const YAML::Node& node, const std::string& path,
             const SourceLocation& where, const SourceLocation& key_at, Ctx& ctx) const;
  void CheckOnce(const nlohmann::ordered_json& schema, const YAML::Node& node, const std::string& path,
                 const SourceLocation& where, const SourceLocation& key_at, Ctx& ctx) const;
  void CheckObject(const nlohmann::ordered_json& schema, const YAML::Node& node, const std::string& path,
                   const SourceLocation& key_at, Ctx& ctx) const;
  void CheckArray(const nlohmann::ordered_json& schema, const YAML::Node& node, const std::string& path,
                  const SourceLocation& where, Ctx& ctx) const;
  void CheckScalar(const nlohmann::ordered_json& schema, const YAML::Node& node, const std::string& path,
                   const SourceLocation& where, Ctx& ctx) const;
  bool CheckType(const nlohmann::ordered_json& schema, const YAML::Node& node, const std::string& path,
                 const SourceLocation& where, Ctx& ctx) const;
  const nlohmann::ordered_json& Resolve(const nlohmann::ordered_json& schema) const;
  void Report(Ctx& ctx, const SourceLocation& where, std::string message) const;

  const nlohmann::ordered_json& root_;
  const re2::RE2& Pattern(const std::string& pattern) const;

  // Compiled once per validator; a validator is used by one thread at a time.
  mutable std::map<std::string, std::unique_ptr<re2::RE2>> patterns_;
};

// The manifest schema, parsed once from the embedded schema/pkiform.schema.json.
const nlohmann::ordered_json& ManifestSchema();

}  // namespace pkiform
