// What the platform catalogue needs to know about a cluster to answer the
// planner's questions (which usage row, which restarts, which follow-ups): the
// node type its peers are, its release train and the flags it sets.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "reconciler/catalogue/catalogue.h"
#include "reconciler/manifest/model.h"

namespace pkiform::planner {

struct ClusterFacts {
  std::string node_type;                         // the catalogue's node type; "" when it has none
  std::optional<catalogue::Release> release;     // nullopt: unknown, every fact that may apply
  std::vector<std::string> flags;                // "mixedMode" when the cluster sets mixedMode
};

// The node type is the one whose display name matches the cluster's `product`
// ("im-and-presence" -> "IM and Presence"), else the platform's first.
ClusterFacts FactsOf(const catalogue::PlatformCatalogue& platform, const Cluster& cluster);

// Whether `peer` carries a slot placed as `placement` (U6: CAPF only on the
// publisher: the peer with role publisher, else the cluster's first peer).
bool CarriesSlot(catalogue::Placement placement, const Cluster& cluster, const Peer& peer);

}  // namespace pkiform::planner
