// --target: which part of the fleet a plan covers. "" is everything; "cluster",
// "cluster/peer" and "cluster/peer/item" narrow it, where item is an identity slot
// or a trust store (openssh stores are paths: everything after the second '/'),
// or the CRL file ("crl", its path or "crl/<path>": see crl_change.h).
#pragma once

#include <string>

#include "reconciler/util/result.h"

namespace pkiform::planner {

struct Target {
  std::string cluster, peer, item;  // empty: any

  bool Cluster(const std::string& c) const { return cluster.empty() || cluster == c; }
  bool Peer(const std::string& c, const std::string& p) const { return Cluster(c) && (peer.empty() || peer == p); }
  bool Item(const std::string& c, const std::string& p, const std::string& i) const {
    return Peer(c, p) && (item.empty() || item == i);
  }
};

// Refuses empty parts ("a//b", "a/").
Result<Target> ParseTarget(const std::string& text);

}  // namespace pkiform::planner
