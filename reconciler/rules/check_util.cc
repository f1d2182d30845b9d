#include "reconciler/rules/check_util.h"

#include <algorithm>

namespace pkiform {

const catalogue::PlatformCatalogue* PlatformOf(const CheckContext& ctx, const Cluster& cluster) {
  return ctx.catalogue.Find(cluster.platform);
}

std::string LimitRules(const catalogue::PlatformCatalogue& platform, const std::string& fact,
                       const std::string& fallback) {
  const auto& ids = platform.limits.rules.For(fact);
  return ids.empty() ? fallback : JoinNames(ids, " ");
}

std::string JoinNames(const std::vector<std::string>& names, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) out += (i ? sep : "") + names[i];
  return out;
}

std::vector<std::string> CertificateNames(const Cluster& cluster, const IdentitySlot& slot, const Peer& peer) {
  std::vector<std::string> names;
  auto add = [&](const std::string& n) {
    if (!n.empty() && std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
  };
  add(slot.subject.common_name.empty() ? peer.fqdn : slot.subject.common_name);
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

std::string FormatDay(pki::TimePoint t) { return pki::FormatDate(t); }

}  // namespace pkiform
