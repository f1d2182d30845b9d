// FleetHarness: a fleet of simulated Linux hosts behind one real OpenSSH sshd,
// for tests, the demo and the benchmark.
//
// Every host has its own loopback address (127.0.X.Y) and its own directory
// FLEET/hosts/127.0.X.Y/ (owned by the login user, with tls/ in it). One sshd
// listens on 0.0.0.0:port() with `ForceCommand tests/fleet/host-shell FLEET`:
// the script reads which address the client reached from SSH_CONNECTION and
// runs the command (or sftp-server, unless FleetOptions::sftp is false; or an
// interactive sh) in an unprivileged
// user+mount namespace where that host's directory is bind-mounted at
// kHostRoot ("/srv/pkiform-host"). So each host sees its own files at the same
// absolute paths, as real hosts do, and is "root" there (uid 0 mapped to the
// login user).
//
// With FleetHost::nginx, the host also runs nginx as the login user, in its own
// namespace with the same bind mount, listening on address:nginxPort() with
// TLS from kHostRoot/tls/fullchain.pem and server.key (a self-signed bootstrap
// certificate for the FQDN and address is written first). kNginxReloadCommand,
// run over SSH, makes it load replaced files: nginx -s reload parses the
// configuration, loading the certificate and key (a bad pair fails it, exit 1,
// and nothing is signalled) and sends SIGHUP to the master, which runs as the
// same user in the same pid namespace.
//
// Appliance hosts (FleetHost::platform "ucm") are Cisco Unified CM nodes
// simulated by pkiform-sim: the harness runs `pkiform-sim init` for each
// (its factory state in FLEET/hosts/ADDRESS/, marked by sim.conf; the
// nodes of one cluster share FLEET/clusters/NAME/), and host-shell hands their
// logins to `pkiform-sim shell` (a CLI on a PTY, no exec, no SFTP). They log
// in as FleetOptions::applianceUser with keyboard-interactive (PAM) or
// password, never a key (SshdOptions::passwordUsers); the password is in
// FLEET/ssh/appliance-password (0600). One `pkiform-sim tls` daemon serves
// every appliance's TLS endpoints (HTTPS, SIP TLS) while the harness lives; the
// HTTPS port also serves the platform REST API, whose basic auth takes the same
// user and password.
//
// vcs hosts (FleetHost::platform "vcs") are Cisco VCS / Expressway peers
// (docs/platforms/vcs.md, "Simulator"): `pkiform-sim init --platform vcs` with
// the host's release (default X8.1.1), its cluster FQDN (FleetHost::clusterFqdn,
// default "vcs." + the domain of its FQDN; one per cluster), --root-user, the
// addresses of the other vcs hosts of its cluster as --peer (Alternates) and the
// fleet's HTTPS, SIP TLS and MRA ports. A peer has two SSH logins, both
// password-only like the ucm administrator: applianceUser() (Target(): the
// xACLI on an interactive PTY shell; exec refused) and rootUser() (RootTarget():
// exec requests only; password in rootPasswordPath(), FLEET/ssh/root-password,
// 0600). host-shell hands both to `pkiform-sim shell --fleet`, which picks the
// door by USER. The root login is no machine root: an account of its own name
// and password sharing the appliance user's uid (EnsurePasswordUser's
// sameUidAs), since both logins read and write the same peer directory. The
// TLS daemon serves the vcs peers too (HTTPS, SIP TLS, MRA). SFTP is refused
// on every appliance.
//
// dms hosts (FleetHost::platform "dms") are Cisco DMS Show and Share appliances
// (docs/platforms/dms.md, "Simulator"): `pkiform-sim init --platform dms` with the
// fleet's HTTPS port; applianceUser() gets the AAI on an interactive PTY shell (no
// exec, no SFTP). Their staging server is any openssh host of the fleet (a fleet
// with dms hosts needs one): stagingUser() logs in there with a password only
// (FLEET/ssh/staging-password, 0600) and gets SFTP in the host's namespace; the
// staged files go to kStagingDir (FLEET/hosts/ADDRESS/staging, owned by that user),
// CSRs the appliance delivers to the user's home directory.
//
// known_hosts names every host by "[address]:port" and "[fqdn]:port", so that
// a client can connect to the address and verify the key under the FQDN
// (SshTarget::hostKeyAlias).
//
// The destructor stops the nginx masters (pid files), the TLS daemon, then sshd, and removes
// the fleet directory. nginx daemonises: if the test process is killed, they
// outlive it and keep their ports; Start() then says so.
//
// Must run as root. Create it on a thread that outlives it (see SshdHarness).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "providers/ssh/session.h"
#include "reconciler/util/result.h"
#include "tests/support/sshd_harness.h"

