#include "reconciler/manifest/yaml_scalar.h"

#include <re2/re2.h>

#include <charconv>

namespace pkiform {

namespace {

// An integer in another base, or with a leading zero: `0443`, `0x10`, `0o17`, `0b101`.
const RE2& OtherBaseInteger() {
  static const RE2 re("([-+]?)(0[0-9]+|0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+)");
  return re;
}

}  // namespace

std::optional<long long> NonDecimalInteger(const std::string& s) {
  std::string sign, digits;
  if (!RE2::FullMatch(s, OtherBaseInteger(), &sign, &digits)) return std::nullopt;
  // What a YAML 1.1 reader makes of it: a leading 0 means octal there.
  int base = 8;
  std::string_view body = std::string_view(digits).substr(1);
  if (body.starts_with('x') || body.starts_with('X')) base = 16;
  if (body.starts_with('b') || body.starts_with('B')) base = 2;
  if (base != 8 || body.starts_with('o') || body.starts_with('O')) body.remove_prefix(1);
  long long value = 0;
  if (body.empty() || std::from_chars(body.data(), body.data() + body.size(), value, base).ec != std::errc())
    return std::nullopt;
  return sign == "-" ? -value : value;
}

ScalarKind ClassifyScalar(const YAML::Node& node) {
  if (node.IsNull()) return ScalarKind::kNull;
  if (node.Tag() == "!") return ScalarKind::kString;  // quoted
  const std::string& s = node.Scalar();
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return ScalarKind::kNull;
  if (s == "true" || s == "True" || s == "TRUE" || s == "false" || s == "False" || s == "FALSE")
    return ScalarKind::kBool;
  // RE2 matches in time linear in the scalar, without recursion: std::regex
  // recursed once per character and overflowed the stack on a long value.
  static const RE2 kDecimal("[-+]?(0|[1-9][0-9]*)");
  static const RE2 kNumber(
      "[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");
  if (RE2::FullMatch(s, kDecimal)) return ScalarKind::kInteger;
  if (RE2::FullMatch(s, OtherBaseInteger())) return ScalarKind::kString;  // decimal only: see the header
  if (RE2::FullMatch(s, kNumber)) return ScalarKind::kNumber;
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
  const std::string& s = node.Scalar();
  const char* begin = s.data() + (s[0] == '+' ? 1 : 0);
  long long value = 0;
  if (std::from_chars(begin, s.data() + s.size(), value, 10).ec != std::errc()) return std::nullopt;  // out of range
  return value;
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
