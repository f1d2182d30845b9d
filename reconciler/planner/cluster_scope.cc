// Cluster-wide trust changes (cluster_scope.h).
#include "reconciler/planner/cluster_scope.h"

#include <algorithm>

#include "reconciler/pki/certificate.h"
#include "reconciler/planner/cluster_facts.h"
#include "reconciler/planner/trust_change.h"

namespace pkiform::planner {
namespace {

using catalogue::Scope;

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// The fingerprint a trust change is about.
std::string FingerprintOf(const Change& c) {
  return NormalizeFingerprint(c.action == Action::kDelete ? c.before_fingerprint : c.after_fingerprint);
}

std::set<std::string> Fingerprints(const ObservedTrustStore* store) {
  std::set<std::string> out;
  if (!store) return out;
  for (const auto& pem : store->certificate_pems)
    if (auto c = pki::Certificate::FromPem(pem); c.ok()) out.insert(NormalizeFingerprint(c->FingerprintSha256()));
  return out;
}

std::vector<std::string> AllPeers(const Cluster& cluster) {
  std::vector<std::string> out;
  for (const auto& p : cluster.peers) out.push_back(p.fqdn);
  return out;
}

}  // namespace

std::vector<std::string> ScopedStores(const catalogue::PlatformCatalogue& platform) {
  std::vector<std::string> out;
  auto add = [&](const std::string& name) {
    if (!name.empty() && !Contains(out, name)) out.push_back(name);
  };
  for (const auto& t : platform.trust_stores) {
    if (t.replication == Scope::kCluster || t.deletion == Scope::kCluster) add(t.name);
    for (const auto& copy : t.copies_to) add(copy);
  }
  return out;
}

bool IsClusterWide(const Change& change, const catalogue::PlatformCatalogue& platform) {
  if (change.kind != ChangeKind::kTrust) return false;
  const catalogue::TrustStoreSpec* spec = platform.FindTrustStore(change.slot_or_store);
  if (!spec || spec->name.empty()) return false;  // a user-path store (openssh template) is the node's own
  if (change.action == Action::kDelete) return spec->deletion == Scope::kCluster;
  return spec->replication == Scope::kCluster;
}

void NoteReplicationDifferences(const Cluster& cluster, const catalogue::PlatformCatalogue& platform,
                                std::vector<PeerTrust>& peers) {
  if (peers.size() < 2) return;
  size_t first = 0;  // the note goes to the publisher when it is planned
  for (size_t i = 0; i < peers.size(); ++i)
    if (CarriesSlot(catalogue::Placement::kPublisher, cluster, *peers[i].peer)) first = i;
  for (const auto& store : cluster.trust) {
    const catalogue::TrustStoreSpec* spec = platform.FindTrustStore(store.store);
    if (!spec || spec->name.empty() || spec->replication != Scope::kCluster) continue;
    const auto reference = Fingerprints(peers[first].actual->FindTrustStore(store.store));
    std::string differing;
    for (const auto& p : peers)
      if (Fingerprints(p.actual->FindTrustStore(store.store)) != reference)
        differing += (differing.empty() ? "" : ", ") + p.peer->fqdn;
    if (!differing.empty())
      peers[first].notes.push_back("trust store " + store.store + " replicates cluster-wide (U10) but " + differing +
                                   " holds other certificates than " + peers[first].peer->fqdn +
                                   " (replication lag or failure?); a cluster-wide change is still made once");
  }
}

void ScopeClusterChanges(const Cluster& cluster, const catalogue::PlatformCatalogue& platform,
                         std::vector<PeerTrust>& peers) {
  if (peers.empty()) return;
  NoteReplicationDifferences(cluster, platform, peers);
  // Rule U10, copiesTo: an addition to CAPF-trust also lands in CallManager-trust, so
  // an addition of the same CA to CallManager-trust planned anywhere in the cluster
  // would be a second copy: it is dropped (the prune side is PlanTrust's `keep`).
  std::set<std::pair<std::string, std::string>> copies;  // (target store, fingerprint)
  for (auto& p : peers)
    for (auto& c : p.changes) {
      if (c.kind != ChangeKind::kTrust || c.action != Action::kCreate) continue;
      const catalogue::TrustStoreSpec* spec = platform.FindTrustStore(c.slot_or_store);
      if (!spec || spec->copies_to.empty()) continue;
      c.copies_to = spec->copies_to;
      for (const auto& target : spec->copies_to) {
        copies.insert({target, FingerprintOf(c)});
        const catalogue::TrustStoreSpec* t = platform.FindTrustStore(target);
        if (t && t->replication == Scope::kCluster) c.reaches = AllPeers(cluster);
      }
    }
  for (auto& p : peers)
    p.changes.erase(std::remove_if(p.changes.begin(), p.changes.end(),
                                   [&](const Change& c) {
                                     return c.kind == ChangeKind::kTrust && c.action == Action::kCreate &&
                                            copies.count({c.slot_or_store, FingerprintOf(c)}) > 0;
                                   }),
                    p.changes.end());

  // Which peers need each cluster-wide change, in first-seen order.
  struct Needed {
    Change change;
    std::vector<size_t> peers;  // indexes into `peers`
  };
  std::vector<Needed> needed;
  auto key_of = [](const Change& c) { return std::string(ActionName(c.action)) + "/" + c.slot_or_store + "/" + FingerprintOf(c); };
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < peers.size(); ++i)
    for (const auto& c : peers[i].changes) {
      if (!IsClusterWide(c, platform)) continue;
      auto [it, fresh] = index.emplace(key_of(c), needed.size());
      if (fresh) needed.push_back({c, {}});
      needed[it->second].peers.push_back(i);
    }
  if (needed.empty()) return;