namespace pkiform::testing {

struct FleetHost {
  // {fqdn, address[, nginx]} as before the platforms came; the rest is set by name.
  FleetHost() = default;
  FleetHost(std::string fqdn, std::string address, bool nginx = false)
      : fqdn(std::move(fqdn)), address(std::move(address)), nginx(nginx) {}

  std::string fqdn;     // e.g. "web1.fleet.test"; unique in the fleet
  std::string address;  // 127.0.X.Y, unique in the fleet
  bool nginx = false;   // run nginx with a bootstrap certificate on address:nginxPort (openssh only)
  // Without nginx: still write its bootstrap certificate, key and chain (fleets of thousands of
  // hosts for benchmarks of plan, where a TLS service per host would not fit the machine).
  bool bootstrapFiles = false;
  std::string platform = "openssh";  // or "ucm", "vcs", "dms": a pkiform-sim appliance
  // Empty: the platform's default, Release().
  //   ucm: 14, 14SU1 (default), 14SU2, 14SU3; vcs: X8.<n>[.<n>], default X8.1.1.
  std::string release;
  // ucm only (pkiform-sim init's options):
  // One publisher per node type of a cluster: the Unified CM publisher and, with IM and
  // Presence nodes, the IM and Presence database publisher.
  std::string role = "publisher";     // or "subscriber"
  std::string nodeType = "unifiedCM";  // or "imAndPresence"
  // Hosts of one platform and cluster name share FLEET/clusters/NAME/ (ucm) or
  // are each other's peers (vcs); empty: the platform's name.
  std::string cluster;
  // vcs only: the cluster FQDN (Alternates ClusterName), the same on every host of a
  // cluster; empty: "vcs." + the domain of fqdn. ClusterFqdn() says which.
  std::string clusterFqdn;

  std::string Release() const;
  std::string ClusterFqdn() const;
};

struct FleetOptions {
  std::vector<FleetHost> hosts;
  // The TLS port of every host's nginx; 0: a port free on 127.0.0.1 now.
  // Fixed ports are shared by concurrent fleets: give those different addresses.
  int nginxPort = 8443;
  std::string user = "pkiform-test";  // login user; also runs nginx
  std::string hostShell;              // empty: PKIFORM_SOURCE_DIR/tests/fleet/host-shell
  // false: sshd has no SFTP subsystem (host-shell --no-sftp), as on hardened hosts.
  bool sftp = true;
  // Bounds sshd's start, each nginx's start until it completes a TLS handshake,
  // each `pkiform-sim init` and the TLS daemon's start until it says `ready`.
  std::chrono::milliseconds startTimeout{10000};

  // Appliances (platforms ucm and vcs):
  std::string applianceUser = "pkiform-admin";  // logs in with keyboard-interactive or password only
  // vcs: the peers' root login (exec only), a password user like applianceUser; never "root".
  std::string applianceRootUser = "pkiform-vcsroot";
  // dms: the staging login on every openssh host (a password user, SFTP); never "root".
  std::string stagingUser = "pkiform-staging";
  // false: the appliances offer keyboard-interactive only (some refuse the password method).
  bool appliancePasswordMethod = true;
  std::string simPath;  // empty: pkiform-sim as built by CMake (PKIFORM_SIM_PATH)
  int applianceRestartMs = 0;  // how long a service restart keeps its endpoint down
  int applianceStartupMs = 0;  // how long the CLI takes to start ("please wait ...")
  int applianceCommandMs = 0;  // how long each ucm CLI command takes (benchmarks)
  // The country an appliance was installed with (ucm: fixed at installation, so every CSR
  // carries it); empty: the simulator's default, US.
  std::string applianceCountry;
  int httpsPort = 443;         // tomcat and tomcat-ECDSA; vcs: HTTPS
  int sipTlsPort = 5061;       // CallManager (and CallManager-ECDSA); vcs: SIP TLS
  int mraPort = 8443;          // vcs: the MRA endpoint (refuses connections while the key lacks its newline, V15)
  // IM and Presence nodes: cup on SIP proxy TLS, cup-xmpp and cup-xmpp-s2s behind XMPP STARTTLS.
  int cupSipTlsPort = 5062;
  int xmppClientPort = 5222;
  int xmppServerPort = 5269;
};

class FleetHarness {
 public:
  // Where each host's directory is mounted, as its commands and nginx see it.
  static constexpr const char* kHostRoot = "/srv/pkiform-host";
  // Reloads a host's nginx (run it over SSH on that host).
  // Where a dms appliance's files are staged on an openssh host (its directory's staging/).
  static constexpr const char* kStagingDir = "/srv/pkiform-host/staging";
  static constexpr const char* kNginxReloadCommand = "nginx -c /srv/pkiform-host/nginx/nginx.conf -s reload";

  static Result<std::unique_ptr<FleetHarness>> Start(const FleetOptions& options);

