// The TLS services of a simulated VCS peer, run by `pkiform-sim tls` (tls_services.h):
// HTTPS on https-port, SIP TLS on sip-tls-port and the mobile and remote access endpoint
// on mra-port (docs/platforms/vcs.md, "Simulator"). Each serves the ACTIVE server
// certificate and key (active/, the installed ones as of the last restart: rule V7), read
// again for every connection; none listens while the peer restarts. The MRA endpoint
// closes every connection right after the accept while the active key file lacks its
// final newline (rule V15, ASSUMED model of "MRA fails").
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace pkiform::sim {

enum class VcsService { kHttps, kSipTls, kMra };

struct VcsEndpoint {
  VcsService service;
  std::string name;  // "vcs-https", "vcs-sip-tls", "vcs-mra"
  std::string address;
  int port = 0;
};

// The endpoints of the vcs appliance in `dir`; empty when it is none.
std::vector<VcsEndpoint> VcsEndpointsOf(const std::filesystem::path& dir);
// Whether the appliance's listeners should be open (it is not restarting).
bool VcsListening(const std::filesystem::path& dir);
// Serves one accepted connection (owns and closes `fd`).
void ServeVcsConnection(std::filesystem::path dir, VcsService service, int fd);

}  // namespace pkiform::sim
