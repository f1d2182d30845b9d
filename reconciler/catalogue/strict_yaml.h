// Strict reading of catalogue YAML (yaml-cpp): every key must be known, every value of the
// expected type, every reference resolvable, so that a typo in schema/ data is an error and
// not a silently ignored fact. Errors name the file, line:column and the key path
// ("schema/platforms/ucm.yaml:41:5: slots[2].keyUsge: unknown key ...").
// Readers keep going with fallbacks after an error so that the parsing code stays
// straight-line; the caller checks Errors::failed() at the end. The status lists every
// problem, root causes first: a misspelt key is reported before the "required key is
// missing" that it causes.
#pragma once

#include <optional>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include <functional>
#include <initializer_list>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "reconciler/util/result.h"

namespace pkiform::catalogue::strict {

class Errors {
 public:
  explicit Errors(std::string file) : file_(std::move(file)) {}
  // `at` may be undefined (a missing key): the position is then left out.
  // A root cause (unknown or duplicate key, YAML syntax) is listed before other problems.
  void Add(const YAML::Node& at, const std::string& path, const std::string& message,
           bool root_cause = false);
  void Add(const YAML::Mark& at, const std::string& path, const std::string& message,
           bool root_cause = false);
  bool failed() const { return !root_causes_.empty() || !others_.empty(); }
  // kInvalidInput with one problem per line (at most 10), or Ok.
  Status status() const;
  const std::string& file() const { return file_; }

 private:
  std::string file_;
  std::vector<std::string> root_causes_;
  std::vector<std::string> others_;
};

// Reads one YAML mapping. Construct, read every key, then Finish().
class Map {
 public:
  Map(Errors& errors, const YAML::Node& node, std::string path);

  // Each accessor records `key` as known. Without a fallback the key is required.
  bool Has(std::string_view key);  // present and not null
  std::string String(std::string_view key);
  std::string String(std::string_view key, std::string fallback);
  bool Bool(std::string_view key);
  bool Bool(std::string_view key, bool fallback);
  int Int(std::string_view key, int fallback);
  std::vector<std::string> Strings(std::string_view key);  // absent: empty
  std::vector<int> Ints(std::string_view key);             // absent: empty
  // A scalar among `choices`; absent: `fallback`, or an error when fallback is empty.
  std::string Choice(std::string_view key, std::initializer_list<std::string_view> choices,
                     std::string_view fallback = {});
  std::string Choice(std::string_view key, std::span<const std::string_view> choices, std::string_view fallback = {});
  YAML::Node Child(std::string_view key);  // undefined node when absent

  std::string PathOf(std::string_view key) const;
  const std::string& path() const { return path_; }
  const YAML::Node& node() const { return node_; }
  Errors& errors() { return errors_; }
  bool Knows(std::string_view key) const { return known_.count(key) > 0; }
  // Reports the first key that no accessor asked for.
  void Finish();

 private:
  YAML::Node Get(std::string_view key, bool required);
  bool Scalar(const YAML::Node& n, std::string_view key, std::string& out);

  Errors& errors_;
  YAML::Node node_;
  std::string path_;
  bool is_map_ = false;
  std::set<std::string, std::less<>> known_;
};

// Calls fn(element, "path[i]") for each element of a sequence; an absent or null node is an
// empty sequence, anything else than a sequence is an error.
void ForEach(Errors& errors, const YAML::Node& seq, const std::string& path,
             const std::function<void(const YAML::Node&, const std::string&)>& fn);

// Parses one YAML document; a syntax error is added to `errors` and gives nullopt.
std::optional<YAML::Node> LoadDocument(std::string_view text, Errors& errors);

}  // namespace pkiform::catalogue::strict
