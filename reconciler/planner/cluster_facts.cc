// Catalogue facts about a cluster (cluster_facts.h).
#include "reconciler/planner/cluster_facts.h"

#include <algorithm>
#include <cctype>

namespace pkiform::planner {
namespace {

// Lowercase letters and digits only: "IM and Presence" and "im-and-presence" meet.
std::string Compact(const std::string& s) {
  std::string out;
  for (char c : s)
    if (std::isalnum(static_cast<unsigned char>(c))) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

ClusterFacts FactsOf(const catalogue::PlatformCatalogue& platform, const Cluster& cluster) {
  ClusterFacts facts;
  if (!platform.node_types.empty()) {
    facts.node_type = platform.node_types.front().name;
    for (const auto& n : platform.node_types)
      if (!cluster.product.empty() && Compact(n.display_name) == Compact(cluster.product)) facts.node_type = n.name;
  }
  if (!cluster.platform_version.empty())
    if (auto r = catalogue::ParseRelease(cluster.platform_version); r.ok()) facts.release = *r;
  if (cluster.mixed_mode) facts.flags.push_back("mixedMode");
  return facts;
}

bool CarriesSlot(catalogue::Placement placement, const Cluster& cluster, const Peer& peer) {
  if (placement == catalogue::Placement::kEveryNode) return true;
  const bool any_role = std::any_of(cluster.peers.begin(), cluster.peers.end(),
                                    [](const Peer& p) { return p.role == "publisher"; });
  if (any_role) return peer.role == "publisher";
  return !cluster.peers.empty() && cluster.peers.front().fqdn == peer.fqdn;
}

}  // namespace pkiform::planner
