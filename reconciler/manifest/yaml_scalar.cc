#include "reconciler/manifest/yaml_scalar.h"

#include <regex>

namespace pkiform {

ScalarKind ClassifyScalar(const YAML::Node& node) {
  if (node.IsNull()) return ScalarKind::kNull;
  if (node.Tag() == "!") return ScalarKind::kString;  // quoted
  const std::string& s = node.Scalar();
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return ScalarKind::kNull;
  if (s == "true" || s == "True" || s == "TRUE" || s == "false" || s == "False" || s == "FALSE")
    return ScalarKind::kBool;
  static const std::regex kInt("[-+]?[0-9]+|0x[0-9a-fA-F]+");
  static const std::regex kNum("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");
  if (std::regex_match(s, kInt)) return ScalarKind::kInteger;
  if (std::regex_match(s, kNum)) return ScalarKind::kNumber;
  return ScalarKind::kString;
}

std::string DescribeNode(const YAML::Node& node) {
  if (node.IsMap()) return "a mapping";
  if (node.IsSequence()) return "a sequence";
  switch (ClassifyScalar(node)) {
    case ScalarKind::kNull: return "nothing (null)";
    case ScalarKind::kBool: return "a boolean";
    case ScalarKind::kInteger: return "an integer";
    case ScalarKind::kNumber: return "a number";
    case ScalarKind::kString: return "a string";
  }
  return "a value";
}

std::optional<long long> ScalarInteger(const YAML::Node& node) {
  if (!node.IsScalar() || ClassifyScalar(node) != ScalarKind::kInteger) return std::nullopt;
  try {
    return std::stoll(node.Scalar(), nullptr, 0);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::optional<bool> ScalarBool(const YAML::Node& node) {
  if (!node.IsScalar() || ClassifyScalar(node) != ScalarKind::kBool) return std::nullopt;
  char c = node.Scalar()[0];
  return c == 't' || c == 'T';
}

YAML::Node ChildOf(const YAML::Node& map, const std::string& key) {
  if (!map.IsMap()) return YAML::Node();
  YAML::Node value = map[key];
  return value.IsDefined() ? value : YAML::Node();
}

std::string ScalarAt(const YAML::Node& map, const std::string& key) {
  YAML::Node value = ChildOf(map, key);
  return value.IsScalar() ? value.Scalar() : "";
}

SourceLocation NodeLocation(const YAML::Node& node, const std::string& file, const SourceLocation& fallback) {
  YAML::Mark m = node.Mark();
  if (m.is_null() || m.line < 0) return fallback.file.empty() ? SourceLocation{file, 0, 0} : fallback;
  return SourceLocation{file, m.line + 1, m.column + 1};
}

}  // namespace pkiform
