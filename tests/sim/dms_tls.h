// The web service of a simulated DMS Show and Share appliance, run by `pkiform-sim tls`
// (tls_services.h): HTTPS on ADDRESS:https-port with the identity certificate and the
// imported CA chain (keystore/), read again for every connection. The appliance refuses
// web connections unless its certificate is current and valid (seed, Restrictions >
// Expiration): the connection is closed before the handshake while the identity has
// expired or is not yet valid.
#pragma once
#include <filesystem>
#include <optional>
#include <string>

namespace pkiform::sim {

struct DmsEndpoint {
  std::string address;
  int port = 0;
};

// The HTTPS endpoint of the dms appliance in `dir`; nullopt when it is none.
std::optional<DmsEndpoint> DmsEndpointOf(const std::filesystem::path& dir);
// Serves one accepted connection (owns and closes `fd`).
void ServeDmsConnection(std::filesystem::path dir, int fd);

}  // namespace pkiform::sim
