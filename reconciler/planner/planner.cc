// Making the plan (planner.h).
#include "reconciler/planner/planner.h"

#include <algorithm>
#include <set>
#include <utility>

#include "reconciler/pki/certificate_file.h"
#include "reconciler/planner/backups_change.h"
#include "reconciler/planner/cluster_scope.h"
#include "reconciler/planner/cluster_facts.h"
#include "reconciler/planner/crl_change.h"
#include "reconciler/planner/identity_change.h"
#include "reconciler/planner/node_facts.h"
#include "reconciler/planner/restarts.h"
#include "reconciler/planner/settings_change.h"
#include "reconciler/planner/slot_input.h"
#include "reconciler/planner/target.h"
#include "reconciler/planner/trust_change.h"
#include "reconciler/planner/window_deferral.h"

#ifndef PKIFORM_VERSION
#define PKIFORM_VERSION "unknown"
#endif

namespace pkiform::planner {
namespace {

using PeerKey = std::pair<std::string, std::string>;

Result<std::map<PeerKey, const Actual*>> IndexObservations(const PlanInput& in) {
  std::map<PeerKey, const Actual*> index;
  for (const auto& a : in.observed) {
    const Cluster* c = in.desired.FindCluster(a.cluster);
    bool known = false;
    if (c)
      for (const auto& p : c->peers) known = known || p.fqdn == a.peer;
    if (!known)
      return Status::InvalidInput("observation of peer " + a.cluster + "/" + a.peer + ", which the manifests do not list");
    if (!index.emplace(PeerKey{a.cluster, a.peer}, &a).second)
      return Status::InvalidInput("two observations of peer " + a.cluster + "/" + a.peer);
  }
  return index;
}

// The certificates of a trust store's files, parsed once per run.
class TrustFiles {
 public:
  explicit TrustFiles(const std::map<std::string, std::vector<std::string>>& pems) : pems_(pems) {}

  Result<std::vector<pki::Certificate>> For(const Cluster& cluster, const TrustStore& store) {
    std::vector<pki::Certificate> out;
    for (const auto& ref : store.certificates) {
      auto parsed = Parse(ref);
      if (!parsed.ok())
        return parsed.status().WithContext(cluster.name + ": trust store " + store.store + ": " + ref.written);
      out.insert(out.end(), parsed->begin(), parsed->end());
    }
    return out;
  }

 private:
  Result<std::vector<pki::Certificate>> Parse(const FileRef& ref) {
    if (auto it = cache_.find(ref.path); it != cache_.end()) return it->second;
    auto it = pems_.find(ref.path);
    if (it == pems_.end()) return Status::NotFound("file not read (" + ref.path + ")");
    std::vector<pki::Certificate> certs;
    for (const auto& text : it->second) {
      auto parsed = pki::ParseCertificates(text);
      if (!parsed.ok()) return parsed.status();
      certs.insert(certs.end(), parsed->begin(), parsed->end());
    }
    cache_.emplace(ref.path, certs);
    return certs;
  }

