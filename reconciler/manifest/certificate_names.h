// The names an identity certificate carries for one peer, derived from the
// manifest in one place so that checks, the planner and the CSR agree (rule V1):
// per-peer: CN = peer FQDN, SANs = peer FQDN + cluster FQDN (+ extra names);
// shared: one certificate naming every peer.
#pragma once

#include <string>
#include <vector>

#include "reconciler/manifest/model.h"

namespace pkiform {

// CN first, then every DNS SAN, without duplicates.
std::vector<std::string> CertificateNames(const Cluster& cluster, const IdentitySlot& slot, const Peer& peer);
// The subject's CN: the override, else the peer FQDN (per-peer) or the cluster FQDN (shared, when set).
std::string CommonName(const Cluster& cluster, const IdentitySlot& slot, const Peer& peer);

}  // namespace pkiform
