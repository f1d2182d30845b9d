#include "reconciler/manifest/yaml_schema.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "reconciler/manifest/yaml_scalar.h"
#include "reconciler/util/embedded.h"
#include "reconciler/util/excerpt.h"
#include "reconciler/util/spelling.h"

namespace pkiform {

using json = nlohmann::ordered_json;

const json& ManifestSchema() {
  static const json schema = json::parse(*EmbeddedFile("schema/pkiform.schema.json"));
  return schema;
}

YamlSchemaValidator::YamlSchemaValidator(const nlohmann::ordered_json& schema) : root_(schema) {}
YamlSchemaValidator::~YamlSchemaValidator() = default;

const std::vector<std::string>& YamlSchemaValidator::SupportedKeywords() {
  static const std::vector<std::string> k = {
      "$schema", "$id", "$defs", "$ref", "title", "description", "type", "const", "enum", "pattern",
      "minLength", "minimum", "maximum", "properties", "required", "additionalProperties",
      "minProperties", "maxProperties", "items", "minItems", "allOf", "if", "then"};
  return k;
}

namespace {

std::string Join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i ? sep : "") + items[i];
  return out;
}

std::string Child(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

std::string Where(const std::string& path) { return path.empty() ? "the document" : path; }

std::string JsonText(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

// A value from the document, quoted and cut short.
std::string Quoted(const std::string& value) { return "'" + Excerpt(value) + "'"; }

// Why a number that looks like an integer is not one here (yaml_scalar.h), and
// the decimal to write instead.
std::string DecimalOnlyHint(const YAML::Node& node) {
  if (!node.IsScalar() || node.Tag() == "!") return "";
  const std::string& s = node.Scalar();
  const auto value = NonDecimalInteger(s);
  if (!value) return "";
  const size_t sign = s[0] == '-' || s[0] == '+' ? 1 : 0;
  const char prefix = static_cast<char>(std::tolower(static_cast<unsigned char>(s[sign + 1])));
  static const std::map<char, std::string> kBases = {{'x', "hexadecimal"}, {'o', "octal"}, {'b', "binary"}};
  const std::string decimal_only = "; integers in pkiform manifests are decimal";
  if (auto base = kBases.find(prefix); base != kBases.end())
    return decimal_only + ", and " + Quoted(s) + " is " + base->second + ": write " + std::to_string(*value);
  // A leading zero: octal to YAML 1.1 readers, decimal to 1.2 ones; the digits without it are what most meant.
  const size_t digit = std::min(s.find_first_not_of('0', sign), s.size() - 1);
  return decimal_only + ", without leading zeros (" + Quoted(s) + " is octal " + std::to_string(*value) +
         " to YAML 1.1 readers): write " + s.substr(0, sign) + s.substr(digit);
}

// Compares a YAML scalar with a JSON value as the schema means it.
bool ScalarEquals(const YAML::Node& node, const json& v) {
  if (!node.IsScalar() && !node.IsNull()) return false;
  ScalarKind kind = ClassifyScalar(node);
  if (v.is_string()) return kind == ScalarKind::kString && node.Scalar() == v.get<std::string>();
  if (v.is_boolean()) return kind == ScalarKind::kBool && ScalarBool(node) == v.get<bool>();
  if (v.is_number_integer()) return ScalarInteger(node) == v.get<long long>();
  if (v.is_null()) return kind == ScalarKind::kNull;
  return false;
}

}  // namespace

void YamlSchemaValidator::Report(Ctx& ctx, const SourceLocation& where, std::string message) const {
  ++ctx.errors;
  if (ctx.out) ctx.out->Error(where, std::move(message), "schema");
}

const json& YamlSchemaValidator::Resolve(const json& schema) const {
  const json* s = &schema;
  while (s->is_object() && s->contains("$ref")) {
    std::string ref = (*s)["$ref"];
    const std::string prefix = "#/$defs/";
    s = &root_["$defs"][ref.substr(prefix.size())];
  }
  return *s;
}

const RE2& YamlSchemaValidator::Pattern(const std::string& pattern) const {
  auto it = patterns_.find(pattern);
  if (it == patterns_.end()) {
    RE2::Options options;
    options.set_log_errors(false);
    it = patterns_.emplace(pattern, std::make_unique<RE2>(pattern, options)).first;
    // The schema is pkiform's own: a pattern RE2 cannot compile fails its unit test.
    if (!it->second->ok()) it->second = std::make_unique<RE2>("(?!)", options);
  }
  return *it->second;
}

bool YamlSchemaValidator::Validate(const YAML::Node& doc, const std::string& file, DiagnosticList& out) const {
  Ctx ctx{file, &out, 0, {}};
  SourceLocation start = NodeLocation(doc, file, {file, 1, 1});
  Check(root_, doc, "", start, start, ctx);
  return ctx.errors == 0;
}

void YamlSchemaValidator::Check(const json& schema_in, const YAML::Node& node, const std::string& path,
                                const SourceLocation& where, const SourceLocation& key_at, Ctx& ctx) const {
  const json& schema = Resolve(schema_in);
  // A node met again (through an alias) against the same schema: counted, not redone.
  const bool memo = ctx.out && !node.Mark().is_null() && node.IsDefined() && !node.IsNull();
  if (memo) {
    for (const Seen& s : ctx.seen[node.Mark().pos])
      if (s.schema == &schema && s.node.is(node)) {
        for (size_t i = s.first; i < s.last; ++i) ctx.out->AddRepeat(i);
        ctx.errors += s.errors;
        return;
      }
  }
  const size_t first = ctx.out ? ctx.out->items().size() : 0;
  const int errors_before = ctx.errors;
  CheckOnce(schema, node, path, where, key_at, ctx);
  if (memo)
    ctx.seen[node.Mark().pos].push_back({node, &schema, first, ctx.out->items().size(), ctx.errors - errors_before});
}

void YamlSchemaValidator::CheckOnce(const json& schema, const YAML::Node& node, const std::string& path,
                                    const SourceLocation& where, const SourceLocation& key_at, Ctx& ctx) const {
  if (schema.contains("const") && !ScalarEquals(node, schema["const"])) {
    Report(ctx, where, Where(path) + " must be '" + JsonText(schema["const"]) + "'" +
                           (node.IsScalar() ? ", found " + Quoted(node.Scalar()) : ""));
    return;
  }
  if (schema.contains("enum")) {
    for (const auto& v : schema["enum"])
      if (ScalarEquals(node, v)) goto enum_ok;
    {
      std::vector<std::string> names;
      for (const auto& v : schema["enum"]) names.push_back(JsonText(v));
      std::string found = node.IsScalar() ? Quoted(node.Scalar()) : DescribeNode(node);
      std::string msg = found + " is not a valid " + Where(path) + "; expected one of: " + Join(names, ", ");
      if (node.IsScalar())
        if (auto m = ClosestMatch(node.Scalar(), names); !m.empty()) msg += " (did you mean '" + m + "'?)";
      Report(ctx, where, msg);
      return;
    }
  enum_ok:;
  }
  if (!CheckType(schema, node, path, where, ctx)) return;
  if (node.IsMap()) CheckObject(schema, node, path, key_at, ctx);
  else if (node.IsSequence()) CheckArray(schema, node, path, where, ctx);
  else CheckScalar(schema, node, path, where, ctx);

  if (schema.contains("allOf"))
    for (const auto& sub : schema["allOf"]) Check(sub, node, path, where, key_at, ctx);
  if (schema.contains("if") && schema.contains("then")) {
    Ctx probe{ctx.file, nullptr, 0, {}};
    Check(schema["if"], node, path, where, key_at, probe);
    if (probe.errors == 0) Check(schema["then"], node, path, where, key_at, ctx);
  }
}

bool YamlSchemaValidator::CheckType(const json& schema, const YAML::Node& node, const std::string& path,
                                    const SourceLocation& where, Ctx& ctx) const {
  if (!schema.contains("type")) return true;
  const std::string type = schema["type"];
  bool ok = false;
  if (type == "object") ok = node.IsMap();
  else if (type == "array") ok = node.IsSequence();
  else if (node.IsScalar() || node.IsNull()) {
    ScalarKind k = ClassifyScalar(node);
    if (type == "string") ok = k == ScalarKind::kString;
    else if (type == "integer") ok = k == ScalarKind::kInteger;
    else if (type == "number") ok = k == ScalarKind::kInteger || k == ScalarKind::kNumber;
    else if (type == "boolean") ok = k == ScalarKind::kBool;
  }
  if (ok) return true;
  static const std::map<std::string, std::string> kArticle = {
      {"object", "a mapping"}, {"array", "a sequence"}, {"string", "a string"},
      {"integer", "an integer"}, {"number", "a number"}, {"boolean", "a boolean (true or false)"}};
  Report(ctx, where, Where(path) + " must be " + kArticle.at(type) + ", found " + DescribeNode(node) +
                         (type == "integer" || type == "number" ? DecimalOnlyHint(node) : ""));
  return false;
}

void YamlSchemaValidator::CheckObject(const json& schema, const YAML::Node& node, const std::string& path,
                                      const SourceLocation& where, Ctx& ctx) const {
  // `where` is the key holding this mapping: a missing key is reported there.
  const json empty = json::object();
  const json& props = schema.contains("properties") ? schema["properties"] : empty;
  std::vector<std::string> known;
  for (auto it = props.begin(); it != props.end(); ++it) known.push_back(it.key());

  std::set<std::string> seen;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const YAML::Node key = it->first;  // a copy: it-> yields a temporary
    SourceLocation key_at = NodeLocation(key, ctx.file, where);
    if (!key.IsScalar()) {
      Report(ctx, key_at, "keys in " + Where(path) + " must be strings");
      continue;
    }
    const std::string name = key.Scalar();
    if (!seen.insert(name).second) {
      Report(ctx, key_at, "duplicate key " + Quoted(name) + " in " + Where(path));
      continue;
    }
    SourceLocation value_at = NodeLocation(it->second, ctx.file, key_at);
    if (props.contains(name)) {
      Check(props[name], it->second, Child(path, name), value_at, key_at, ctx);
    } else if (schema.contains("additionalProperties")) {
      const json& extra = schema["additionalProperties"];
      if (extra.is_boolean() && !extra.get<bool>()) {
        std::string msg = "unknown key " + Quoted(name) + " in " + Where(path);
        if (auto m = ClosestMatch(name, known); !m.empty()) msg += "; did you mean '" + m + "'?";
        else if (!known.empty()) msg += "; expected one of: " + Join(known, ", ");
        Report(ctx, key_at, msg);
      } else if (extra.is_object()) {
        Check(extra, it->second, Child(path, name), value_at, key_at, ctx);
      }
    }
  }
  if (schema.contains("required"))
    for (const auto& r : schema["required"])
      if (!seen.count(r.get<std::string>()))
        Report(ctx, where, "missing required key '" + r.get<std::string>() + "' in " + Where(path));
  size_t n = node.size();
  bool too_few = schema.contains("minProperties") && n < schema["minProperties"].get<size_t>();
  bool too_many = schema.contains("maxProperties") && n > schema["maxProperties"].get<size_t>();
  if (too_few || too_many) {
    if (schema.value("minProperties", 0) == 1 && schema.value("maxProperties", 0) == 1)
      Report(ctx, where, Where(path) + " takes exactly one of: " + Join(known, ", ") +
                             "; found " + std::to_string(n));
    else
      Report(ctx, where, Where(path) + " has " + std::to_string(n) + " keys, " +
                             (too_few ? "fewer than the minimum " + schema["minProperties"].dump()
                                      : "more than the maximum " + schema["maxProperties"].dump()));
  }
}

