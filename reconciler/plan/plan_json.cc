// Plan JSON encoding and plan files (plan_json.h).
#include "reconciler/plan/plan_json.h"

#include "reconciler/pki/key.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace pkiform {
namespace {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;

template <typename Enum, size_t N>
std::optional<Enum> ParseEnum(const std::string& text, const Enum (&values)[N], const char* (*name)(Enum)) {
  for (Enum v : values)
    if (text == name(v)) return v;
  return std::nullopt;
}

constexpr Action kActions[] = {Action::kCreate, Action::kUpdate, Action::kReplace, Action::kDelete};
constexpr ChangeKind kKinds[] = {ChangeKind::kIdentity, ChangeKind::kTrust, ChangeKind::kCrl, ChangeKind::kBackups,
                                 ChangeKind::kSetting};
constexpr ChangeScope kScopes[] = {ChangeScope::kNode, ChangeScope::kCluster};
constexpr RestartKind kRestartKinds[] = {RestartKind::kService, RestartKind::kAppliance, RestartKind::kCommand};

ojson Strings(const std::vector<std::string>& v) {
  ojson a = ojson::array();
  for (const auto& s : v) a.push_back(s);
  return a;
}

ojson ChangeToJson(const Change& c) {
  ojson j;
  j["address"] = c.address;
  j["action"] = ActionName(c.action);
  j["kind"] = ChangeKindName(c.kind);
  j["slot_or_store"] = c.slot_or_store;
  j["reason"] = c.reason;
  j["before"] = Strings(c.before);
  j["after"] = Strings(c.after);
  j["before_fingerprint"] = c.before_fingerprint;
  j["after_fingerprint"] = c.after_fingerprint;
  j["certificate_pem"] = c.certificate_pem;
  j["waiting_for"] = c.waiting_for;
  j["request_pem"] = c.request_pem;
  j["remove_files"] = Strings(c.remove_files);
  j["scope"] = ChangeScopeName(c.scope);
  j["reaches"] = Strings(c.reaches);
  j["copies_to"] = Strings(c.copies_to);
  j["no_rollback"] = c.no_rollback;
  if (c.kind == ChangeKind::kSetting) {  // only settings: the other kinds' JSON stays as it was
    j["setting_before"] = c.setting_before;
    j["setting_after"] = c.setting_after;
  }
  return j;
}

ojson RestartsToJson(const std::vector<Restart>& restarts) {
  ojson out = ojson::array();
  for (const auto& r : restarts) {
    ojson jr{{"kind", RestartKindName(r.kind)}, {"target", r.target}, {"because", r.because}};
    if (r.timeout_seconds) {  // only when known, so that plans of platforms without timings stay as they were
      jr["expected_seconds"] = r.expected_seconds;
      jr["timeout_seconds"] = r.timeout_seconds;
      jr["drops_session"] = r.drops_session;
    }
    out.push_back(jr);
  }
  return out;
}

ojson PeerToJson(const PeerPlan& p) {
  ojson j;
  j["cluster"] = p.cluster;
  j["peer"] = p.peer;
  j["address"] = p.address;
  j["observed_digest"] = p.observed_digest;
  j["scoped_stores"] = Strings(p.scoped_stores);
  j["scoped_digest"] = p.scoped_digest;
  j["changes"] = ojson::array();
  for (const auto& c : p.changes) j["changes"].push_back(ChangeToJson(c));
  j["restarts"] = RestartsToJson(p.restarts);
  j["follow_ups"] = Strings(p.follow_ups);
  j["notes"] = Strings(p.notes);
  if (!p.deferred.empty()) {  // only when some are, so that plans without windows stay as they were
    j["deferred"] = ojson::array();
    for (const auto& c : p.deferred) j["deferred"].push_back(ChangeToJson(c));
    j["deferred_restarts"] = RestartsToJson(p.deferred_restarts);
    j["deferred_until"] = p.deferred_until;
  }
  return j;
}

// Reads the fields of one JSON object; the first problem is kept in `error`
// (later reads return defaults), and Done() reports fields it does not know.
class ObjectReader {
 public:
  ObjectReader(const json& j, std::string path, Status& error) : j_(j), path_(std::move(path)), error_(error) {
    if (!j_.is_object()) Fail(Where() + " must be an object");
  }

  // `optional`: an absent field reads as empty (fields added after plans were first saved).
  std::string Str(const char* key, bool optional) {
    if (optional && j_.is_object() && !j_.contains(key)) {
      known_.insert(key);
      return "";
    }
    return Str(key);
  }

