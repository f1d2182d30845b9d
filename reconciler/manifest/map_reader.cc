#include "reconciler/manifest/map_reader.h"

#include <filesystem>

#include "reconciler/manifest/yaml_scalar.h"
#include "reconciler/util/excerpt.h"
#include "reconciler/util/input_limits.h"

namespace pkiform {

MapReader::MapReader(const YAML::Node& node, const std::string& file, const std::string& dir, Located& target,
                     DiagnosticList& problems)
    : node_(node), file_(file), dir_(dir), target_(target), problems_(problems) {
  target_.where = NodeLocation(node, file);
}

YAML::Node MapReader::Node(const std::string& key) const { return ChildOf(node_, key); }

SourceLocation MapReader::Mark(const std::string& key) {
  YAML::Node value = Node(key);
  // A scalar is pointed at itself; a mapping or list at its key, which is what a person looks for.
  SourceLocation at = value.IsMap() || value.IsSequence() ? KeyAt(key) : NodeLocation(value, file_, target_.where);
  target_.fields[key] = at;
  return at;
}

SourceLocation MapReader::KeyAt(const std::string& key) {
  SourceLocation at = target_.where;
  for (auto it = node_.begin(); it != node_.end(); ++it)
    if (it->first.IsScalar() && it->first.Scalar() == key) at = NodeLocation(it->first, file_, target_.where);
  target_.fields[key] = at;
  return at;
}

std::string MapReader::Str(const std::string& key, const std::string& fallback) {
  if (!Has(key)) return fallback;
  Mark(key);
  return Node(key).Scalar();
}

int MapReader::Int(const std::string& key, int fallback) {
  if (!Has(key)) return fallback;
  Mark(key);
  return static_cast<int>(ScalarInteger(Node(key)).value_or(fallback));
}

bool MapReader::Bool(const std::string& key, bool fallback) { return OptBool(key).value_or(fallback); }

std::optional<bool> MapReader::OptBool(const std::string& key) {
  if (!Has(key)) return std::nullopt;
  Mark(key);
  return ScalarBool(Node(key));
}

Duration MapReader::Dur(const std::string& key, const std::string& fallback) {
  if (auto d = OptDur(key)) return *d;
  return *ParseDuration(fallback);
}

std::optional<Duration> MapReader::OptDur(const std::string& key) {
  if (!Has(key)) return std::nullopt;
  SourceLocation at = Mark(key);
  auto d = ParseDuration(Node(key).Scalar());
  // The schema checked the form: what fails here is the length.
  if (!d)
    problems_.Error(at, "duration '" + Excerpt(Node(key).Scalar()) + "' is longer than " + limits::kDurationText +
                            ", the longest pkiform accepts", "limit");
  return d;
}

std::vector<std::string> MapReader::Strings(const std::string& key) {
  std::vector<std::string> out;
  if (!Has(key)) return out;
  SourceLocation list_at = Mark(key);
  const YAML::Node list = Node(key);
  for (size_t i = 0; i < list.size(); ++i) {
    target_.fields[key + "[" + std::to_string(i) + "]"] = NodeLocation(list[i], file_, list_at);
    out.push_back(list[i].Scalar());
  }
  return out;
}

FileRef MapReader::MakeFileRef(const YAML::Node& value, const SourceLocation& where) const {
  FileRef ref;
  const std::string& written = value.Scalar();
  ref.written = Excerpt(written);
  ref.where = where;
  std::filesystem::path p(written);
  ref.path = p.is_absolute() || dir_.empty() ? written : (std::filesystem::path(dir_) / p).lexically_normal().string();
  return ref;
}

std::optional<FileRef> MapReader::File(const std::string& key) {
  if (!Has(key)) return std::nullopt;
  return MakeFileRef(Node(key), Mark(key));
}

std::vector<FileRef> MapReader::Files(const std::string& key) {
  std::vector<FileRef> out;
  if (!Has(key)) return out;
  SourceLocation list_at = Mark(key);
  const YAML::Node list = Node(key);
  for (size_t i = 0; i < list.size(); ++i) {
    SourceLocation at = NodeLocation(list[i], file_, list_at);
    target_.fields[key + "[" + std::to_string(i) + "]"] = at;
    out.push_back(MakeFileRef(list[i], at));
  }
  return out;
}

MapReader MapReader::Nested(const std::string& key, Located& target) {
  SourceLocation key_at = KeyAt(key);
  MapReader nested(Node(key), file_, dir_, target, problems_);
  target_.fields[key] = key_at;
  return nested;
}

MapReader MapReader::Sibling(const YAML::Node& node, Located& target) const {
  return MapReader(node, file_, dir_, target, problems_);
}

}  // namespace pkiform
