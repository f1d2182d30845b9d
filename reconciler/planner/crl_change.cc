// The CRL file change (crl_change.h).
#include "reconciler/planner/crl_change.h"

#include <utility>

#include "reconciler/pki/crl_bundle.h"
#include "reconciler/pki/digest.h"

namespace pkiform::planner {
namespace {

// One CRL of the file to write, and whether it is the host's own (newer than the repository's).
struct BundleEntry {
  pki::Crl crl;
  bool kept_from_host = false;
};

// "2026-06-01", or the full time when both moments fall on the same day (so "<" reads true).
std::pair<std::string, std::string> Dates(pki::TimePoint a, pki::TimePoint b) {
  if (pki::FormatDate(a) != pki::FormatDate(b)) return {pki::FormatDate(a), pki::FormatDate(b)};
  return {pki::FormatRfc3339Utc(a), pki::FormatRfc3339Utc(b)};
}

// "thisUpdate 2026-05-01 < 2026-06-01" or "CRL number 3 < 5 (thisUpdate ...)": why `older` is older.
std::string WhyOlder(const pki::Crl& older, const pki::Crl& newer) {
  auto [o, n] = Dates(older.ThisUpdate(), newer.ThisUpdate());
  if (older.Number() && newer.Number())
    return "CRL number " + *older.Number() + " < " + *newer.Number() + " (thisUpdate " + o + ", " + n + ")";
  return "thisUpdate " + o + " < " + n;
}

// One line per CRL:
// "CN=Fleet Root CA, O=Example Ltd: thisUpdate 2026-06-01, nextUpdate 2026-07-01, 2 revoked, number 7".
std::string DescribeCrl(const pki::Crl& crl) {
  std::string line = crl.Issuer().ToString() + ": thisUpdate " + pki::FormatDate(crl.ThisUpdate());
  line += ", nextUpdate " + (crl.NextUpdate() ? pki::FormatDate(*crl.NextUpdate()) : std::string("none"));
  line += ", " + std::to_string(crl.RevokedSerials().size()) + " revoked";
  if (auto number = crl.Number()) line += ", number " + *number;
  return line;
}

// The newest CRL of `issuer`'s name among `crls`, or null.
const pki::Crl* NewestOf(const std::vector<pki::Crl>& crls, const pki::Crl& issuer) {
  const pki::Crl* best = nullptr;
  for (const auto& c : crls)
    if (c.SameIssuer(issuer) && (!best || pki::CompareCrlAge(c, *best) > 0)) best = &c;
  return best;
}

// The repository's CRLs, one per issuer (the newest), in the order the issuers first appear.
std::vector<pki::Crl> OnePerIssuer(const std::vector<pki::Crl>& desired) {
  std::vector<pki::Crl> out;
  for (const auto& c : desired) {
    bool seen = false;
    for (const auto& o : out) seen = seen || o.SameIssuer(c);
    if (!seen) out.push_back(*NewestOf(desired, c));
  }
  return out;
}

std::string JoinIssuers(const std::vector<pki::Crl>& crls) {
  std::string out;
  for (size_t i = 0; i < crls.size(); ++i)
    out += (i == 0 ? "" : i + 1 == crls.size() ? " and " : ", ") + crls[i].Issuer().ToString();
  return out;
}

}  // namespace

std::string CrlAddress(const std::string& cluster, const std::string& peer, const std::string& path) {
  return cluster + "/" + peer + "/crl/" + path;
}

CrlDecision PlanCrlFile(const std::string& cluster, const std::string& peer, const CrlSettings& settings,
                        const std::vector<pki::Crl>& desired, const ObservedCrl* observed, pki::TimePoint now) {
  CrlDecision d;
  const bool file_exists = observed && observed->pem.has_value();
  std::vector<pki::Crl> present;
  std::string unreadable;
  if (file_exists && observed->pem->find_first_not_of(" \t\r\n") != std::string::npos) {
    auto parsed = pki::ParseCrlBundle(*observed->pem);
    if (parsed.ok()) present = std::move(parsed).value();
    else unreadable = parsed.status().message();
  }

  std::vector<BundleEntry> bundle;
  std::vector<std::string> reasons;
  std::vector<pki::Crl> missing;
  for (const auto& want : OnePerIssuer(desired)) {
    const pki::Crl* have = NewestOf(present, want);
    const std::string who = "CRL of " + want.Issuer().ToString();
    if (!have) {
      missing.push_back(want);
      bundle.push_back({want, false});
    } else if (pki::CompareCrlAge(*have, want) < 0) {
      reasons.push_back(who + " is older on the host: " + WhyOlder(*have, want));
      bundle.push_back({want, false});
    } else if (pki::CompareCrlAge(*have, want) > 0) {
      d.notes.push_back(who + " in " + settings.path + " is newer on the host than in the repository (" +
                        WhyOlder(want, *have) + "): kept; commit the newer CRL to the repository");
      bundle.push_back({*have, true});
    } else {
      bundle.push_back({want, false});
    }
  }
  for (const auto& entry : bundle)
    if (auto next = entry.crl.NextUpdate(); next && now > *next)
      d.notes.push_back("warning: CRL of " + entry.crl.Issuer().ToString() + " for " + settings.path +
                        " passed its nextUpdate on " + pki::FormatDate(*next) +
                        ": services that check it treat every certificate of that CA as revoked; publish a new CRL");

  if (!missing.empty()) {
    const bool one = missing.size() == 1;
    const std::string what = (one ? "CRL of " : "CRLs of ") + JoinIssuers(missing);
    std::string why = !file_exists          ? "no CRL file on the host (for the " + what + ")"
                      : !unreadable.empty() ? "the file on the host cannot be read as CRLs: " + unreadable
                                            : what + (one ? " is" : " are") + " not on the host";
    reasons.insert(reasons.begin(), std::move(why));
  }
  if (reasons.empty()) return d;

  Change change;
  change.address = CrlAddress(cluster, peer, settings.path);
  change.action = file_exists ? Action::kUpdate : Action::kCreate;
  change.kind = ChangeKind::kCrl;
  change.slot_or_store = settings.path;
  for (size_t i = 0; i < reasons.size(); ++i) change.reason += (i ? "; " : "") + reasons[i];
  if (!unreadable.empty()) change.before.push_back("unreadable: " + unreadable);
  for (const auto& c : present) {
    bool listed = false;
    for (const auto& e : bundle) listed = listed || e.crl.SameIssuer(c);
    change.before.push_back(DescribeCrl(c) + (listed ? "" : " (issuer not in the manifest: dropped)"));
  }
  if (file_exists && present.empty() && unreadable.empty()) change.before.push_back("no CRL (empty file)");
  std::vector<pki::Crl> crls;
  for (const auto& e : bundle) {
    change.after.push_back(DescribeCrl(e.crl) + (e.kept_from_host ? " (kept: newer on the host)" : ""));
    crls.push_back(e.crl);
  }
  change.certificate_pem = pki::CrlBundlePem(crls);
  if (file_exists) change.before_fingerprint = pki::Sha256Fingerprint(*observed->pem);
  change.after_fingerprint = pki::Sha256Fingerprint(change.certificate_pem);
  d.change = std::move(change);
  return d;
}

Result<std::vector<pki::Crl>> CrlFiles::For(const Cluster& cluster) {
  std::vector<pki::Crl> out;
  if (!cluster.revocation || !cluster.revocation->crl) return out;
  for (const auto& ref : cluster.revocation->crl->upload) {
    auto cached = parsed_.find(ref.path);
    if (cached == parsed_.end()) {
      const std::string where = cluster.name + ": revocation.crl.upload: " + ref.written;
      auto text = texts_.find(ref.path);
      if (text == texts_.end()) return Status::NotFound(where + ": file not read (" + ref.path + ")");
      auto crls = pki::ParseCrlBundle(text->second);
      if (!crls.ok()) return crls.status().WithContext(where);
      cached = parsed_.emplace(ref.path, std::move(crls).value()).first;
    }
    out.insert(out.end(), cached->second.begin(), cached->second.end());
  }
  return out;
}

std::optional<Change> PlanCrlRemoval(const Cluster& cluster, const catalogue::PlatformCatalogue* platform,
                                     const Peer& peer, const Actual& actual, const Target& target, bool& matched) {
  // rule V11: an uploaded CRL can be removed; `upload: []` says the manifest wants none.
  if (!cluster.revocation || !cluster.revocation->crl || !platform || !platform->crl_file) return std::nullopt;
  const CrlSettings& crl = *cluster.revocation->crl;
  const std::string& location = platform->crl_file->location;
  if (location.empty() || !crl.upload.empty() || !crl.fields.count("upload")) return std::nullopt;
  if (!target.Item(cluster.name, peer.fqdn, "crl") && !target.Item(cluster.name, peer.fqdn, location) &&
      !target.Item(cluster.name, peer.fqdn, "crl/" + location))
    return std::nullopt;
  matched = true;
  const ObservedCrl* observed = actual.FindCrl(location);
  if (!observed || !observed->pem) return std::nullopt;
  Change change;
  change.address = CrlAddress(cluster.name, peer.fqdn, location);
  change.action = Action::kDelete;
  change.kind = ChangeKind::kCrl;
  change.slot_or_store = location;
  change.reason = "revocation.crl.upload is empty: the uploaded CRL is removed (V11)";
  if (auto parsed = pki::ParseCrlBundle(*observed->pem); parsed.ok())
    for (const auto& c : *parsed) change.before.push_back(DescribeCrl(c));
  else
    change.before.push_back("unreadable: " + parsed.status().message());
  change.before_fingerprint = pki::Sha256Fingerprint(*observed->pem);
  return change;
}

std::string CrlLocation(const Cluster& cluster, const catalogue::PlatformCatalogue* platform) {
  if (!cluster.revocation || !cluster.revocation->crl) return "";
  const CrlSettings& crl = *cluster.revocation->crl;
  if (!crl.path.empty()) return crl.path;
  if (crl.upload.empty() || !platform || !platform->crl_file) return "";
  return platform->crl_file->location;
}

Status PlanPeerCrlFile(const Cluster& cluster, const catalogue::PlatformCatalogue* platform, const Peer& peer,
                       const Actual& actual, const Target& target, pki::TimePoint now, CrlFiles& files,
                       bool& matched, PeerPlan& out) {
  if (auto removal = PlanCrlRemoval(cluster, platform, peer, actual, target, matched)) {
    out.changes.push_back(std::move(*removal));
    return Status::Ok();
  }
  const std::string location = CrlLocation(cluster, platform);
  if (location.empty()) return Status::Ok();
  CrlSettings settings = *cluster.revocation->crl;
  settings.path = location;  // PlanCrlFile names the file by it
  const bool selected = target.Item(cluster.name, peer.fqdn, "crl") ||
                        target.Item(cluster.name, peer.fqdn, settings.path) ||
                        target.Item(cluster.name, peer.fqdn, "crl/" + settings.path);
  if (!selected) return Status::Ok();
  matched = true;
  auto desired = files.For(cluster);
  if (!desired.ok()) return desired.status();
  CrlDecision d = PlanCrlFile(cluster.name, peer.fqdn, settings, *desired, actual.FindCrl(settings.path), now);
  if (d.change) out.changes.push_back(std::move(*d.change));
  for (auto& n : d.notes) out.notes.push_back(std::move(n));
  return Status::Ok();
}

}  // namespace pkiform::planner
