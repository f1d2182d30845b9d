// Which provider drives which platform. One row per platform; a platform
// without a provider yet fails loudly instead of pretending.
#pragma once

#include <memory>

#include "providers/provider.h"
#include "providers/ssh/session.h"

namespace pkiform {
namespace openssh {
class KeyProofCache;
}

// The provider keeps references to `cluster` and `session`: both must outlive it (FleetRun
// holds the manifests for the whole run).
// What a run shares with its providers (each may be null; they outlive the providers).
struct ProviderContext {
  openssh::KeyProofCache* key_proofs = nullptr;  // openssh: proofs of key files (key_proofs.h)
};

Result<std::unique_ptr<Provider>> MakeProvider(ssh::SshSession& session, const Cluster& cluster, const Peer& peer,
                                               const ProviderContext& context = {});

}  // namespace pkiform
