// Small helpers shared by the checks: the catalogue entry of a cluster's
// platform and of a slot, rule ids recorded in the catalogue, list joining.
#pragma once

#include <string>
#include <vector>

#include "reconciler/manifest/certificate_names.h"
#include "reconciler/rules/checks.h"
#include "reconciler/util/excerpt.h"

namespace pkiform {

const catalogue::PlatformCatalogue* PlatformOf(const CheckContext& ctx, const Cluster& cluster);
// The catalogue's rule ids for a fact of the platform's limits ("wildcards"), joined
// with spaces, or `fallback` when the data names none.
std::string LimitRules(const catalogue::PlatformCatalogue& platform, const std::string& fact,
                       const std::string& fallback);
std::string JoinNames(const std::vector<std::string>& names, const std::string& sep = ", ");

}  // namespace pkiform
