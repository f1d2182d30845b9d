// Which provider drives which platform. One row per platform; a platform
// without a provider yet fails loudly instead of pretending.
#pragma once

#include <memory>

#include "providers/provider.h"
#include "providers/ssh/session.h"

namespace pkiform {

// The provider keeps references to `cluster` and `session`: both must outlive it (FleetRun
// holds the manifests for the whole run).
Result<std::unique_ptr<Provider>> MakeProvider(ssh::SshSession& session, const Cluster& cluster, const Peer& peer);

}  // namespace pkiform