  std::string Str(const char* key) {
    const json* v = Get(key, json::value_t::string, "a string");
    return v ? v->get<std::string>() : std::string();
  }

  // `optional`: an absent field reads as `fallback`.
  int Int(const char* key, bool optional, int fallback = 0) {
    if (optional && j_.is_object() && !j_.contains(key)) {
      known_.insert(key);
      return fallback;
    }
    return Int(key);
  }

  bool Bool(const char* key, bool optional) {
    if (optional && j_.is_object() && !j_.contains(key)) {
      known_.insert(key);
      return false;
    }
    const json* v = Get(key, json::value_t::boolean, "true or false");
    return v ? v->get<bool>() : false;
  }

  int Int(const char* key) {
    const json* v = Get(key, json::value_t::number_integer, "an integer");
    return v ? v->get<int>() : 0;
  }

  // `optional`: an absent field reads as empty (fields added after plans were first saved).
  std::vector<std::string> Strs(const char* key, bool optional = false) {
    std::vector<std::string> out;
    if (optional && j_.is_object() && !j_.contains(key)) {
      known_.insert(key);
      return out;
    }
    const json* v = Get(key, json::value_t::array, "an array of strings");
    if (!v) return out;
    for (size_t i = 0; i < v->size(); ++i) {
      if (!(*v)[i].is_string()) {
        Fail(Where(key) + "[" + std::to_string(i) + "] must be a string");
        return {};
      }
      out.push_back((*v)[i].get<std::string>());
    }
    return out;
  }

  bool Has(const char* key) const { return j_.is_object() && j_.contains(key); }

  // The array at `key`, or null (error recorded).
  const json* Array(const char* key) { return Get(key, json::value_t::array, "an array"); }
  const json* Object(const char* key, bool optional = false) {
    if (optional && j_.is_object() && !j_.contains(key)) {
      known_.insert(key);
      return nullptr;
    }
    return Get(key, json::value_t::object, "an object");
  }

  std::string Where(const std::string& key = "") const {
    if (key.empty()) return path_.empty() ? "plan" : path_;
    return path_.empty() ? key : path_ + "." + key;
  }

  void Fail(const std::string& message) {
    if (error_.ok()) error_ = Status::InvalidInput("plan: " + message);
  }

  void Done() {
    if (!j_.is_object()) return;
    for (const auto& item : j_.items())
      if (!known_.count(item.key())) {
        Fail(Where(item.key()) + ": unknown field");
        return;
      }
  }

 private:
  const json* Get(const char* key, json::value_t type, const char* what) {
    known_.insert(key);
    if (!error_.ok() || !j_.is_object()) return nullptr;
    auto it = j_.find(key);
    if (it == j_.end()) {
      Fail(Where(key) + ": missing field");
      return nullptr;
    }
    const bool ok = type == json::value_t::number_integer ? it->is_number_integer() : it->type() == type;
    if (!ok) {
      Fail(Where(key) + " must be " + what);
      return nullptr;
    }
    return &*it;
  }

