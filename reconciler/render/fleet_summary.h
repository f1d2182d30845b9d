// A readable summary of the fleet that valid manifests describe: issuers,
// clusters with their platform, peers, identity slots and trust stores.
#pragma once

#include <string>

#include "reconciler/manifest/loader.h"

namespace pkiform {

std::string RenderFleetSummary(const LoadedManifests& loaded);

}  // namespace pkiform
