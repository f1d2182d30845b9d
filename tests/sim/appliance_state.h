// The state of one simulated Cisco Unified CM / IM and Presence node (pkiform-sim),
// kept in plain files in its directory DIR so that the node's shell processes and
// the TLS daemon (separate processes) share it, and its cluster directory CDIR.
//
// DIR layout (all text; written atomically by rename):
//   sim.conf                  key=value: platform, fqdn, address, hostname, role,
//                             node-type, release, cluster-dir, https-port,
//                             sip-tls-port, cup-sip-tls-port, xmpp-client-port,
//                             xmpp-server-port, restart-ms, startup-ms
//   web-security.conf         key=value: orgunit, orgname, locality, state, country,
//                             alternatehostname (what `set web-security` set)
//   own/<unit>.pem|.key       the installed identity: leaf first, then any chain
//                             pasted with it; its key (0600, never printed)
//   running/<unit>.pem|.key   the identity the service runs with: copied from own/
//                             when a service of the unit restarts (rule U13)
//   csr/<unit>.csr|.key       the pending CSR and its key (rule U9: one per unit)
//   trust/<store>/<f>.pem     trust entries; <f>.desc holds the description line
//   services.conf             <Service Name>=STARTED|STOPPING|STARTING|STOPPED
//   faults                    optional fault injection (faults.h)
// CDIR layout: lock (flock of every state change), nodes/<address>.conf (dir, fqdn,
// role, node-type of each member), builtin/ (the Cisco-style built-in CAs, made once
// per cluster so that every node holds the same ones).
//
// IM and Presence nodes join the Unified CM cluster's CDIR (one topology: `show network
// cluster` lists every node), but replication (rule U10) stays within a product: the
// Unified CM nodes among themselves, the IM and Presence nodes among themselves, whose
// "publisher" is the IM and Presence database publisher (ReplicationMembers;
// docs/platforms/ucm.md, "IM and Presence").
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "reconciler/catalogue/catalogue.h"
#include "reconciler/catalogue/release.h"
#include "reconciler/pki/certificate.h"
#include "reconciler/pki/key.h"
#include "reconciler/util/result.h"

namespace pkiform::sim {

namespace fs = std::filesystem;

struct NodeConfig {
  std::string fqdn;
  std::string address;
  std::string hostname;  // first label of the FQDN
  std::string role;      // "publisher" or "subscriber"
  std::string nodeType;  // "unifiedCM" or "imAndPresence"
  std::string release;   // "14", "14SU1", "14SU2", "14SU3"
  fs::path clusterDir;
  int httpsPort = 443;
  int sipTlsPort = 5061;
  // IM and Presence: SIP proxy TLS (cup), XMPP client and server STARTTLS (cup-xmpp, cup-xmpp-s2s).
  int cupSipTlsPort = 5062;
  int xmppClientPort = 5222;
  int xmppServerPort = 5269;
  int restartMs = 0;
  int startupMs = 0;
  int commandMs = 0;  // emulated latency of every CLI command (bench/run, issue 13)
  std::string country;  // chosen at installation (init only); empty: US
  bool IsPublisher() const { return role == "publisher"; }
};

struct WebSecurity {
  std::string orgUnit = "Cisco";
  std::string orgName = "Cisco";
  std::string locality = "San Jose";
  std::string state = "California";
  std::string country = "US";
  std::string alternateHostName;
};

struct TrustEntry {
  std::string store;  // "tomcat-trust"
  std::string file;   // "corp-root.pem"
  std::string description;
  pki::Certificate certificate;
};

// "14.0.1.11900-132" for "14SU1" (ucm-cli.md); empty when unknown.
std::string VersionOfRelease(const std::string& release);

class Appliance {
 public:
  // Reads DIR/sim.conf; fails when DIR is not a ucm appliance made by `init`.
  static Result<Appliance> Open(const fs::path& dir);
  // `pkiform-sim init`: writes the factory state and registers the node in CDIR.
  static Status Init(const fs::path& dir, const NodeConfig& config);

  const NodeConfig& config() const { return config_; }
  const fs::path& dir() const { return dir_; }
  const catalogue::PlatformCatalogue& platform() const { return *platform_; }
  bool ReleaseAtLeast(const std::string& release) const;

