// The observed node against the manifest (node_facts.h).
#include "reconciler/planner/node_facts.h"

namespace pkiform::planner {

Status CheckObservedNode(const catalogue::PlatformCatalogue& platform, const Cluster& cluster, const Peer& peer,
                         const ClusterFacts& facts, const Actual& actual, std::vector<std::string>& notes) {
  if (!actual.node) return Status::Ok();
  const ObservedNode& node = *actual.node;
  const std::string who = cluster.name + "/" + peer.fqdn;
  if (!node.node_type.empty() && !facts.node_type.empty() && node.node_type != facts.node_type) {
    std::string shown = node.node_type;
    for (const auto& t : platform.node_types)
      if (t.name == node.node_type) shown = t.display_name;
    const std::string product = cluster.product.empty()
                                    ? "no product (so the platform's first node type is assumed)"
                                    : "product \"" + cluster.product + "\"";
    return Status::InvalidInput(who + ": the node is " + shown + ", but the cluster has " + product +
                                ": its purposes and trust stores are another node type's; put it in a cluster "
                                "whose `product` is its own");
  }
  if (cluster.platform_version.empty()) return Status::Ok();
  if (node.release.empty()) {
    notes.push_back("warning: the node runs build " + node.build + ", which the provider's table of builds does "
                    "not list: steps that depend on the release (the CSR's OU question, the upload path of U15) "
                    "follow what the node asks, the plan follows platformVersion " + cluster.platform_version);
    return Status::Ok();
  }
  auto observed = catalogue::ParseRelease(node.release);
  if (!observed.ok() || !facts.release || catalogue::CompareReleases(*observed, *facts.release) != 0)
    notes.push_back("warning: platformVersion is " + cluster.platform_version + " but the node runs " + node.release +
                    " (build " + node.build + "): the plan's release-dependent facts (restarts U13, follow-ups "
                    "U14, upload path U15) are " + cluster.platform_version + "'s; correct platformVersion");
  return Status::Ok();
}

}  // namespace pkiform::planner
