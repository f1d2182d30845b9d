#include "reconciler/manifest/yaml_limits.h"

#include <algorithm>
#include <unordered_map>
#include <vector>

#include "reconciler/manifest/yaml_scalar.h"
#include "reconciler/util/input_limits.h"

namespace pkiform {
namespace {

class LimitWalk {
 public:
  LimitWalk(const std::string& file, DiagnosticList& out) : file_(file), out_(out) {}

  // How many levels of mappings and sequences `node` holds (0 for a scalar), or
  // -1 once the walk must stop: the limit is passed or an alias loops back.
  // `depth` counts the mappings and sequences above `node`.
  int Height(const YAML::Node& node, int depth) {
    if (!node.IsMap() && !node.IsSequence()) {
      CheckScalar(node, "value");
      return 0;
    }
    if (const Entry* seen = Find(node)) {
      if (seen->height == kInProgress) {
        out_.Error(NodeLocation(node, file_), "invalid YAML: an alias refers to a node that contains it (a cycle)",
                   "yaml");
        return -1;
      }
      if (depth + seen->height <= limits::kNestingDepth) return seen->height;
      return TooDeep(node);
    }
    if (depth >= limits::kNestingDepth) return TooDeep(node);
    Remember(node, kInProgress);
    int height = 0;
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (node.IsMap()) {
        CheckScalar(it->first, "key");
        if (!it->first.IsScalar() && !it->first.IsNull()) continue;  // the schema refuses such a key
      }
      const int h = Height(node.IsMap() ? it->second : *it, depth + 1);
      if (h < 0) return -1;
      height = std::max(height, h);
    }
    Find(node)->height = height + 1;
    return height + 1;
  }

  int long_values() const { return long_values_; }

 private:
  static constexpr int kInProgress = -1;
  struct Entry {
    YAML::Node node;
    int height;
  };

  // Nodes by position: aliases of one node share it, and YAML::Node::is() tells
  // the rare distinct nodes at one position apart.
  Entry* Find(const YAML::Node& node) {
    auto it = seen_.find(node.Mark().pos);
    if (it == seen_.end()) return nullptr;
    for (Entry& e : it->second)
      if (e.node.is(node)) return &e;
    return nullptr;
  }
  void Remember(const YAML::Node& node, int height) { seen_[node.Mark().pos].push_back({node, height}); }

  int TooDeep(const YAML::Node& node) {
    out_.Error(NodeLocation(node, file_),
               "nested more than " + std::to_string(limits::kNestingDepth) +
                   " levels deep (mappings and sequences, aliases included); no manifest field is",
               "schema");
    return -1;
  }

  void CheckScalar(const YAML::Node& node, const char* what) {
    if (!node.IsScalar() || node.Scalar().size() <= limits::kScalarBytes) return;
    // An aliased scalar is one value: reported once, where it is written.
    if (Find(node)) return;
    Remember(node, 0);
    ++long_values_;
    out_.Error(NodeLocation(node, file_), std::string("this ") + what + " is " +
                                              std::to_string(node.Scalar().size()) + " bytes long; pkiform takes at most " +
                                              std::to_string(limits::kScalarBytes) + " bytes per " + what,
               "limit");
  }

  const std::string& file_;
  DiagnosticList& out_;
  std::unordered_map<int, std::vector<Entry>> seen_;
  int long_values_ = 0;
};

}  // namespace

LimitVerdict CheckYamlLimits(const YAML::Node& doc, const std::string& file, DiagnosticList& out) {
  LimitWalk walk(file, out);
  if (walk.Height(doc, 0) < 0) return LimitVerdict::kUnwalkable;
  return walk.long_values() ? LimitVerdict::kValueTooLong : LimitVerdict::kWithin;
}

}  // namespace pkiform
