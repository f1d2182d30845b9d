// Restarts and follow-ups (restarts.h).
#include "reconciler/planner/restarts.h"

#include <algorithm>

namespace pkiform::planner {
namespace {

using catalogue::RestartSpec;

const IdentitySlot* FindSlot(const Cluster& cluster, const std::string& name) {
  for (const auto& s : cluster.identity)
    if (s.slot == name) return &s;
  return nullptr;
}

const TrustStore* FindStore(const Cluster& cluster, const std::string& name) {
  for (const auto& t : cluster.trust)
    if (t.store == name) return &t;
  return nullptr;
}

// The cluster's CRL file settings when `path` is their file.
const CrlSettings* FindCrlFile(const Cluster& cluster, const std::string& path) {
  if (!cluster.revocation || !cluster.revocation->crl || cluster.revocation->crl->path != path) return nullptr;
  return &*cluster.revocation->crl;
}

bool OnNode(const RestartSpec& r, const ClusterFacts& facts) {
  return r.node_types.empty() || facts.node_type.empty() ||
         std::find(r.node_types.begin(), r.node_types.end(), facts.node_type) != r.node_types.end();
}

// The restart a catalogue entry means for this change; target empty: none.
Restart ToRestart(const RestartSpec& r, const Change& change, const Cluster& cluster) {
  Restart out;
  out.because = change.address;
  switch (r.kind) {
    case RestartSpec::Kind::kService:
      out.kind = RestartKind::kService;
      out.target = r.name;
      break;
    case RestartSpec::Kind::kAppliance:
      out.kind = RestartKind::kAppliance;
      out.target = r.name;
      break;
    case RestartSpec::Kind::kSlotReload:
      out.kind = RestartKind::kCommand;
      if (const IdentitySlot* s = FindSlot(cluster, change.slot_or_store)) out.target = s->reload;
      break;
    case RestartSpec::Kind::kStoreUpdate:
      out.kind = RestartKind::kCommand;
      if (const TrustStore* t = FindStore(cluster, change.slot_or_store)) out.target = t->update;
      break;
    case RestartSpec::Kind::kCrlUpdate:
      out.kind = RestartKind::kCommand;
      if (const CrlSettings* c = FindCrlFile(cluster, change.slot_or_store)) out.target = c->update;
      break;
  }
  return out;
}

// The catalogue's timing, and the manifest's restarts.timeout over its timeout.
void SetTiming(Restart& r, const catalogue::RestartTiming* t, const Cluster& cluster) {
  if (t) {
    r.expected_seconds = t->expected_seconds;
    r.timeout_seconds = t->timeout_seconds;
    r.drops_session = t->drops_session;
  }
  if (cluster.restarts.timeout)
    r.timeout_seconds = static_cast<int>(std::max<long long>(1, cluster.restarts.timeout->length.count()));
}

std::vector<RestartSpec> SpecsFor(const Change& change, const catalogue::PlatformCatalogue& platform,
                                  const ClusterFacts& facts) {
  if (change.kind == ChangeKind::kIdentity)
    return platform.RestartsFor(change.slot_or_store, facts.node_type, facts.release);
  const std::vector<RestartSpec>* specs = nullptr;
  if (change.kind == ChangeKind::kTrust)
    if (const auto* store = platform.FindTrustStore(change.slot_or_store)) specs = &store->restarts;
  if (change.kind == ChangeKind::kCrl && platform.crl_file) specs = &platform.crl_file->restarts;
  std::vector<RestartSpec> out;
  if (specs)
    for (const auto& r : *specs)
      if (OnNode(r, facts) && r.releases.Contains(facts.release)) out.push_back(r);
  return out;
}

}  // namespace

std::vector<Restart> CollectRestarts(const std::vector<Change>& changes, const Cluster& cluster,
                                     const catalogue::PlatformCatalogue& platform, const ClusterFacts& facts) {
  std::vector<Restart> out;
  auto collect = [&](ChangeKind kind) {
    for (const auto& change : changes) {
      if (change.kind != kind || !change.waiting_for.empty()) continue;
      for (const auto& spec : SpecsFor(change, platform, facts)) {
        Restart r = ToRestart(spec, change, cluster);
        if (r.target.empty()) continue;
        SetTiming(r, platform.TimingFor(r.kind == RestartKind::kCommand ? "" : r.target), cluster);
        const bool seen = std::any_of(out.begin(), out.end(), [&](const Restart& o) {
          return o.kind == r.kind && o.target == r.target;
        });
        if (!seen) out.push_back(std::move(r));
      }
    }
  };
  // The executor's order of the changes: trust, then CRLs, then identities.
  for (ChangeKind kind : {ChangeKind::kTrust, ChangeKind::kCrl, ChangeKind::kIdentity}) collect(kind);
  return out;
}

std::vector<Restart> RestartsOfStoppedServices(const Actual& actual, const Cluster& cluster,
                                               const catalogue::PlatformCatalogue& platform, const ClusterFacts& facts,
                                               const std::vector<Restart>& planned, std::vector<std::string>& notes) {
  std::vector<Restart> out;
  if (actual.stopped_services.empty()) return out;
  for (const auto& slot : cluster.identity) {
    for (const auto& spec : platform.RestartsFor(slot.slot, facts.node_type, facts.release)) {
      if (spec.kind != RestartSpec::Kind::kService) continue;
      auto stopped = actual.stopped_services.find(spec.name);
      if (stopped == actual.stopped_services.end()) continue;
      auto same = [&](const Restart& r) { return r.kind == RestartKind::kService && r.target == spec.name; };
      if (std::any_of(planned.begin(), planned.end(), same) || std::any_of(out.begin(), out.end(), same)) continue;
      Restart r;
      r.kind = RestartKind::kService;
      r.target = spec.name;
      r.because = cluster.name + "/" + actual.peer + "/service/" + spec.name;
      SetTiming(r, platform.TimingFor(spec.name), cluster);
      out.push_back(std::move(r));
      notes.push_back(spec.name + " is not running (" + stopped->second + "): it is restarted so that " + slot.slot +
                      " is served");
    }
  }
  return out;
}

std::vector<std::string> CollectFollowUps(const std::vector<Change>& changes, const Desired& desired,
                                          const Cluster& cluster, const catalogue::PlatformCatalogue& platform,
                                          const ClusterFacts& facts) {
  std::vector<std::string> out;
  for (auto phase : {catalogue::FollowUpSpec::Phase::kBefore, catalogue::FollowUpSpec::Phase::kAfter}) {
    for (const auto& change : changes) {
      if (change.kind != ChangeKind::kIdentity || !change.waiting_for.empty()) continue;
      const IdentitySlot* slot = FindSlot(cluster, change.slot_or_store);
      const Issuer* issuer = slot ? desired.FindIssuer(slot->issuer) : nullptr;
      const auto kind = issuer && issuer->kind == Issuer::Kind::kSelfSigned ? catalogue::ChangeKind::kRegenerate
                                                                             : catalogue::ChangeKind::kInstall;
      for (const auto* f : platform.FollowUpsFor(change.slot_or_store, kind, phase, facts.flags, facts.release))
        if (std::find(out.begin(), out.end(), f->text) == out.end()) out.push_back(f->text);
    }
  }
  return out;
}

}  // namespace pkiform::planner