  // The publisher executes what it needs; what it does not need (it has it already, or
  // it is not in this plan) goes to the first peer that needs it.
  size_t publisher = peers.size();
  for (size_t i = 0; i < peers.size(); ++i)
    if (CarriesSlot(catalogue::Placement::kPublisher, cluster, *peers[i].peer)) publisher = i;
  std::map<std::string, size_t> executor;  // key -> peer index
  for (const auto& n : needed)
    executor[key_of(n.change)] =
        std::find(n.peers.begin(), n.peers.end(), publisher) != n.peers.end() ? publisher : n.peers.front();

  const std::vector<std::string> everyone = AllPeers(cluster);
  for (size_t i = 0; i < peers.size(); ++i) {
    std::vector<Change> kept;
    for (auto& c : peers[i].changes) {
      if (!IsClusterWide(c, platform)) {
        kept.push_back(std::move(c));
        continue;
      }
      if (executor[key_of(c)] != i) continue;  // another peer makes it for the whole cluster
      c.scope = ChangeScope::kCluster;
      c.reaches = everyone;
      kept.push_back(std::move(c));
    }
    peers[i].changes = std::move(kept);
  }

  // Every planned peer the change reaches, but that does not make it, needs its restarts.
  for (const auto& n : needed) {
    const size_t e = executor[key_of(n.change)];
    const Change* made = nullptr;
    for (const auto& c : peers[e].changes)
      if (key_of(c) == key_of(n.change)) made = &c;
    if (!made) continue;
    std::vector<std::string> unplanned;
    for (const auto& fqdn : everyone) {
      auto it = std::find_if(peers.begin(), peers.end(), [&](const PeerTrust& p) { return p.peer->fqdn == fqdn; });
      if (it == peers.end()) unplanned.push_back(fqdn);
      else if (static_cast<size_t>(it - peers.begin()) != e) it->incoming.push_back(*made);
    }
    if (!unplanned.empty()) {
      std::string list;
      for (const auto& u : unplanned) list += (list.empty() ? "" : ", ") + u;
      peers[e].notes.push_back("the cluster-wide change " + made->address + " also reaches " + list +
                               ", not in this plan (--target): their restarts are not planned");
    }
  }
}

}  // namespace pkiform::planner