  ~FleetHarness();
  FleetHarness(const FleetHarness&) = delete;
  FleetHarness& operator=(const FleetHarness&) = delete;

  int port() const { return sshd_->port(); }
  const std::string& knownHostsPath() const { return sshd_->knownHostsPath(); }
  const std::string& clientKeyPath() const { return sshd_->clientKeyPath(); }
  const std::string& user() const { return options_.user; }
  int nginxPort() const { return nginxPort_; }
  const std::string& fleetDir() const { return dir_; }
  const std::vector<FleetHost>& hosts() const { return options_.hosts; }
  bool hasAppliances() const;
  const std::string& applianceUser() const { return options_.applianceUser; }
  // FLEET/ssh/appliance-password (0600, the password on its first line); empty without appliances.
  const std::string& appliancePasswordPath() const { return appliancePasswordPath_; }
  // vcs: the root login and FLEET/ssh/root-password (0600); the path is empty without vcs hosts.
  const std::string& rootUser() const { return options_.applianceRootUser; }
  const std::string& rootPasswordPath() const { return rootPasswordPath_; }
  bool hasVcs() const;
  bool hasDms() const;
  // dms: the staging login and FLEET/ssh/staging-password (0600); the path is empty without dms hosts.
  const std::string& stagingUser() const { return options_.stagingUser; }
  const std::string& stagingPasswordPath() const { return stagingPasswordPath_; }
  int httpsPort() const { return options_.httpsPort; }
  int sipTlsPort() const { return options_.sipTlsPort; }
  int mraPort() const { return options_.mraPort; }
  int cupSipTlsPort() const { return options_.cupSipTlsPort; }
  int xmppClientPort() const { return options_.xmppClientPort; }
  int xmppServerPort() const { return options_.xmppServerPort; }
  // The TLS daemon's output so far ("(none)" when it has not started).
  std::string SimTlsLog() const;
  SshdHarness& sshd() { return *sshd_; }

  // The host's directory as seen here (FLEET/hosts/ADDRESS); it is kHostRoot on the host.
  // Both fail (NotFound) for an FQDN that is not in the fleet.
  Result<std::string> hostDir(const std::string& fqdn) const;
  Result<std::string> address(const std::string& fqdn) const;

  // An SshTarget for the host: its address, port(), user(), client key,
  // known_hosts, the FQDN as host key alias, 10 s timeout. For an appliance:
  // applianceUser() and appliancePasswordPath() instead of user and key (a vcs
  // host: its admin login, the xACLI).
  Result<ssh::SshTarget> Target(const std::string& fqdn) const;
  // A vcs host's root login: as Target() with rootUser() and rootPasswordPath().
  // InvalidInput for any other host.
  Result<ssh::SshTarget> RootTarget(const std::string& fqdn) const;

  // Runs `command` on the host over SSH (a new connection) and returns its
  // stdout; a non-zero exit status is an error quoting the status and stderr.
  Result<std::string> Exec(const std::string& fqdn, const std::string& command) const;

  // The host's nginx error log so far ("(none)" when it has none).
  std::string NginxErrorLog(const std::string& fqdn) const;

  // One TLS handshake (OpenSSL, TLS 1.2+, no verification, SNI `sni` unless
  // empty) and the PEM of the leaf certificate served. Independent of
  // pkiform's own probe (reconciler/tls), so tests can check it against this.
  static Result<std::string> FetchServedCertificatePem(const std::string& address, int port, const std::string& sni,
                                                       std::chrono::milliseconds timeout);

 private:
  explicit FleetHarness(FleetOptions options) : options_(std::move(options)) {}
  Status Init();
  Status WriteHostFiles(const FleetHost& host, uid_t uid, gid_t gid);
  Status StartNginx(const FleetHost& host, uid_t uid, gid_t gid);
  void StopNginx(const FleetHost& host);
  Status InitAppliance(const FleetHost& host, const std::string& sim, uid_t uid, gid_t gid);
  Status InitVcs(const FleetHost& host, const std::string& sim, uid_t uid, gid_t gid);
  Status InitDms(const FleetHost& host, const std::string& sim, uid_t uid, gid_t gid);
  Status InitStaging(std::vector<std::string>* passwordUsers);
  Status RunInit(const std::vector<std::string>& init, const std::string& dir);
  Status StartSimTls(const std::string& sim);
  const FleetHost* Find(const std::string& fqdn) const;

  FleetOptions options_;
  std::string dir_;
  int nginxPort_ = 0;
  std::unique_ptr<SshdHarness> sshd_;
  std::vector<const FleetHost*> nginxStarted_;  // in options_.hosts
  std::string appliancePasswordPath_, rootPasswordPath_, stagingPasswordPath_;
  std::unique_ptr<ChildProcess> simTls_;
};

}  // namespace pkiform::testing
