// Strict YAML mapping reader (strict_yaml.h).
#include "reconciler/catalogue/strict_yaml.h"

#include <charconv>

namespace pkiform::catalogue::strict {

void Errors::Add(const YAML::Mark& at, const std::string& path, const std::string& message, bool root_cause) {
  std::string where = file_;
  if (at.line >= 0) where += ":" + std::to_string(at.line + 1) + ":" + std::to_string(at.column + 1);
  (root_cause ? root_causes_ : others_).push_back(where + ": " + (path.empty() ? "" : path + ": ") + message);
}

void Errors::Add(const YAML::Node& at, const std::string& path, const std::string& message, bool root_cause) {
  Add(at.IsDefined() ? at.Mark() : YAML::Mark::null_mark(), path, message, root_cause);
}

Status Errors::status() const {
  if (!failed()) return Status::Ok();
  constexpr size_t kMax = 10;
  std::string text;
  size_t n = 0;
  for (const auto* list : {&root_causes_, &others_})
    for (const auto& line : *list)
      if (n++ < kMax) text += (text.empty() ? "" : "\n") + line;
  if (n > kMax) text += "\n(" + std::to_string(n - kMax) + " more problems)";
  return Status::InvalidInput(text);
}

Map::Map(Errors& errors, const YAML::Node& node, std::string path)
    : errors_(errors), node_(node), path_(std::move(path)) {
  if (!node.IsDefined() || !node.IsMap()) {
    errors_.Add(node, path_, "expected a mapping");
    return;
  }
  is_map_ = true;
  std::set<std::string> seen;
  for (const auto& kv : node) {
    if (!kv.first.IsScalar()) {
      errors_.Add(kv.first, path_, "keys must be plain names", true);
      continue;
    }
    if (!seen.insert(kv.first.Scalar()).second)
      errors_.Add(kv.first, PathOf(kv.first.Scalar()), "duplicate key", true);
  }
}

std::string Map::PathOf(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

YAML::Node Map::Get(std::string_view key, bool required) {
  known_.insert(std::string(key));
  if (!is_map_) return YAML::Node(YAML::NodeType::Undefined);
  const YAML::Node& map = node_;  // const access never inserts the key
  YAML::Node n = map[std::string(key)];
  if ((!n.IsDefined() || n.IsNull()) && required) errors_.Add(node_, PathOf(key), "required key is missing");
  return n;
}

bool Map::Scalar(const YAML::Node& n, std::string_view key, std::string& out) {
  if (!n.IsScalar()) {
    errors_.Add(n, PathOf(key), "expected a single value");
    return false;
  }
  out = n.Scalar();
  return true;
}

bool Map::Has(std::string_view key) {
  YAML::Node n = Get(key, false);
  return n.IsDefined() && !n.IsNull();
}

std::string Map::String(std::string_view key) {
  YAML::Node n = Get(key, true);
  std::string s;
  if (n.IsDefined() && !n.IsNull()) Scalar(n, key, s);
  return s;
}

std::string Map::String(std::string_view key, std::string fallback) {
  YAML::Node n = Get(key, false);
  if (!n.IsDefined() || n.IsNull()) return fallback;
  std::string s;
  return Scalar(n, key, s) ? s : fallback;
}

bool Map::Bool(std::string_view key) {
  YAML::Node n = Get(key, true);
  if (!n.IsDefined() || n.IsNull()) return false;
  return Bool(key, false);
}

bool Map::Bool(std::string_view key, bool fallback) {
  YAML::Node n = Get(key, false);
  std::string s;
  if (!n.IsDefined() || n.IsNull() || !Scalar(n, key, s)) return fallback;
  if (s == "true") return true;
  if (s == "false") return false;
  errors_.Add(n, PathOf(key), "expected true or false, got '" + s + "'");
  return fallback;
}

int Map::Int(std::string_view key, int fallback) {
  YAML::Node n = Get(key, false);
  std::string s;
  if (!n.IsDefined() || n.IsNull() || !Scalar(n, key, s)) return fallback;
  int v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) {
    errors_.Add(n, PathOf(key), "expected a whole number, got '" + s + "'");
    return fallback;
  }
  return v;
}

std::vector<std::string> Map::Strings(std::string_view key) {
  YAML::Node n = Get(key, false);
  std::vector<std::string> out;
  ForEach(errors_, n, PathOf(key), [&](const YAML::Node& e, const std::string& p) {
    if (e.IsScalar())
      out.push_back(e.Scalar());
    else
      errors_.Add(e, p, "expected a single value");
  });
  return out;
}

std::vector<int> Map::Ints(std::string_view key) {
  std::vector<int> out;
  YAML::Node n = Get(key, false);
  ForEach(errors_, n, PathOf(key), [&](const YAML::Node& e, const std::string& p) {
    int v = 0;
    const std::string s = e.IsScalar() ? e.Scalar() : "";
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size())
      errors_.Add(e, p, "expected a whole number");
    else
      out.push_back(v);
  });
  return out;
}

std::string Map::Choice(std::string_view key, std::initializer_list<std::string_view> choices,
                        std::string_view fallback) {
  return Choice(key, std::span<const std::string_view>(choices.begin(), choices.size()), fallback);
}

std::string Map::Choice(std::string_view key, std::span<const std::string_view> choices, std::string_view fallback) {
  if (!fallback.empty() && !Has(key)) return std::string(fallback);
  std::string s = String(key);
  if (s.empty()) return s;  // missing required key, already reported
  for (auto c : choices)
    if (c == s) return s;
  std::string list;
  for (auto c : choices) list += (list.empty() ? "" : ", ") + std::string(c);
  const YAML::Node& map = node_;
  errors_.Add(map[std::string(key)], PathOf(key), "'" + s + "' is not one of: " + list);
  return std::string(fallback);
}

YAML::Node Map::Child(std::string_view key) { return Get(key, false); }

void Map::Finish() {
  if (!is_map_) return;
  for (const auto& kv : node_) {
    if (!kv.first.IsScalar() || Knows(kv.first.Scalar())) continue;
    std::string list;
    for (const auto& k : known_) list += (list.empty() ? "" : ", ") + k;
    errors_.Add(kv.first, PathOf(kv.first.Scalar()), "unknown key (expected one of: " + list + ")", true);
  }
}

void ForEach(Errors& errors, const YAML::Node& seq, const std::string& path,
             const std::function<void(const YAML::Node&, const std::string&)>& fn) {
  if (!seq.IsDefined() || seq.IsNull()) return;
  if (!seq.IsSequence()) {
    errors.Add(seq, path, "expected a list");
    return;
  }
  for (size_t i = 0; i < seq.size(); ++i) fn(seq[i], path + "[" + std::to_string(i) + "]");
}

std::optional<YAML::Node> LoadDocument(std::string_view text, Errors& errors) {
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    errors.Add(e.mark, "", "not valid YAML: " + e.msg, true);
    return std::nullopt;
  }
}

}  // namespace pkiform::catalogue::strict
