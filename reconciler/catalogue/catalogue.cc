// Lookups over the catalogue structs and the embedded built-in catalogue (catalogue.h).
#include "reconciler/catalogue/catalogue.h"

#include <algorithm>

#include "reconciler/util/embedded.h"

namespace pkiform::catalogue {
namespace {

template <typename T>
bool Has(const std::vector<T>& v, const T& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

bool HasName(const std::vector<std::string>& v, std::string_view x) {
  return v.empty() || std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

std::string RollbackSpec::NoRollbackReason() const {
  switch (identity) {
    case Identity::kRestore: return "";
    case Identity::kNone: return reason.empty() ? "the platform cannot restore the previous identity" : reason;
    case Identity::kUndocumented:
      return reason.empty() ? "the platform's documentation names no way to restore the previous identity" : reason;
  }
  return reason;
}

const RestartTiming* PlatformCatalogue::TimingFor(std::string_view name) const {
  for (const auto& t : restart_times)
    if (t.name == name) return &t;
  return restart_default ? &*restart_default : nullptr;
}

const std::vector<std::string>& RuleRefs::For(std::string_view fact) const {
  static const std::vector<std::string> kNone;
  auto it = by_fact.find(fact);
  return it == by_fact.end() ? kNone : it->second;
}

bool UsageSpec::Requires(KeyUsage u) const { return Has(key_usage, u); }
bool UsageSpec::Requires(ExtendedKeyUsage u) const { return Has(extended_key_usage, u); }

const UsageSpec* SlotSpec::UsageFor(std::string_view node_type, KeyAlgorithm algorithm) const {
  for (const auto& u : usage)
    if (HasName(u.node_types, node_type) && (u.key_algorithms.empty() || Has(u.key_algorithms, algorithm)))
      return &u;
  return nullptr;
}

bool SlotSpec::MultiServerAllowed() const {
  return std::any_of(usage.begin(), usage.end(), [](const UsageSpec& u) { return u.multi_server; });
}

std::vector<RestartSpec> SlotSpec::RestartsFor(std::string_view node_type,
                                               const std::optional<Release>& release) const {
  std::vector<RestartSpec> out;
  for (const auto& r : restarts)
    if ((node_type.empty() || HasName(r.node_types, node_type)) && r.releases.Contains(release))
      out.push_back(r);
  return out;
}

bool FollowUpSpec::AppliesTo(std::string_view slot, ChangeKind change,
                             const std::vector<std::string>& set_flags,
                             const std::optional<Release>& release) const {
  if (!any_slot && std::find(slots.begin(), slots.end(), slot) == slots.end()) return false;
  if (!changes.empty() && !Has(changes, change)) return false;
  for (const auto& f : flags)
    if (std::find(set_flags.begin(), set_flags.end(), f) == set_flags.end()) return false;
  return releases.Contains(release);
}

const KeyAlgorithmLimits* PlatformLimits::For(KeyAlgorithm algorithm) const {
  for (const auto& k : key_algorithms)
    if (k.algorithm == algorithm) return &k;
  return nullptr;
}

bool PlatformLimits::Accepts(CertificateFormat format) const { return Has(certificate_formats, format); }

const SlotSpec* PlatformCatalogue::FindSlot(std::string_view slot_name) const {
  for (const auto& s : slots)
    if (s.name == slot_name) return &s;
  return slot_template && !slot_name.empty() ? &*slot_template : nullptr;
}

const TrustStoreSpec* PlatformCatalogue::FindTrustStore(std::string_view store_name) const {
  for (const auto& t : trust_stores)
    if (t.name == store_name) return &t;
  return trust_store_template && !store_name.empty() ? &*trust_store_template : nullptr;
}

const NodeTypeSpec* PlatformCatalogue::FindNodeType(std::string_view node_type) const {
  for (const auto& n : node_types)
    if (n.name == node_type) return &n;
  return nullptr;
}

std::vector<RestartSpec> PlatformCatalogue::RestartsFor(std::string_view slot_name,
                                                        std::string_view node_type,
                                                        const std::optional<Release>& release) const {
  const SlotSpec* slot = FindSlot(slot_name);
  return slot ? slot->RestartsFor(node_type, release) : std::vector<RestartSpec>{};
}

std::vector<const FollowUpSpec*> PlatformCatalogue::FollowUpsFor(
    std::string_view slot_name, ChangeKind kind, FollowUpSpec::Phase phase,
    const std::vector<std::string>& set_flags, const std::optional<Release>& release) const {
  std::vector<const FollowUpSpec*> out;
  for (const auto& f : follow_ups)
    if (f.phase == phase && f.AppliesTo(slot_name, kind, set_flags, release)) out.push_back(&f);
  return out;
}

const PlatformCatalogue* Catalogue::Find(std::string_view platform) const {
  for (const auto& p : platforms)
    if (p.name == platform) return &p;
  return nullptr;
}

Result<PlatformCatalogue> LoadPlatform(std::string_view name) {
  const std::string file = "schema/platforms/" + std::string(name) + ".yaml";
  auto text = EmbeddedFile(file);
  if (!text)
    return Status::NotFound("no platform catalogue '" + std::string(name) + "' (" + file +
                            " is not embedded)");
  auto p = ParsePlatform(file, *text);
  if (p.ok() && p->name != name)
    return Status::InvalidInput(file + ": platform: '" + p->name + "' does not match the file name");
  return p;
}

const Result<Catalogue>& BuiltinCatalogue() {
  static const Result<Catalogue> kCatalogue = []() -> Result<Catalogue> {
    Catalogue c;
    for (auto name : kPlatformNames) {
      auto p = LoadPlatform(name);
      if (!p.ok()) return p.status();
      c.platforms.push_back(std::move(p).value());
    }
    return c;
  }();
  return kCatalogue;
}

}  // namespace pkiform::catalogue