  const std::map<std::string, std::vector<std::string>>& pems_;
  std::map<std::string, std::vector<pki::Certificate>> cache_;
};

struct PeerContext {
  const PlanInput& in;
  const Target& target;
  const Cluster& cluster;
  const catalogue::PlatformCatalogue& platform;
  const ClusterFacts& facts;
  TrustFiles& trust_files;
  bool& matched;
};

// The normalised fingerprints `store` must keep because another store of the cluster
// copies them in (rule U10, copiesTo: CAPF-trust roots in CallManager-trust).
Result<std::set<std::string>> CopiedInto(const PeerContext& ctx, const std::string& store) {
  std::set<std::string> keep;
  for (const auto& source : ctx.cluster.trust) {
    const catalogue::TrustStoreSpec* spec = ctx.platform.FindTrustStore(source.store);
    if (!spec || std::find(spec->copies_to.begin(), spec->copies_to.end(), store) == spec->copies_to.end()) continue;
    auto certs = ctx.trust_files.For(ctx.cluster, source);
    if (!certs.ok()) return certs.status();
    for (const auto& c : *certs) keep.insert(NormalizeFingerprint(c.FingerprintSha256()));
  }
  return keep;
}

Status PlanTrustStores(const PeerContext& ctx, const Peer& peer, const Actual& actual, PeerTrust& out,
                       std::vector<std::string>& notes) {
  for (const auto& store : ctx.cluster.trust) {
    if (!ctx.target.Item(ctx.cluster.name, peer.fqdn, store.store)) continue;
    ctx.matched = true;
    auto desired = ctx.trust_files.For(ctx.cluster, store);
    if (!desired.ok()) return desired.status();
    auto keep = CopiedInto(ctx, store.store);
    if (!keep.ok()) return keep.status();
    TrustDecision d =
        PlanTrust(ctx.cluster.name, peer.fqdn, store, *desired, actual.FindTrustStore(store.store), *keep);
    for (auto& c : d.changes) out.changes.push_back(std::move(c));
    for (auto& n : d.notes) notes.push_back(std::move(n));
  }
  return Status::Ok();
}

bool MakesClusterChange(const PeerPlan& p) {
  return std::any_of(p.changes.begin(), p.changes.end(),
                     [](const Change& c) { return c.scope == ChangeScope::kCluster; });
}

Status PlanIdentities(const PeerContext& ctx, const Peer& peer, const Actual& actual, PeerPlan& out) {
  const std::string where = ctx.cluster.name + "/" + peer.fqdn;
  for (const auto& slot : ctx.cluster.identity) {
    if (!ctx.target.Item(ctx.cluster.name, peer.fqdn, slot.slot)) continue;
    ctx.matched = true;
    if (const auto* spec = ctx.platform.FindSlot(slot.slot); spec && !CarriesSlot(spec->placement, ctx.cluster, peer))
      continue;
    const Issuer* issuer = ctx.in.desired.FindIssuer(slot.issuer);
    if (!issuer) return Status::InvalidInput(where + ": slot " + slot.slot + ": unknown issuer '" + slot.issuer + "'");
    static const std::vector<pki::Certificate> kNone;
    const std::vector<pki::Certificate>* issuer_certs = &kNone;
    if (issuer->kind != Issuer::Kind::kSelfSigned) {
      auto it = ctx.in.issuer_chains.find(issuer->name);
      if (it == ctx.in.issuer_chains.end() || it->second.empty())
        return Status::NotFound("issuer " + issuer->name + ": no CA certificate given to the planner");
      issuer_certs = &it->second;
    }
    auto input = MakeSlotInput(ctx.cluster, peer, slot, *issuer, ctx.platform, *issuer_certs,
                               actual.FindSlot(slot.slot), ctx.in.now);
    if (!input.ok()) return input.status();
    ExternalFiles external;
    if (issuer->kind == Issuer::Kind::kExternal && ctx.in.external_files)
      external = ctx.in.external_files(issuer->name, ctx.cluster.name, peer.fqdn, slot.slot);
    IdentityDecision d = PlanIdentity(*input, external);
    const bool installs = d.change && d.change->waiting_for.empty();
    if (installs) d.change->no_rollback = ctx.platform.rollback.NoRollbackReason();
    if (d.change) out.changes.push_back(std::move(*d.change));
    if (!d.note.empty()) out.notes.push_back(std::move(d.note));
    if (auto backups = PlanLeftoverBackups(ctx.cluster.name, peer.fqdn, actual.FindSlot(slot.slot), installs))
      out.changes.push_back(std::move(*backups));
  }
  return Status::Ok();
}

}  // namespace

Result<Plan> MakePlan(const PlanInput& in) {
  auto target = ParseTarget(in.target);
  if (!target.ok()) return target.status();
  auto observations = IndexObservations(in);
  if (!observations.ok()) return observations.status();

  Plan plan;
  plan.pkiform_version = PKIFORM_VERSION;
  plan.created_at = pki::FormatRfc3339Utc(in.now);
  plan.manifests_digest = in.manifests_digest;
  TrustFiles trust_files(in.trust_pems);
  CrlFiles crl_files(in.crl_pems);
  bool matched = false;

  for (const auto& cluster : in.desired.clusters) {
    if (!target->Cluster(cluster.name)) continue;
    const catalogue::PlatformCatalogue* platform = in.catalogue.Find(cluster.platform);
    if (!platform) return Status::InvalidInput(cluster.name + ": no platform catalogue for '" + cluster.platform + "'");
    const ClusterFacts facts = FactsOf(*platform, cluster);
    const PeerContext ctx{in, *target, cluster, *platform, facts, trust_files, matched};
    const std::vector<std::string> scoped = ScopedStores(*platform);
    std::vector<PeerPlan> plans;
    std::vector<PeerTrust> trust;
    for (const auto& peer : cluster.peers) {
      if (!target->Peer(cluster.name, peer.fqdn)) continue;
      if (in.excluded.count(cluster.name + "/" + peer.fqdn)) {  // targeted, but not this run's to plan
        if (target->item.empty()) matched = true;
        continue;
      }
      if (target->item.empty()) matched = true;
      auto it = observations->find(PeerKey{cluster.name, peer.fqdn});
      if (it == observations->end())
        return Status::InvalidInput("no observation of peer " + cluster.name + "/" + peer.fqdn);
      const Actual& actual = *it->second;

      PeerPlan pp;
      pp.cluster = cluster.name;
      pp.peer = peer.fqdn;
      pp.address = peer.address.empty() ? peer.fqdn : peer.address;
      // Rule U10: the stores another peer's change may alter are checked apart (plan.h).
      pp.observed_digest = actual.Digest(scoped);
      pp.scoped_stores = scoped;
      pp.scoped_digest = actual.StoresDigest(scoped);
      if (Status s = CheckObservedNode(*platform, cluster, peer, facts, actual, pp.notes); !s.ok()) return s;
      PeerTrust pt;
      pt.peer = &peer;
      pt.actual = &actual;
      if (Status s = PlanTrustStores(ctx, peer, actual, pt, pp.notes); !s.ok()) return s;
      if (Status s = PlanPeerCrlFile(cluster, platform, peer, actual, *target, in.now, crl_files, matched, pp); !s.ok()) return s;
      for (auto& c : PlanSettings(cluster, peer.fqdn, *platform, actual, [&](const std::string& name) {
             const bool selected = target->Item(cluster.name, peer.fqdn, name);
             matched = matched || selected;
             return selected;
           }))
        pp.changes.push_back(std::move(c));
      pp.notes.insert(pp.notes.end(), actual.notes.begin(), actual.notes.end());
      if (Status s = PlanIdentities(ctx, peer, actual, pp); !s.ok()) return s;
      plans.push_back(std::move(pp));
      trust.push_back(std::move(pt));
    }
    ScopeClusterChanges(cluster, *platform, trust);
    for (size_t i = 0; i < plans.size(); ++i) {
      PeerPlan& pp = plans[i];
      pp.changes.insert(pp.changes.begin(), trust[i].changes.begin(), trust[i].changes.end());
      pp.notes.insert(pp.notes.end(), trust[i].notes.begin(), trust[i].notes.end());
      // A cluster-wide change another peer makes restarts here what it restarts there (U10).
      std::vector<Change> needing_restarts = trust[i].incoming;
      needing_restarts.insert(needing_restarts.end(), pp.changes.begin(), pp.changes.end());
      pp.restarts = CollectRestarts(needing_restarts, cluster, *platform, facts);
    }
    if (auto window = in.windows.find(cluster.name); window != in.windows.end()) {
      std::vector<const Actual*> actuals;
      std::vector<std::vector<Change>> incoming;
      for (const auto& t : trust) {
        actuals.push_back(t.actual);
        incoming.push_back(t.incoming);
      }
      DeferOutsideWindow({cluster, *platform, facts, window->second, in.now}, actuals, incoming, plans);
    }
    for (size_t i = 0; i < plans.size(); ++i) {
      PeerPlan& pp = plans[i];
      const std::vector<Restart> all_planned = [&] {
        std::vector<Restart> r = pp.restarts;
        r.insert(r.end(), pp.deferred_restarts.begin(), pp.deferred_restarts.end());
        return r;
      }();
      for (auto& r : RestartsOfStoppedServices(*trust[i].actual, cluster, *platform, facts, all_planned, pp.notes))
        pp.restarts.push_back(std::move(r));
      pp.follow_ups = CollectFollowUps(pp.changes, in.desired, cluster, *platform, facts);
    }
    // The peers that make cluster-wide changes go first (the publisher first of all), so
    // that the others find those changes made when their turn comes.
    std::stable_partition(plans.begin(), plans.end(), MakesClusterChange);
    for (size_t i = 0; i < plans.size() && MakesClusterChange(plans[i]); ++i) {
      const Peer* p = nullptr;
      for (const auto& q : cluster.peers)
        if (q.fqdn == plans[i].peer) p = &q;
      if (p && CarriesSlot(catalogue::Placement::kPublisher, cluster, *p)) {
        std::rotate(plans.begin(), plans.begin() + static_cast<std::ptrdiff_t>(i), plans.begin() + static_cast<std::ptrdiff_t>(i) + 1);
        break;
      }
    }
    for (auto& pp : plans) plan.peers.push_back(std::move(pp));
  }
  if (!target->cluster.empty() && !matched)
    return Status::InvalidInput("--target '" + in.target + "' matches nothing in the manifests");
  return plan;
}

}  // namespace pkiform::planner