void YamlSchemaValidator::CheckArray(const json& schema, const YAML::Node& node, const std::string& path,
                                     const SourceLocation& where, Ctx& ctx) const {
  if (schema.contains("minItems") && node.size() < schema["minItems"].get<size_t>()) {
    size_t min = schema["minItems"].get<size_t>();
    Report(ctx, where, Where(path) + " needs at least " + std::to_string(min) + (min == 1 ? " item" : " items"));
  }
  if (!schema.contains("items")) return;
  for (size_t i = 0; i < node.size(); ++i) {
    SourceLocation item_at = NodeLocation(node[i], ctx.file, where);
    Check(schema["items"], node[i], path + "[" + std::to_string(i) + "]", item_at, item_at, ctx);
  }
}

void YamlSchemaValidator::CheckScalar(const json& schema, const YAML::Node& node, const std::string& path,
                                      const SourceLocation& where, Ctx& ctx) const {
  if (!node.IsScalar()) return;
  const std::string& s = node.Scalar();
  ScalarKind kind = ClassifyScalar(node);
  if (kind == ScalarKind::kString) {
    if (schema.contains("minLength") && s.size() < schema["minLength"].get<size_t>())
      Report(ctx, where, Where(path) + " must not be empty");
    if (schema.contains("pattern")) {
      const std::string pattern = schema["pattern"];
      if (!RE2::PartialMatch(s, Pattern(pattern))) {
        std::string what = schema.value("title", "value matching " + pattern);
        Report(ctx, where, Quoted(s) + " is not a valid " + what);
      }
    }
  }
  if (kind == ScalarKind::kInteger && !ScalarInteger(node))
    Report(ctx, where, Where(path) + " is out of range: " + Excerpt(s));
  if (auto v = ScalarInteger(node)) {
    if (schema.contains("minimum") && *v < schema["minimum"].get<long long>())
      Report(ctx, where, Where(path) + " must be at least " + schema["minimum"].dump() + ", found " + Excerpt(s));
    if (schema.contains("maximum") && *v > schema["maximum"].get<long long>())
      Report(ctx, where, Where(path) + " must be at most " + schema["maximum"].dump() + ", found " + Excerpt(s));
  }
}

}  // namespace pkiform