  // Identity units on this node (rule U1; CAPF and AUTHZ on the publisher only, U6).
  std::vector<const catalogue::SlotSpec*> Units() const;
  const catalogue::SlotSpec* FindUnit(const std::string& name) const;
  // Trust stores of this node's type.
  std::vector<const catalogue::TrustStoreSpec*> TrustStores() const;
  const catalogue::TrustStoreSpec* FindTrustStore(const std::string& name) const;
  // The services of the U13 table for this node type and release, in catalogue order.
  std::vector<std::string> Services() const;
  // Units whose restarts (U13) include `service`.
  std::vector<std::string> UnitsRestartedBy(const std::string& service) const;

  WebSecurity LoadWebSecurity() const;
  Status SaveWebSecurity(const WebSecurity& ws) const;

  // The installed (own/) or running (running/) chain of a unit, leaf first.
  Result<std::vector<pki::Certificate>> Installed(const std::string& unit) const;
  Result<std::vector<pki::Certificate>> Running(const std::string& unit) const;
  std::optional<std::string> RunningKeyPem(const std::string& unit) const;

  // Regenerates the self-signed identity (rule U12: same algorithm and key length)
  // and replaces the node's own entry in <unit>-trust.
  Status Regenerate(const std::string& unit);
  // A new CSR (rule U9: overwrites the pending one); the key stays in csr/.
  Status GenerateCsr(const std::string& unit, bool includeOu);
  std::optional<std::string> PendingCsrPem(const std::string& unit) const;
  std::vector<std::string> PendingCsrUnits() const;
  // A CSR for POST /platformcom/api/v1/certmgr/config/csr (rest_api.h): subject CN
  // `commonName` with the web-security fields (OU when set), dNSNames the node's FQDN then
  // `altNames`, a new `key` (rule U5: checked by the caller); rule U9: overwrites the pending one.
  Status GenerateCsrWithNames(const std::string& unit, const std::string& commonName,
                              const std::vector<std::string>& altNames, const pki::KeySpec& key);
  // How a certificate reaches the node: the CLI or the platform REST API (rule U15:
  // from 14SU2 only the API takes a multi-SAN certificate).
  enum class Channel { kCli, kRestApi };
  // `set cert import own`: every check of ucm-cli.md, then rule U8. The error
  // message is what the CLI prints.
  Status ImportOwn(const std::string& unit, const std::vector<pki::Certificate>& pasted,
                   Channel channel = Channel::kCli);
  // `set cert import trust`: into <unit>-trust, replicated per rule U10.
  Status ImportTrust(const std::string& unit, const std::vector<pki::Certificate>& pasted,
                     const std::string& description = "Trust Certificate");
  // `set cert delete <store> <file>` (rules U10, U11).
  Status DeleteTrust(const std::string& store, const std::string& file);

  std::vector<TrustEntry> TrustEntries(const std::string& store) const;
  std::vector<TrustEntry> AllTrustEntries() const;

  // Service states (services.conf).
  std::string ServiceState(const std::string& service) const;
  Status SetServiceState(const std::string& service, const std::string& state) const;
  // Copies own/ to running/ for every unit restarted by `service` (rule U13).
  Status RefreshRunning(const std::string& service) const;

  // Members of the cluster: (address, dir, fqdn, role, node-type), publisher first.
  struct Member {
    std::string address, fqdn, role, nodeType;
    fs::path dir;
  };
  std::vector<Member> ClusterMembers() const;
  // The members a replicated store reaches (rule U10), this node included: those of its
  // product (Unified CM or IM and Presence). ASSUMED from the record: the two exchange
  // certificates by hand (the IM and Presence configuration guide's certificate exchange).
  std::vector<Member> ReplicationMembers() const;
  fs::path ClusterLockPath() const { return config_.clusterDir / "lock"; }

 private:
  Appliance(fs::path dir, NodeConfig config, const catalogue::PlatformCatalogue* platform)
      : dir_(std::move(dir)), config_(std::move(config)), platform_(platform) {}
  Status WriteIdentity(const fs::path& base, const std::string& unit, const std::string& chainPem,
                       const std::string& keyPem) const;
  Status CreateSelfSigned(const std::string& unit, const pki::KeySpec& spec);
  Status AddTrust(const std::string& store, const pki::Certificate& cert, const std::string& description);
  Status AddTrustToNode(const fs::path& nodeDir, const std::string& store, const pki::Certificate& cert,
                        const std::string& description) const;

  fs::path dir_;
  NodeConfig config_;
  const catalogue::PlatformCatalogue* platform_;
};

// The trust file name of a certificate: its subject CN with every character outside
// [A-Za-z0-9._-] replaced by '_' (ASSUMED), "certificate" when it has no CN.
std::string TrustFileStem(const pki::Certificate& cert);

}  // namespace pkiform::sim
