// Readers for slots, trust stores, restarts and rule references (spec_parser.h).
#include "reconciler/catalogue/spec_parser.h"

#include <algorithm>
#include <cctype>

namespace pkiform::catalogue::detail {
namespace {

bool Contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

bool HasSlot(const PlatformCatalogue& p, std::string_view name) {
  return std::any_of(p.slots.begin(), p.slots.end(), [&](const SlotSpec& s) { return s.name == name; });
}

bool HasStore(const PlatformCatalogue& p, std::string_view name) {
  return std::any_of(p.trust_stores.begin(), p.trust_stores.end(),
                     [&](const TrustStoreSpec& t) { return t.name == name; });
}

bool ValidRuleId(std::string_view id, std::string_view series) {
  if (series.empty() || id.size() < 2 || id.substr(0, series.size()) != series) return false;
  return std::all_of(id.begin() + series.size(), id.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

// A table cell: Y or N.
bool ReadMark(strict::Map& m, std::string_view key) { return m.Choice(key, {"Y", "N"}) == "Y"; }

// `key: {name: Y|N, ...}` into the Y and N lists, names parsed by `parse`.
template <typename T, typename Parse>
void ReadMarks(strict::Map& m, std::string_view key, Parse parse, std::vector<T>& yes, std::vector<T>& no) {
  YAML::Node n = m.Child(key);
  if (!n.IsDefined() || n.IsNull()) return;
  strict::Map cells(m.errors(), n, m.PathOf(key));
  if (!n.IsMap()) return;
  for (const auto& kv : n) {
    const std::string name = kv.first.Scalar();
    auto usage = parse(name);
    if (!usage) {
      m.errors().Add(kv.first, cells.PathOf(name), "unknown usage name", true);
      cells.Has(name);  // reported here, not again as an unknown key
      continue;
    }
    (ReadMark(cells, name) ? yes : no).push_back(*usage);
  }
  cells.Finish();
}

UsageSpec ReadUsage(const YAML::Node& node, const std::string& path, const SlotSpec& slot,
                    const ParseContext& ctx) {
  strict::Map m(ctx.errors, node, path);
  UsageSpec u;
  u.source = m.String("source");
  u.node_types = ReadNodeTypes(m, "nodeTypes", ctx);
  for (const auto& nt : u.node_types)
    if (!Contains(slot.node_types, nt))
      ctx.errors.Add(m.Child("nodeTypes"), m.PathOf("nodeTypes"),
                     "'" + nt + "' is not a node type of the slot");
  for (const auto& a : m.Strings("keyAlgorithms")) {
    auto alg = ParseKeyAlgorithm(a);
    if (!alg || (slot.key_algorithm && *alg != *slot.key_algorithm))
      ctx.errors.Add(m.Child("keyAlgorithms"), m.PathOf("keyAlgorithms"),
                     "'" + a + "' is not a key algorithm of the slot");
    else
      u.key_algorithms.push_back(*alg);
  }
  u.multi_server = ReadMark(m, "multiServer");
  ReadMarks(m, "extendedKeyUsage", ParseExtendedKeyUsage, u.extended_key_usage,
            u.extended_key_usage_marked_no);
  ReadMarks(m, "keyUsage", ParseKeyUsage, u.key_usage, u.key_usage_marked_no);
  m.Finish();
  return u;
}

}  // namespace

std::vector<std::string> ReadRuleIds(strict::Map& m, std::string_view key, const ParseContext& ctx) {
  std::vector<std::string> ids = m.Strings(key);
  for (const auto& id : ids)
    if (!ValidRuleId(id, ctx.platform.rule_series))
      ctx.errors.Add(m.Child(key), m.PathOf(key),
                     "'" + id + "' is not a rule id of this platform's seed (series '" +
                         ctx.platform.rule_series + "')");
  return ids;
}

RuleRefs ReadRules(strict::Map& m, const ParseContext& ctx, std::string_view prefix) {
  RuleRefs refs;
  YAML::Node n = m.Child("rules");
  if (!n.IsDefined() || n.IsNull()) return refs;
  strict::Map rules(ctx.errors, n, m.PathOf("rules"));
  if (!n.IsMap()) return refs;
  for (const auto& kv : n) {
    const std::string fact = kv.first.Scalar();
    if (fact == "rules" || !m.Knows(fact)) {
      ctx.errors.Add(kv.first, rules.PathOf(fact), "names no fact of " + m.path(), true);
      rules.Has(fact);  // reported here, not again as an unknown key
      continue;
    }
    refs.by_fact[std::string(prefix) + fact] = ReadRuleIds(rules, fact, ctx);
  }
  rules.Finish();
  return refs;
}

ReleaseRange ReadReleaseRange(strict::Map& m) {
  ReleaseRange r;
  for (const char* key : {"since", "before"}) {
    if (!m.Has(key)) continue;
    auto rel = ParseRelease(m.String(key));
    if (!rel.ok())
      m.errors().Add(m.Child(key), m.PathOf(key), rel.status().message());
    else
      (std::string_view(key) == "since" ? r.since : r.before) = *rel;
  }
  return r;
}

std::vector<std::string> ReadNodeTypes(strict::Map& m, std::string_view key, const ParseContext& ctx) {
  std::vector<std::string> types = m.Strings(key);
  for (const auto& t : types)
    if (!ctx.platform.FindNodeType(t))
      ctx.errors.Add(m.Child(key), m.PathOf(key), "'" + t + "' is not declared in nodeTypes");
  return types;
}

std::vector<RestartSpec> ReadRestarts(strict::Map& m, bool& documented, const ParseContext& ctx) {
  std::vector<RestartSpec> out;
  YAML::Node n = m.Child("restarts");
  documented = true;
  if (!n.IsDefined() || n.IsNull()) {
    ctx.errors.Add(m.node(), m.PathOf("restarts"), "required key is missing (a list, or 'undocumented')");
    return out;
  }
  if (n.IsScalar()) {
    if (n.Scalar() != "undocumented")
      ctx.errors.Add(n, m.PathOf("restarts"), "expected a list or the word 'undocumented'");
    documented = false;
    return out;
  }
  strict::ForEach(ctx.errors, n, m.PathOf("restarts"), [&](const YAML::Node& e, const std::string& p) {
    strict::Map r(ctx.errors, e, p);
    RestartSpec s;
    const bool service = r.Has("service"), appliance = r.Has("appliance"), reload = r.Has("reload");
    if (service + appliance + reload != 1)
      ctx.errors.Add(e, p, "give exactly one of service, appliance, reload");
    if (service) s.name = r.String("service");
    if (appliance) s.kind = RestartSpec::Kind::kAppliance, s.name = r.String("appliance");
    if (reload) {
      const std::string whose = r.Choice("reload", {"slot", "store", "crl"});
      s.kind = whose == "slot"    ? RestartSpec::Kind::kSlotReload
               : whose == "store" ? RestartSpec::Kind::kStoreUpdate
                                  : RestartSpec::Kind::kCrlUpdate;
    }
    s.document_name = r.String("documentName", "");
    s.node_types = ReadNodeTypes(r, "nodeTypes", ctx);
    s.releases = ReadReleaseRange(r);
    r.Finish();
    out.push_back(std::move(s));
  });
  return out;
}

SlotSpec ReadSlot(const YAML::Node& node, const std::string& path, bool is_template,
                  const ParseContext& ctx) {
  strict::Map m(ctx.errors, node, path);
  SlotSpec s;
  if (!is_template) s.name = m.String("name");
  s.description = m.String("description", "");
  const std::string alg = m.Choice("keyAlgorithm", {"rsa", "ec", "any"});
  if (alg != "any") s.key_algorithm = ParseKeyAlgorithm(alg);
  if (m.Has("caSignature")) s.ca_signature = ParseKeyAlgorithm(m.Choice("caSignature", {"rsa", "ec"}));
  s.twin_of = m.String("twinOf", "");
  if (!s.twin_of.empty() && (s.twin_of == s.name || !HasSlot(ctx.platform, s.twin_of)))
    ctx.errors.Add(m.Child("twinOf"), m.PathOf("twinOf"), "'" + s.twin_of + "' is not a slot listed above");
  s.node_types = ReadNodeTypes(m, "nodeTypes", ctx);
  if (s.node_types.empty())
    ctx.errors.Add(node, m.PathOf("nodeTypes"), "a slot needs at least one node type");
  s.placement = m.Choice("placement", {"everyNode", "publisher"}) == "publisher" ? Placement::kPublisher
                                                                                 : Placement::kEveryNode;
  s.trust_store = m.String("trustStore");
  if (s.trust_store == "none") s.trust_store.clear();
  const bool user_store = s.trust_store == "user" && ctx.platform.trust_store_template;
  if (!s.trust_store.empty() && !user_store && !HasStore(ctx.platform, s.trust_store))
    ctx.errors.Add(m.Child("trustStore"), m.PathOf("trustStore"),
                   "'" + s.trust_store + "' is not a trust store of the platform");
  const std::string chain = m.Choice("chainDelivery", {"trustStoreFirst", "withIdentity", "files"});
  s.chain_delivery = chain == "files"          ? ChainDelivery::kFiles
                     : chain == "withIdentity" ? ChainDelivery::kWithIdentity
                                               : ChainDelivery::kTrustStoreFirst;
  s.csr = m.Bool("csr");
  s.system_self_signed = m.Bool("systemSelfSigned");
  s.deletable = m.Bool("deletable");
  strict::ForEach(
      ctx.errors, m.Child("usage"), m.PathOf("usage"),
      [&](const YAML::Node& e, const std::string& p) { s.usage.push_back(ReadUsage(e, p, s, ctx)); });
  s.restarts = ReadRestarts(m, s.restarts_documented, ctx);
  if (m.Has("verify")) {
    strict::Map v(ctx.errors, m.Child("verify"), m.PathOf("verify"));
    VerifySpec spec;
    spec.port = v.Int("port", 0);
    spec.peer_https_port = v.Bool("peerHttpsPort", false);
    spec.signature_algorithms = v.String("signatureAlgorithms", "");
    spec.starttls = v.Choice("starttls", {"none", "xmpp-client", "xmpp-server"}, "none");
    if (spec.starttls == "none") spec.starttls.clear();
    v.Finish();
    if (spec.port <= 0 || spec.port > 65535) ctx.errors.Add(m.Child("verify"), m.PathOf("verify"), "port must be 1..65535");
    s.verify = spec;
  }
  s.rules = ReadRules(m, ctx);
  m.Finish();
  return s;
}

TrustStoreSpec ReadTrustStore(const YAML::Node& node, const std::string& path, bool is_template,
                              const ParseContext& ctx) {
  strict::Map m(ctx.errors, node, path);
  TrustStoreSpec t;
  if (!is_template) t.name = m.String("name");
  t.description = m.String("description", "");
  t.node_types = ReadNodeTypes(m, "nodeTypes", ctx);
  auto scope = [&](std::string_view key) {
    const std::string v = m.Choice(key, {"cluster", "node", "undocumented"});
    return v == "cluster" ? Scope::kCluster : v == "node" ? Scope::kNode : Scope::kUndocumented;
  };
  t.replication = scope("replication");
  t.deletion = scope("deletion");
  t.deletable = m.Bool("deletable");
  t.append = m.Bool("append", true);
  t.same_subject = m.Choice("sameSubject", {"deleteFirst", "undocumented"}, "undocumented") == "deleteFirst"
                       ? SameSubject::kDeleteFirst
                       : SameSubject::kUndocumented;
  t.reset_to_default = m.Bool("resetToDefault", false);
  t.copies_to = m.Strings("copiesTo");
  for (const auto& c : t.copies_to)
    if (!HasStore(ctx.platform, c) || c == t.name)
      ctx.errors.Add(m.Child("copiesTo"), m.PathOf("copiesTo"),
                     "'" + c + "' is not a trust store listed above");
  t.restarts = ReadRestarts(m, t.restarts_documented, ctx);
  t.rules = ReadRules(m, ctx);
  m.Finish();
  return t;
}

CrlFileSpec ReadCrlFile(const YAML::Node& node, const std::string& path, const ParseContext& ctx) {
  strict::Map m(ctx.errors, node, path);
  CrlFileSpec f;
  f.description = m.String("description", "");
  f.location = m.String("location", "");
  bool documented = true;
  f.restarts = ReadRestarts(m, documented, ctx);
  if (!documented) ctx.errors.Add(m.Child("restarts"), m.PathOf("restarts"), "a CRL file's restarts must be listed");
  m.Finish();
  return f;
}

}  // namespace pkiform::catalogue::detail