  const json& j_;
  std::string path_;
  Status& error_;
  std::set<std::string> known_;
};

template <typename Enum, size_t N>
Enum ReadEnum(ObjectReader& r, const char* key, const Enum (&values)[N], const char* (*name)(Enum)) {
  const std::string text = r.Str(key);
  auto v = ParseEnum(text, values, name);
  if (!v) {
    std::string expected;
    for (Enum e : values) expected += (expected.empty() ? "" : ", ") + std::string(name(e));
    r.Fail(r.Where(key) + ": unknown value '" + text + "' (expected one of: " + expected + ")");
    return values[0];
  }
  return *v;
}

Change ReadChange(const json& j, const std::string& path, Status& error) {
  ObjectReader r(j, path, error);
  Change c;
  c.address = r.Str("address");
  c.action = ReadEnum(r, "action", kActions, ActionName);
  c.kind = ReadEnum(r, "kind", kKinds, ChangeKindName);
  c.slot_or_store = r.Str("slot_or_store");
  c.reason = r.Str("reason");
  c.before = r.Strs("before");
  c.after = r.Strs("after");
  c.before_fingerprint = r.Str("before_fingerprint");
  c.after_fingerprint = r.Str("after_fingerprint");
  c.certificate_pem = r.Str("certificate_pem");
  c.waiting_for = r.Str("waiting_for");
  c.request_pem = r.Str("request_pem");
  c.remove_files = r.Strs("remove_files", /*optional=*/true);
  if (!r.Str("scope", /*optional=*/true).empty()) c.scope = ReadEnum(r, "scope", kScopes, ChangeScopeName);
  c.reaches = r.Strs("reaches", /*optional=*/true);
  c.copies_to = r.Strs("copies_to", /*optional=*/true);
  c.no_rollback = r.Str("no_rollback", /*optional=*/true);
  c.setting_before = r.Str("setting_before", /*optional=*/true);
  c.setting_after = r.Str("setting_after", /*optional=*/true);
  r.Done();
  return c;
}

std::vector<Restart> ReadRestarts(const json& restarts, const std::string& path, Status& error) {
  std::vector<Restart> out;
  for (size_t i = 0; i < restarts.size(); ++i) {
    ObjectReader rr(restarts[i], path + "[" + std::to_string(i) + "]", error);
    Restart restart;
    restart.kind = ReadEnum(rr, "kind", kRestartKinds, RestartKindName);
    restart.target = rr.Str("target");
    restart.because = rr.Str("because");
    restart.expected_seconds = rr.Int("expected_seconds", /*optional=*/true);
    restart.timeout_seconds = rr.Int("timeout_seconds", /*optional=*/true);
    restart.drops_session = rr.Bool("drops_session", /*optional=*/true);
    rr.Done();
    out.push_back(std::move(restart));
  }
  return out;
}

PeerPlan ReadPeer(const json& j, const std::string& path, Status& error) {
  ObjectReader r(j, path, error);
  PeerPlan p;
  p.cluster = r.Str("cluster");
  p.peer = r.Str("peer");
  p.address = r.Str("address");
  p.observed_digest = r.Str("observed_digest");
  p.scoped_stores = r.Strs("scoped_stores", /*optional=*/true);
  p.scoped_digest = r.Str("scoped_digest", /*optional=*/true);
  if (const json* changes = r.Array("changes"))
    for (size_t i = 0; i < changes->size(); ++i)
      p.changes.push_back(ReadChange((*changes)[i], path + ".changes[" + std::to_string(i) + "]", error));
  if (const json* restarts = r.Array("restarts")) p.restarts = ReadRestarts(*restarts, path + ".restarts", error);
  p.follow_ups = r.Strs("follow_ups");
  p.notes = r.Strs("notes");
  if (r.Has("deferred")) {
    if (const json* deferred = r.Array("deferred"))
      for (size_t i = 0; i < deferred->size(); ++i)
        p.deferred.push_back(ReadChange((*deferred)[i], path + ".deferred[" + std::to_string(i) + "]", error));
    if (const json* restarts = r.Array("deferred_restarts"))
      p.deferred_restarts = ReadRestarts(*restarts, path + ".deferred_restarts", error);
    p.deferred_until = r.Str("deferred_until");
  }
  r.Done();
  return p;
}

// A plan is six levels deep (plan, peers, peer, changes, change, before). The
// walks below recurse, so a file nested thousands of levels deep is refused
// first, by a walk that stops at this depth.
constexpr int kMaxPlanDepth = 32;

bool NestedDeeperThan(const json& j, int levels) {
  if (!j.is_structured()) return false;
  if (levels == 0) return true;
  for (const auto& child : j) {
    if (NestedDeeperThan(child, levels - 1)) return true;
  }
  return false;
}

// The path of the first string holding a PEM private key, or "".
template <typename Json>
std::string PrivateKeyIn(const Json& j, const std::string& path) {
  if (j.is_string()) return pki::ContainsPrivateKeyPem(j.template get<std::string>()) ? path : "";
  if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i)
      if (auto p = PrivateKeyIn(j[i], path + "[" + std::to_string(i) + "]"); !p.empty()) return p;
  } else if (j.is_object()) {
    for (const auto& item : j.items())
      if (auto p = PrivateKeyIn(item.value(), path.empty() ? item.key() : path + "." + item.key()); !p.empty())
        return p;
  }
  return "";
}

template <typename Json>
Status RefusePrivateKeys(const Json& j) {
  const std::string where = PrivateKeyIn(j, "");
  if (where.empty()) return Status::Ok();
  return Status::InvalidInput("plan: " + where + " holds a private key; plans never carry private keys");
}

}  // namespace

