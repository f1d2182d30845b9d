#include "providers/registry.h"

#include <functional>
#include <map>

#include "providers/dms/dms_provider.h"
#include "providers/openssh/openssh_provider.h"
#include "providers/ucm/ucm_provider.h"
#include "providers/vcs/vcs_provider.h"

namespace pkiform {
namespace {

using Factory =
    std::function<std::unique_ptr<Provider>(ssh::SshSession&, const Cluster&, const Peer&, const ProviderContext&)>;

const std::map<std::string, Factory>& Factories() {
  static const std::map<std::string, Factory> table = {
      {"openssh",
       [](ssh::SshSession& s, const Cluster& c, const Peer& p, const ProviderContext& x) -> std::unique_ptr<Provider> {
         return std::make_unique<openssh::OpensshProvider>(s, c, p, x.key_proofs);
       }},
      {"ucm", [](ssh::SshSession& s, const Cluster& c, const Peer& p, const ProviderContext&) -> std::unique_ptr<Provider> {
         return std::make_unique<ucm::UcmProvider>(s, c, p);
       }},
      {"vcs", [](ssh::SshSession& s, const Cluster& c, const Peer& p, const ProviderContext&) -> std::unique_ptr<Provider> {
         return std::make_unique<vcs::VcsProvider>(s, c, p);
       }},
      {"dms", [](ssh::SshSession& s, const Cluster& c, const Peer& p, const ProviderContext&) -> std::unique_ptr<Provider> {
         return std::make_unique<dms::DmsProvider>(s, c, p);
       }},
  };
  return table;
}

}  // namespace

Result<std::unique_ptr<Provider>> MakeProvider(ssh::SshSession& session, const Cluster& cluster, const Peer& peer,
                                               const ProviderContext& context) {
  auto it = Factories().find(cluster.platform);
  if (it == Factories().end())
    return Status::Unsupported("cluster " + cluster.name + ": the " + cluster.platform +
                               " provider is not implemented yet; openssh, ucm, vcs and dms clusters can be planned and applied");
  return it->second(session, cluster, peer, context);
}

}  // namespace pkiform
