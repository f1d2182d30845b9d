// Parsers of xACLI answers (xacli_text.h).
#include "providers/vcs/xacli_text.h"

#include <algorithm>
#include <map>

#include "providers/cli/terminal_text.h"
#include "reconciler/util/excerpt.h"

namespace pkiform::vcs {
namespace {

using cli::Lines;
using cli::TrimBlanks;

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// "<value>" or a bare word; nullopt for anything else (a broken quote, two words).
std::optional<std::pair<std::string, bool>> ReadValue(std::string_view v) {
  v = TrimBlanks(v);
  if (!v.empty() && v.front() == '"') {
    if (v.size() < 2 || v.back() != '"') return std::nullopt;
    std::string_view inner = v.substr(1, v.size() - 2);
    if (inner.find('"') != std::string_view::npos) return std::nullopt;
    return std::make_pair(std::string(inner), true);
  }
  if (v.find_first_of(" \t\"") != std::string_view::npos) return std::nullopt;
  return std::make_pair(std::string(v), false);
}

// "Leaf words: value" -> the leaf; nullopt when the line has no ": ".
std::optional<std::pair<std::string_view, std::string_view>> SplitLeaf(std::string_view rest) {
  size_t colon = rest.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view name = TrimBlanks(rest.substr(0, colon));
  if (name.empty()) return std::nullopt;
  return std::make_pair(name, rest.substr(colon + 1));
}

// The leaves of `prefix` by name.
Result<std::map<std::string, Leaf, std::less<>>> LeafMap(std::string_view answer, std::string_view prefix) {
  auto leaves = ParseLeaves(answer, prefix);
  if (!leaves.ok()) return leaves.status();
  std::map<std::string, Leaf, std::less<>> out;
  for (auto& l : *leaves) out.emplace(l.name, std::move(l));
  return out;
}

// The leaves of one node ("*s SystemUnit", "*c xConfiguration Alternates"), and how errors name it.
class Node {
 public:
  static Result<Node> Read(std::string_view answer, const std::string& kind, const std::string& path) {
    Node node(kind + " " + path);
    auto leaves = LeafMap(answer, node.prefix_);
    if (!leaves.ok()) return leaves.status();
    node.leaves_ = std::move(leaves).value();
    return node;
  }
  // The value of `leaf` into `out`; an error naming the line when it is missing.
  Status Text(std::string_view leaf, std::string* out) const {
    const Leaf* l = Find(leaf);
    if (!l) return Missing(leaf);
    *out = l->value;
    return Status::Ok();
  }
  // A bare On/Off leaf into `out`.
  Status Flag(std::string_view leaf, const ConfigurationDialect& c, bool* out) const {
    const Leaf* l = Find(leaf);
    if (!l) return Missing(leaf);
    if (l->quoted || (l->value != c.on_word && l->value != c.off_word))
      return Status::Failed(l->name + ": \"" + Excerpt(l->value) + "\" is neither " + c.on_word + " nor " + c.off_word);
    *out = l->value == c.on_word;
    return Status::Ok();
  }

