// ParsePlatform: one schema/platforms/<name>.yaml file into a PlatformCatalogue.
//
// Top-level keys, read in this order so that references point upward:
//   platform, displayName, seed, seedTitle, ruleSeries, nodeTypes, flags, limits,
//   trustStores, trustStoreTemplate, crlFile, slots, slotTemplate, followUps.
#include <algorithm>

#include "reconciler/catalogue/catalogue.h"
#include "reconciler/catalogue/spec_parser.h"
#include "reconciler/manifest/duration.h"

namespace pkiform::catalogue {
namespace {

using detail::ParseContext;

void Merge(RuleRefs& into, const RuleRefs& from) {
  for (const auto& [fact, ids] : from.by_fact) into.by_fact[fact] = ids;
}

KeyAlgorithmLimits ReadKeyAlgorithm(const YAML::Node& n, const std::string& path, strict::Errors& errors) {
  strict::Map m(errors, n, path);
  KeyAlgorithmLimits k;
  k.algorithm = m.Choice("algorithm", {"rsa", "ec"}) == "ec" ? KeyAlgorithm::kEc : KeyAlgorithm::kRsa;
  k.sizes = m.Ints("sizes");
  k.self_signed_sizes = m.Ints("selfSignedSizes");
  k.curves = m.Strings("curves");
  k.min_bits = m.Int("minBits", 0);
  k.max_recommended_bits = m.Int("maxRecommendedBits", 0);
  m.Finish();
  return k;
}

CertificateFormat ToFormat(const std::string& s) {
  return s == "der"         ? CertificateFormat::kDer
         : s == "pkcs7-pem" ? CertificateFormat::kPkcs7Pem
                            : CertificateFormat::kPem;
}

PlatformLimits ReadLimits(strict::Map& top, const ParseContext& ctx) {
  strict::Map m(ctx.errors, top.Child("limits"), "limits");
  PlatformLimits l;
  strict::ForEach(ctx.errors, m.Child("keyAlgorithms"), m.PathOf("keyAlgorithms"),
                  [&](const YAML::Node& e, const std::string& p) {
                    l.key_algorithms.push_back(ReadKeyAlgorithm(e, p, ctx.errors));
                  });
  for (const auto& f : m.Strings("certificateFormats")) {
    if (f != "pem" && f != "der" && f != "pkcs7-pem")
      ctx.errors.Add(m.Child("certificateFormats"), m.PathOf("certificateFormats"),
                     "'" + f + "' is not one of: pem, der, pkcs7-pem");
    l.certificate_formats.push_back(ToFormat(f));
  }
  if (m.Has("csrFormat")) l.csr_format = ToFormat(m.Choice("csrFormat", {"pem", "der"}));
  l.one_certificate_per_file = m.Bool("oneCertificatePerFile");
  l.no_trailing_blank_lines = m.Bool("noTrailingBlankLines", false);

  strict::Map key(ctx.errors, m.Child("privateKey"), m.PathOf("privateKey"));
  l.private_key_upload = key.Bool("upload");
  l.private_key_must_be_unencrypted = key.Bool("mustBeUnencrypted", false);
  l.private_key_refused_while_csr_pending = key.Bool("refusedWhileCsrPending", false);
  l.private_key_trailing_newline = key.Bool("trailingNewline", false);
  Merge(l.rules, detail::ReadRules(key, ctx, "privateKey."));
  key.Finish();

  strict::Map csr(ctx.errors, m.Child("csr"), m.PathOf("csr"));
  l.csr_on_appliance = csr.Bool("onAppliance");
  l.csr_scope =
      csr.Choice("scope", {"appliance", "slot"}) == "appliance" ? CsrScope::kAppliance : CsrScope::kSlot;
  l.while_csr_pending = csr.Choice("whilePending", {"overwrite", "discardFirst"}) == "discardFirst"
                            ? WhileCsrPending::kDiscardFirst
                            : WhileCsrPending::kOverwrite;
  Merge(l.rules, detail::ReadRules(csr, ctx, "csr."));
  csr.Finish();

  if (m.Has("selfSignedValidity")) {
    strict::Map v(ctx.errors, m.Child("selfSignedValidity"), m.PathOf("selfSignedValidity"));
    l.self_signed_validity_unit = v.Choice("unit", {"months", "days"});
    l.self_signed_validity_min = v.Int("min", 0);
    l.self_signed_validity_max = v.Int("max", 0);
    l.self_signed_new_key = v.Bool("newKey", false);
    if (l.self_signed_validity_min < 1 || l.self_signed_validity_max < l.self_signed_validity_min)
      ctx.errors.Add(m.Child("selfSignedValidity"), v.path(), "needs 1 <= min <= max");
    v.Finish();
  }

  strict::Map subj(ctx.errors, m.Child("subject"), m.PathOf("subject"));
  const std::string wc = subj.Choice("wildcards", {"allowed", "refusedInCn", "refused"});
  l.wildcards = wc == "refused"       ? Wildcards::kRefused
                : wc == "refusedInCn" ? Wildcards::kRefusedInCn
                                      : Wildcards::kAllowed;
  l.require_cn = subj.Bool("requireCn");
  l.forbidden_subject_characters = subj.String("forbiddenCharacters", "");
  l.forbidden_in_fields = subj.Strings("forbiddenInFields");
  l.country_from_iana_table = subj.Choice("countryTable", {"iana", "none"}) == "iana";
  Merge(l.rules, detail::ReadRules(subj, ctx, "subject."));
  subj.Finish();

  if (m.Has("multiSanCliUploadBefore")) {
    auto r = ParseRelease(m.String("multiSanCliUploadBefore"));
    if (!r.ok())
      ctx.errors.Add(m.Child("multiSanCliUploadBefore"), m.PathOf("multiSanCliUploadBefore"),
                     r.status().message());
    else
      l.multi_san_cli_upload_before = *r;
  }
  Merge(l.rules, detail::ReadRules(m, ctx));
  m.Finish();
  return l;
}

FollowUpSpec ReadFollowUp(const YAML::Node& n, const std::string& path, const ParseContext& ctx) {
  strict::Map m(ctx.errors, n, path);
  FollowUpSpec f;
  f.id = m.String("id");
  f.text = m.String("text");
  f.phase = m.Choice("phase", {"before", "after"}) == "before" ? FollowUpSpec::Phase::kBefore
                                                               : FollowUpSpec::Phase::kAfter;
  strict::Map when(ctx.errors, m.Child("when"), m.PathOf("when"));
  f.any_slot = when.Bool("anySlot", false);
  f.slots = when.Strings("slots");
  if (f.any_slot == !f.slots.empty())
    ctx.errors.Add(m.Child("when"), when.path(), "give either slots or anySlot: true");
  for (const auto& s : f.slots)
    if (std::none_of(ctx.platform.slots.begin(), ctx.platform.slots.end(),
                     [&](const SlotSpec& x) { return x.name == s; }))
      ctx.errors.Add(when.Child("slots"), when.PathOf("slots"), "'" + s + "' is not a slot of the platform");
  f.flags = when.Strings("flags");
  for (const auto& fl : f.flags)
    if (std::none_of(ctx.platform.flags.begin(), ctx.platform.flags.end(),
                     [&](const FlagSpec& x) { return x.name == fl; }))
      ctx.errors.Add(when.Child("flags"), when.PathOf("flags"), "'" + fl + "' is not declared in flags");
  for (const auto& c : when.Strings("changes")) {
    if (c == "install")
      f.changes.push_back(ChangeKind::kInstall);
    else if (c == "regenerate")
      f.changes.push_back(ChangeKind::kRegenerate);
    else if (c == "restore")
      f.changes.push_back(ChangeKind::kRestore);
    else
      ctx.errors.Add(when.Child("changes"), when.PathOf("changes"),
                     "'" + c + "' is not one of: install, regenerate, restore");
  }
  f.releases = detail::ReadReleaseRange(when);
  when.Finish();
  f.rules = detail::ReadRuleIds(m, "rules", ctx);
  f.source = m.String("source", "");
  if (f.rules.empty() && f.source.empty()) ctx.errors.Add(n, path, "a follow-up needs rules or a source");
  m.Finish();
  return f;
}

template <typename T>
void CheckUnique(const std::vector<T>& items, std::string (*key)(const T&), const YAML::Node& list,
                 const std::string& path, strict::Errors& errors) {
  for (size_t i = 0; i < items.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (key(items[i]) == key(items[j]))
        errors.Add(list[i], path + "[" + std::to_string(i) + "]", "'" + key(items[i]) + "' is listed twice");
}

}  // namespace

Result<PlatformCatalogue> ParsePlatform(std::string_view file, std::string_view text) {
  strict::Errors errors{std::string(file)};
  std::optional<YAML::Node> document = strict::LoadDocument(text, errors);
  if (!document) return errors.status();
  const YAML::Node& root = *document;
  PlatformCatalogue p;
  ParseContext ctx{errors, p};
  strict::Map m(errors, root, "");
  p.name = m.String("platform");
  p.display_name = m.String("displayName");
  p.seed = m.String("seed", "");
  p.seed_title = m.String("seedTitle", "");
  p.rule_series = m.String("ruleSeries", "");
  strict::ForEach(errors, m.Child("nodeTypes"), "nodeTypes",
                  [&](const YAML::Node& e, const std::string& path) {
                    strict::Map n(errors, e, path);
                    p.node_types.push_back({n.String("name"), n.String("displayName")});
                    n.Finish();
                  });
  if (p.node_types.empty()) errors.Add(root, "nodeTypes", "at least one node type is needed");
  CheckUnique<NodeTypeSpec>(
      p.node_types, [](const NodeTypeSpec& n) { return n.name; }, m.Child("nodeTypes"), "nodeTypes", errors);
  strict::ForEach(errors, m.Child("flags"), "flags", [&](const YAML::Node& e, const std::string& path) {
    strict::Map n(errors, e, path);
    p.flags.push_back({n.String("name"), n.String("description")});
    n.Finish();
  });
  CheckUnique<FlagSpec>(
      p.flags, [](const FlagSpec& f) { return f.name; }, m.Child("flags"), "flags", errors);
  p.limits = ReadLimits(m, ctx);
  if (m.Has("restartTimes")) {
    strict::Map times(errors, m.Child("restartTimes"), "restartTimes");
    auto read = [&](const YAML::Node& e, const std::string& path, bool named) {
      strict::Map t(errors, e, path);
      RestartTiming r;
      if (named) r.name = t.String("name");
      r.expected_seconds = t.Int("expectedSeconds", 0);
      r.timeout_seconds = t.Int("timeoutSeconds", 0);
      r.drops_session = t.Bool("dropsSession", false);
      t.Finish();
      if (r.timeout_seconds <= 0 || r.expected_seconds < 0 || r.expected_seconds > r.timeout_seconds)
        errors.Add(e, path, "timeoutSeconds must be positive and at least expectedSeconds");
      return r;
    };
    if (times.Has("default")) p.restart_default = read(times.Child("default"), "restartTimes.default", false);
    strict::ForEach(errors, times.Child("services"), "restartTimes.services",
                    [&](const YAML::Node& e, const std::string& path) { p.restart_times.push_back(read(e, path, true)); });
    times.Finish();
    CheckUnique<RestartTiming>(
        p.restart_times, [](const RestartTiming& t) { return t.name; }, times.Child("services"),
        "restartTimes.services", errors);
  }
  if (m.Has("rollback")) {
    strict::Map r(errors, m.Child("rollback"), "rollback");
    const std::string identity = r.Choice("identity", {"restore", "none", "undocumented"});
    p.rollback.identity = identity == "restore" ? RollbackSpec::Identity::kRestore
                          : identity == "none"  ? RollbackSpec::Identity::kNone
                                                : RollbackSpec::Identity::kUndocumented;
    p.rollback.how = r.String("how", "");
    p.rollback.reason = r.String("reason", "");
    p.rollback.rules = r.Strings("rules");
    r.Finish();
    if (p.rollback.CanRestore() && p.rollback.how.empty())
      errors.Add(m.Child("rollback"), "rollback.how", "say how the previous identity is restored");
    if (!p.rollback.CanRestore() && p.rollback.reason.empty())
      errors.Add(m.Child("rollback"), "rollback.reason", "say why the previous identity cannot be restored");
  }
  strict::ForEach(errors, m.Child("trustStores"), "trustStores",
                  [&](const YAML::Node& e, const std::string& path) {
                    p.trust_stores.push_back(detail::ReadTrustStore(e, path, false, ctx));
                  });
  CheckUnique<TrustStoreSpec>(
      p.trust_stores, [](const TrustStoreSpec& t) { return t.name; }, m.Child("trustStores"), "trustStores",
      errors);
  if (m.Has("trustStoreTemplate"))
    p.trust_store_template =
        detail::ReadTrustStore(m.Child("trustStoreTemplate"), "trustStoreTemplate", true, ctx);
  if (m.Has("crlFile")) p.crl_file = detail::ReadCrlFile(m.Child("crlFile"), "crlFile", ctx);
  strict::ForEach(errors, m.Child("slots"), "slots", [&](const YAML::Node& e, const std::string& path) {
    p.slots.push_back(detail::ReadSlot(e, path, false, ctx));
  });
  CheckUnique<SlotSpec>(
      p.slots, [](const SlotSpec& s) { return s.name; }, m.Child("slots"), "slots", errors);
  if (m.Has("slotTemplate"))
    p.slot_template = detail::ReadSlot(m.Child("slotTemplate"), "slotTemplate", true, ctx);
  if (p.slots.empty() && !p.slot_template)
    errors.Add(root, "slots", "a platform needs slots or a slotTemplate");
  strict::ForEach(errors, m.Child("followUps"), "followUps",
                  [&](const YAML::Node& e, const std::string& path) {
                    p.follow_ups.push_back(ReadFollowUp(e, path, ctx));
                  });
  CheckUnique<FollowUpSpec>(
      p.follow_ups, [](const FollowUpSpec& f) { return f.id; }, m.Child("followUps"), "followUps", errors);
  strict::ForEach(errors, m.Child("settings"), "settings", [&](const YAML::Node& e, const std::string& path) {
    strict::Map n(errors, e, path);
    SettingSpec setting;
    setting.name = n.String("name");
    setting.from = n.Choice("from", kSettingSources);
    setting.rules = n.Strings("rules");
    for (auto [key, out] : {std::pair{"step", &setting.step}, std::pair{"min", &setting.min},
                            std::pair{"max", &setting.max}}) {
      if (!n.Has(key)) continue;
      auto d = ParseDuration(n.String(key));
      if (!d || d->length.count() <= 0) errors.Add(n.Child(key), n.PathOf(key), "must be a positive duration (1h, 30d)");
      else *out = d->length;
    }
    if ((setting.step || setting.min || setting.max) && setting.from != kSettingSources[3] && setting.from != kSettingSources[4] &&
        setting.from != kSettingSources[5])
      errors.Add(e, path, "step, min and max apply to duration settings only");
    n.Finish();
    p.settings.push_back(std::move(setting));
  });
  CheckUnique<SettingSpec>(
      p.settings, [](const SettingSpec& s) { return s.name; }, m.Child("settings"), "settings", errors);
  m.Finish();
  // Every key algorithm a slot uses must have limits.
  auto check_alg = [&](const SlotSpec& s, const std::string& path) {
    if (s.key_algorithm && !p.limits.For(*s.key_algorithm))
      errors.Add(
          root, path,
          "key algorithm '" + std::string(Name(*s.key_algorithm)) + "' has no entry in limits.keyAlgorithms");
  };
  for (const auto& s : p.slots) check_alg(s, "slots." + s.name + ".keyAlgorithm");
  if (errors.failed()) return errors.status();
  return p;
}

}  // namespace pkiform::catalogue
