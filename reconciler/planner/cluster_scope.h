// Cluster-wide trust changes (rule U10), read from the catalogue's `replication`,
// `deletion` and `copiesTo` of each trust store, never from a platform name.
//
// A CA added to a store that replicates cluster-wide, or deleted from a store
// whose deletion is cluster-wide, is one change made once: on the publisher (the
// peer with role publisher, else the cluster's first) when it needs it, else on
// the first peer that does. The other peers get no copy of it; the change lists
// them in `reaches`, and their plans get the restarts the change needs there.
// A store that copies its additions into others (CAPF-trust -> CallManager-trust)
// keeps those copies from being pruned or added a second time.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "reconciler/catalogue/catalogue.h"
#include "reconciler/manifest/model.h"
#include "reconciler/plan/actual.h"
#include "reconciler/plan/plan.h"

namespace pkiform::planner {

// The stores whose contents another peer's change may alter: replication or
// deletion "cluster", and every store named in a copiesTo (catalogue order).
std::vector<std::string> ScopedStores(const catalogue::PlatformCatalogue& platform);

// Whether this trust change is made once for the whole cluster.
bool IsClusterWide(const Change& change, const catalogue::PlatformCatalogue& platform);

// Normalised fingerprints a store must keep besides its own list because another
// store of the cluster copies them in: store name -> fingerprints.
using CopiedIn = std::map<std::string, std::set<std::string>>;

// One peer's planned trust changes, with the observation they were planned from.
struct PeerTrust {
  const Peer* peer = nullptr;
  const Actual* actual = nullptr;
  std::vector<Change> changes;     // in plan order; trust changes only
  std::vector<std::string> notes;  // notes about the cluster's stores, for this peer's plan
  std::vector<Change> incoming;    // cluster-wide changes another peer makes that reach this one
};

// Rewrites the trust changes of the planned peers of one cluster (manifest order):
// a cluster-wide change is kept once, on its executing peer, with scope and reaches
// set; a copy (copiesTo) already coming from another store's addition is dropped,
// and the addition names where it is copied. Adds a note where the observations of a
// replicating store differ between peers (replication lag or failure).
// Notes, on the publisher's plan, every replicating store whose CAs differ between
// the planned peers (part of ScopeClusterChanges).
void NoteReplicationDifferences(const Cluster& cluster, const catalogue::PlatformCatalogue& platform,
                                std::vector<PeerTrust>& peers);

void ScopeClusterChanges(const Cluster& cluster, const catalogue::PlatformCatalogue& platform,
                         std::vector<PeerTrust>& peers);

}  // namespace pkiform::planner
