// The node as it reports itself against the manifest's word for it: the catalogue's
// facts (which usage row, which restarts, which follow-ups; U13, U14, U15) are chosen
// from the cluster's `product` and `platformVersion`, so a node that is another type or
// runs another release than the manifest says must not be planned for silently.
#pragma once

#include <string>
#include <vector>

#include "reconciler/util/result.h"
#include "reconciler/manifest/model.h"
#include "reconciler/plan/actual.h"
#include "reconciler/planner/cluster_facts.h"

namespace pkiform::planner {

// An error when the node is of another type than the cluster's product (its purposes and
// stores would be the wrong ones); notes ("warning: ...") when its release differs from
// platformVersion or its build is one the provider cannot place. Nothing when the
// provider reports no node facts (openssh).
Status CheckObservedNode(const catalogue::PlatformCatalogue& platform, const Cluster& cluster, const Peer& peer,
                         const ClusterFacts& facts, const Actual& actual, std::vector<std::string>& notes);

}  // namespace pkiform::planner