 private:
  explicit Node(std::string prefix) : prefix_(std::move(prefix)) {}
  const Leaf* Find(std::string_view leaf) const {
    auto it = leaves_.find(leaf);
    return it == leaves_.end() ? nullptr : &it->second;
  }
  Status Missing(std::string_view leaf) const {
    return Status::NotFound("the answer has no \"" + prefix_ + " " + std::string(leaf) + "\" line");
  }
  std::string prefix_;
  std::map<std::string, Leaf, std::less<>> leaves_;
};

// The first failure of `steps` (each already done, in order), or Ok.
Status FirstFailure(std::initializer_list<Status> steps) {
  for (const auto& s : steps)
    if (!s.ok()) return s;
  return Status::Ok();
}

// "HH:MM" with 00:00..23:59.
bool IsTimeOfDay(std::string_view t) {
  if (t.size() != 5 || t[2] != ':') return false;
  for (size_t i : {0, 1, 3, 4})
    if (t[i] < '0' || t[i] > '9') return false;
  return (t[0] - '0') * 10 + (t[1] - '0') < 24 && t[3] < '6';
}

}  // namespace

Result<std::vector<Leaf>> ParseLeaves(std::string_view answer, std::string_view prefix) {
  std::vector<Leaf> out;
  const std::string head = std::string(prefix) + " ";
  for (const auto& raw : Lines(answer)) {
    std::string_view line = TrimBlanks(raw);
    if (!StartsWith(line, head)) continue;
    auto split = SplitLeaf(line.substr(head.size()));
    if (!split) continue;
    std::string_view value_text = TrimBlanks(split->second);
    if (value_text == "/") continue;  // "*s SystemUnit Software: /" opens a node
    auto value = ReadValue(value_text);
    if (!value) return Status::Failed("\"" + Excerpt(line) + "\": the value is neither one word nor one quoted string");
    std::string name(split->first);
    if (std::any_of(out.begin(), out.end(), [&](const Leaf& l) { return l.name == name; }))
      return Status::Failed("the answer has \"" + Excerpt(std::string(prefix) + " " + name) + "\" twice");
    out.push_back({std::move(name), std::move(value->first), value->second});
  }
  return out;
}

Result<SystemUnit> ParseSystemUnit(std::string_view answer, const Dialect& d) {
  const auto& s = d.system_unit;
  auto node = Node::Read(answer, d.answers.status_prefix, s.path);
  if (!node.ok()) return node.status();
  SystemUnit unit;
  Status read = FirstFailure(
      {node->Text(s.product, &unit.product), node->Text(s.version, &unit.version), node->Text(s.build, &unit.build)});
  if (!read.ok()) return read;
  return unit;
}

Result<Alternates> ParseAlternates(std::string_view answer, const Dialect& d) {
  const auto& a = d.configuration.alternates;
  auto node = Node::Read(answer, d.answers.configuration_prefix, a.path);
  if (!node.ok()) return node.status();
  Alternates out;
  if (Status name = node->Text(a.cluster_name, &out.cluster_name); !name.ok()) return name;
  for (int n = 1; n <= a.peers; ++n) {
    auto leaf_name = cli::Fill(a.peer_address, {{"n", std::to_string(n)}});
    if (!leaf_name.ok()) return leaf_name.status();
    std::string address;
    if (Status peer = node->Text(*leaf_name, &address); !peer.ok()) return peer;
    if (!address.empty()) out.peers.push_back(std::move(address));
  }
  return out;
}

Result<CrlAutomatic> ParseCrlAutomatic(std::string_view answer, const Dialect& d) {
  const auto& c = d.configuration.crl_automatic;
  auto node = Node::Read(answer, d.answers.configuration_prefix, c.path);
  if (!node.ok()) return node.status();
  CrlAutomatic out;
  std::string points;
  Status read = FirstFailure({node->Flag(c.mode, d.configuration, &out.enabled),
                              node->Text(c.distribution_points, &points), node->Text(c.update_time, &out.update_time)});
  if (!read.ok()) return read;
  std::string_view rest = points;
  while (!rest.empty()) {  // the web page's lines, joined by one space (URLs hold none)
    size_t space = rest.find(' ');
    std::string_view word = rest.substr(0, space);
    if (!word.empty()) out.distribution_points.emplace_back(word);
    rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
  }
  if (!IsTimeOfDay(out.update_time))
    return Status::Failed(c.update_time + ": \"" + Excerpt(out.update_time) + "\" is not a time of day HH:MM");
  return out;
}

Result<SipTlsRevocation> ParseSipTlsRevocation(std::string_view answer, const Dialect& d) {
  const auto& s = d.configuration.sip_tls;
  const auto& c = d.configuration;
  auto node = Node::Read(answer, d.answers.configuration_prefix, s.path);
  if (!node.ok()) return node.status();
  SipTlsRevocation out;
  std::string fallback;
  Status read =
      FirstFailure({node->Flag(s.mode, c, &out.enabled), node->Flag(s.ocsp, c, &out.ocsp),
                    node->Flag(s.crl, c, &out.crl), node->Flag(s.cdp, c, &out.cdp), node->Text(s.fallback, &fallback)});
  if (!read.ok()) return read;
  if (fallback != s.revoked && fallback != s.not_revoked)
    return Status::Failed(s.fallback + ": \"" + Excerpt(fallback) + "\" is neither " + s.revoked + " nor " +
                          s.not_revoked);
  out.fallback_revoked = fallback == s.revoked;
  return out;
}

std::string CommandResult::Field(std::string_view leaf) const {
  for (const auto& f : fields)
    if (f.name == leaf) return f.value;
  return "";
}

Result<CommandResult> ParseCommandResult(std::string_view answer, const Dialect& d) {
  const auto& a = d.answers;
  const std::string head = a.result_prefix + " ";
  std::optional<CommandResult> result;
  bool inside = false, ended = false;
  for (const auto& raw : Lines(answer)) {
    std::string_view line = TrimBlanks(raw);
    if (line == a.result_end) {
      if (inside) ended = true;
      inside = false;
      continue;
    }
    if (StartsWith(line, head)) {
      if (result) return Status::Failed("the answer holds more than one command result");
      std::string_view rest = TrimBlanks(line.substr(head.size()));
      if (!rest.empty() && rest.back() == ':') rest.remove_suffix(1);
      size_t space = rest.find(' ');
      if (space == std::string_view::npos) return Status::Failed("\"" + Excerpt(line) + "\": no status");
      std::string_view status = TrimBlanks(rest.substr(space + 1));
      CommandResult r;
      r.name = std::string(rest.substr(0, space));
      if (status == a.status_ok)
        r.ok = true;
      else if (status != a.status_error)
        return Status::Failed("\"" + Excerpt(line) + "\": an unknown status");
      result = std::move(r);
      inside = true;
      continue;
    }
    if (!inside) continue;
    auto split = SplitLeaf(line);
    if (!split) continue;
    auto value = ReadValue(split->second);
    Leaf leaf{std::string(split->first), value ? value->first : std::string(TrimBlanks(split->second)),
              value && value->second};
    if (leaf.name == a.reason_leaf && result->reason.empty()) result->reason = leaf.value;
    result->fields.push_back(std::move(leaf));
  }
  if (!result) return Status::NotFound("the answer holds no command result");
  if (!ended)
    return Status::Failed("the command result " + Excerpt(result->name) + " is cut off (no " + a.result_end + ")");
  return *result;
}

std::string RuleOfReason(std::string_view reason, const Dialect& d) {
  for (const auto& r : d.refusals)
    if (StartsWith(reason, r.reason)) return r.rule;
  return "";
}

Status CheckResult(const CommandResult& result, std::string_view expected, const Dialect& d) {
  if (!result.ok) {
    Status refused =
        Status::Failed("the VCS refused (" + Excerpt(result.name) +
                       "): " + (result.reason.empty() ? std::string("no reason given") : Excerpt(result.reason, 600)));
    std::string rule = RuleOfReason(result.reason, d);
    return rule.empty() ? refused : refused.WithRule(rule);
  }
  if (result.name != expected)
    return Status::Failed("the VCS answered " + Excerpt(result.name) + " where " + std::string(expected) +
                          " was expected");
  return Status::Ok();
}

Status CheckQuotable(std::string_view what, std::string_view value) {
  constexpr size_t kMaxValue = 2048;
  if (value.size() > kMaxValue)
    return Status::InvalidInput(std::string(what) + ": more than " + std::to_string(kMaxValue) +
                                " bytes cannot be typed on the VCS command line");
  for (char c : value)
    if (c == '"' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return Status::InvalidInput(std::string(what) + " \"" + Excerpt(value) +
                                  "\": double quotes and control characters cannot be typed on the VCS command line");
  return Status::Ok();
}

}  // namespace pkiform::vcs