ojson PlanToJson(const Plan& plan) {
  ojson j;
  j["format_version"] = plan.format_version;
  j["pkiform_version"] = plan.pkiform_version;
  j["created_at"] = plan.created_at;
  j["manifests_digest"] = plan.manifests_digest;
  const PlanSummary s = plan.Summary();
  j["summary"] = ojson{{"add", s.add}, {"change", s.change}, {"remove", s.remove}, {"restarts", s.restarts}};
  if (const int deferred = plan.DeferredCount()) j["summary"]["deferred"] = deferred;
  j["peers"] = ojson::array();
  for (const auto& p : plan.peers) j["peers"].push_back(PeerToJson(p));
  return j;
}

Result<Plan> PlanFromJson(const json& j) {
  if (!j.is_object()) return Status::InvalidInput("plan: the plan must be a JSON object");
  if (NestedDeeperThan(j, kMaxPlanDepth))
    return Status::InvalidInput("plan: values nested deeper than " + std::to_string(kMaxPlanDepth) +
                                " levels; this is not a plan");
  auto version = j.find("format_version");
  if (version == j.end()) return Status::InvalidInput("plan: format_version: missing field");
  if (!version->is_number_integer() || version->get<long long>() != kPlanFormatVersion)
    return Status::InvalidInput("plan: format_version " + version->dump() + " is not supported (this pkiform reads " +
                                std::to_string(kPlanFormatVersion) + ")");
  if (Status s = RefusePrivateKeys(j); !s.ok()) return s;

  Status error;
  ObjectReader r(j, "", error);
  Plan plan;
  plan.format_version = r.Int("format_version");
  plan.pkiform_version = r.Str("pkiform_version");
  plan.created_at = r.Str("created_at");
  plan.manifests_digest = r.Str("manifests_digest");
  const json* summary = r.Object("summary", /*optional=*/true);
  if (const json* peers = r.Array("peers"))
    for (size_t i = 0; i < peers->size(); ++i)
      plan.peers.push_back(ReadPeer((*peers)[i], "peers[" + std::to_string(i) + "]", error));
  r.Done();
  if (summary && error.ok()) {
    ObjectReader sr(*summary, "summary", error);
    PlanSummary written;
    written.add = sr.Int("add");
    written.change = sr.Int("change");
    written.remove = sr.Int("remove");
    written.restarts = sr.Int("restarts");
    const int deferred = sr.Int("deferred", /*optional=*/true);
    sr.Done();
    const PlanSummary actual = plan.Summary();
    if (error.ok() && (written.add != actual.add || written.change != actual.change ||
                       written.remove != actual.remove || written.restarts != actual.restarts ||
                       deferred != plan.DeferredCount()))
      sr.Fail("summary does not agree with the plan's changes and restarts");
  }
  if (!error.ok()) return error;
  return plan;
}

Status WritePlanFile(const Plan& plan, const std::string& path) {
  const ojson j = PlanToJson(plan);
  if (Status s = RefusePrivateKeys(j); !s.ok()) return s;
  const std::string text = j.dump(2, ' ', false, ojson::error_handler_t::replace) + "\n";

  std::string temp = path + ".tmp-XXXXXX";
  const int fd = mkstemp(temp.data());
  if (fd < 0) return Status::IoError(path + ": cannot create a temporary file: " + std::strerror(errno));
  auto fail = [&](const std::string& what) {
    const int e = errno;
    close(fd);
    unlink(temp.c_str());
    return Status::IoError(path + ": " + what + ": " + std::strerror(e));
  };
  if (fchmod(fd, 0600) != 0) return fail("cannot set mode 0600");
  size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = write(fd, text.data() + written, text.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("cannot write");
    }
    written += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0) return fail("cannot sync");
  if (close(fd) != 0) {
    const int e = errno;
    unlink(temp.c_str());
    return Status::IoError(path + ": cannot close: " + std::strerror(e));
  }
  if (rename(temp.c_str(), path.c_str()) != 0) {
    const int e = errno;
    unlink(temp.c_str());
    return Status::IoError(path + ": cannot rename the temporary file into place: " + std::strerror(e));
  }
  return Status::Ok();
}

Result<Plan> ReadPlanFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(path + ": cannot read: " + std::strerror(errno));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const json j = json::parse(buffer.str(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::InvalidInput(path + ": not a plan file (not JSON)");
  auto plan = PlanFromJson(j);
  if (!plan.ok()) return plan.status().WithContext(path);
  return plan;
}

}  // namespace pkiform
