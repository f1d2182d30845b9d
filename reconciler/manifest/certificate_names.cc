#include "reconciler/manifest/certificate_names.h"

#include <algorithm>

namespace pkiform {

std::string CommonName(const Cluster& cluster, const IdentitySlot& slot, const Peer& peer) {
  if (!slot.subject.common_name.empty()) return slot.subject.common_name;
  if (slot.sans == "shared" && !cluster.fqdn.empty()) return cluster.fqdn;
  return peer.fqdn;
}

std::vector<std::string> CertificateNames(const Cluster& cluster, const IdentitySlot& slot, const Peer& peer) {
  std::vector<std::string> names;
  auto add = [&](const std::string& n) {
    if (!n.empty() && std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
  };
  add(CommonName(cluster, slot, peer));
  if (slot.sans == "shared")
    for (const auto& p : cluster.peers) add(p.fqdn);
  else
    add(peer.fqdn);
  add(cluster.fqdn);
  for (const auto& n : slot.extra_dns_names) add(n);
  if (slot.unified_communications) {
    for (const auto& n : slot.unified_communications->chat_node_aliases) add(n);
    for (const auto& n : slot.unified_communications->phone_security_profiles) add(n);
    for (const auto& n : slot.unified_communications->domains) add(n);
  }
  return names;
}

}  // namespace pkiform
