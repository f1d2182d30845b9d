// The TLS services of simulated Unified CM / IM and Presence nodes (`pkiform-sim tls`):
// for each appliance, Cisco Tomcat on ADDRESS:https-port (tomcat and tomcat-ECDSA on one
// SSL_CTX, so the client's signature algorithms pick the certificate) and, on Unified CM
// nodes, Cisco CallManager on ADDRESS:sip-tls-port (CallManager and CallManager-ECDSA).
// On IM and Presence nodes: Cisco SIP Proxy on ADDRESS:cup-sip-tls-port (cup, cup-ECDSA;
// direct TLS), Cisco XCP Connection Manager on ADDRESS:xmpp-client-port (cup-xmpp and its
// twin) and Cisco XCP XMPP Federation Connection Manager on ADDRESS:xmpp-server-port
// (cup-xmpp-s2s and its twin), both XMPP streams that negotiate STARTTLS (RFC 6120) first.
// The HTTPS endpoint is a cpp-httplib server that also answers the platform REST API
// (rest_api.h) on the same port.
//
// Each endpoint serves the identities its service *runs* with (DIR/running/), read again
// for every connection, and listens only while the service is STARTED: while a shell
// restarts it the listening socket is closed, so connections are refused, as on a node
// whose service is down. Appliance directories are looked up again every second, so
// appliances created after start-up are served too. Vcs appliances: vcs_tls.h; dms
// appliances (HTTPS with the identity and its chain): dms_tls.h.
#pragma once
#include <filesystem>
#include <vector>

namespace pkiform::sim {

struct TlsDaemonOptions {
  std::vector<std::filesystem::path> fleetDirs;      // FLEETDIR/hosts/*/
  std::vector<std::filesystem::path> applianceDirs;  // --dir
};

// Prints "ready" on stdout once every endpoint whose service is up listens; runs until
// SIGTERM or SIGINT. Returns the exit code (1 when a port cannot be bound at start-up).
int RunTlsDaemon(const TlsDaemonOptions& options);

}  // namespace pkiform::sim
