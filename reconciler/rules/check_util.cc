#include "reconciler/rules/check_util.h"

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

}  // namespace pkiform
