// Trust store changes (trust_change.h).
#include "reconciler/planner/trust_change.h"

#include <cctype>
#include <set>

#include "reconciler/planner/describe.h"

namespace pkiform::planner {

std::string NormalizeFingerprint(const std::string& fingerprint) {
  std::string out;
  for (char c : fingerprint)
    if (std::isxdigit(static_cast<unsigned char>(c))) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string TrustAddress(const std::string& cluster, const std::string& peer, const std::string& store,
                         const std::string& fingerprint) {
  return cluster + "/" + peer + "/trust/" + store + "/" + fingerprint;
}

TrustDecision PlanTrust(const std::string& cluster, const std::string& peer, const TrustStore& store,
                        const std::vector<pki::Certificate>& desired, const ObservedTrustStore* observed,
                        const std::set<std::string>& keep) {
  TrustDecision d;
  std::vector<pki::Certificate> present;
  std::set<std::string> present_fps, builtin_fps, desired_fps;
  if (observed) {
    for (const auto& pem : observed->certificate_pems) {
      auto c = pki::Certificate::FromPem(pem);
      if (!c.ok()) {
        d.notes.push_back("trust store " + store.store + " holds an entry that cannot be read, left alone: " +
                          c.status().message());
        continue;
      }
      present_fps.insert(NormalizeFingerprint(c->FingerprintSha256()));
      present.push_back(std::move(c).value());
    }
    for (const auto& fp : observed->builtin_fingerprints) builtin_fps.insert(NormalizeFingerprint(fp));
  }

  for (const auto& c : desired) {
    const std::string fp = c.FingerprintSha256();
    if (!desired_fps.insert(NormalizeFingerprint(fp)).second || present_fps.count(NormalizeFingerprint(fp))) continue;
    Change change;
    change.address = TrustAddress(cluster, peer, store.store, fp);
    change.action = Action::kCreate;
    change.kind = ChangeKind::kTrust;
    change.slot_or_store = store.store;
    change.reason = "not in the trust store";
    change.after = DescribeCaCertificate(c);
    change.after_fingerprint = fp;
    change.certificate_pem = c.ToPem();
    d.changes.push_back(std::move(change));
  }

  if (!store.prune) return d;
  std::set<std::string> removed;
  for (const auto& c : present) {
    const std::string fp = c.FingerprintSha256();
    const std::string key = NormalizeFingerprint(fp);
    if (desired_fps.count(key) || keep.count(key) || !removed.insert(key).second) continue;
    const bool builtin = builtin_fps.count(key) > 0;
    if (builtin && !store.prune_builtin) continue;
    Change change;
    change.address = TrustAddress(cluster, peer, store.store, fp);
    change.action = Action::kDelete;
    change.kind = ChangeKind::kTrust;
    change.slot_or_store = store.store;
    change.reason = builtin ? "built-in entry not in the manifest (pruneBuiltin)" : "not in the manifest (prune)";
    change.before = DescribeCaCertificate(c);
    change.before_fingerprint = fp;
    d.changes.push_back(std::move(change));
  }
  return d;
}

}  // namespace pkiform::planner
