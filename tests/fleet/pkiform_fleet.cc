// pkiform_fleet: a simulated fleet on loopback for the demo and the integration
// tests. It starts real OpenSSH (one sshd, every host on its own 127.0.X.Y, each
// seeing its own /srv/pkiform-host) and a real nginx per openssh host, and
// pkiform-sim for the ucm hosts (Cisco Unified CM and IM and Presence nodes: their
// CLI over SSH, their TLS endpoints), the vcs hosts (Cisco VCS peers: the admin
// xACLI and the root exec door over SSH, HTTPS, SIP TLS and MRA) and the dms hosts
// (Cisco DMS Show and Share appliances: the AAI menus over SSH, HTTPS); writes a manifest
// repository for them (local CAs, an openssh cluster `web`, a ucm cluster `ucm` for the
// Unified CM nodes and one `imp` for the IM and Presence nodes, one vcs cluster `vcs` of
// every vcs host, one dms cluster `dms` of every dms host, staged through the first
// openssh host; known_hosts, the client key, the appliance, vcs root and staging passwords,
// the dms keystore passphrase), runs COMMAND with FLEET_* variables set, and tears everything down.
//
// Usage: pkiform_fleet DIR HOST[,HOST...] -- COMMAND [ARGS...]
//   HOST = FQDN=ADDRESS[:PLATFORM[:ROLE[:NODETYPE[:RELEASE[:CLUSTER]]]]]  (openssh, ucm)
//        | FQDN=ADDRESS:vcs[:RELEASE]                            (vcs)
//        | FQDN=ADDRESS:dms                                      (dms, 5.2.1)
//   PLATFORM openssh (default), ucm, vcs or dms; ROLE publisher (default) or subscriber;
//   NODETYPE unifiedCM (default) or imAndPresence; RELEASE 14, 14SU1 (default), 14SU2, 14SU3
//   (ucm) or X8.<n>[.<n>], default X8.1.1 (vcs; the cluster's platformVersion is its first
//   host's). The vcs cluster's FQDN is "vcs." + the domain of its first host's FQDN.
//   CLUSTER (ucm): the nodes of one name form a cluster of their own (replication, its
//   manifest ucm-CLUSTER.yaml / imp-CLUSTER.yaml, one publisher each); default: one `ucm`
//   cluster of every Unified CM node and one `imp` of every IM and Presence node.
//   A fleet with dms hosts needs an openssh host: the first one is the dms cluster's
//   (S)FTP staging server (spec.staging), and SFTP (so not PKIFORM_FLEET_NO_SFTP=1).
// HOST[,HOST...] may be @FILE: the hosts listed in FILE, by commas or one per line.
// With PKIFORM_FLEET_NO_NGINX=1 the openssh hosts run no nginx but have its files (the harness's
// bootstrap certificate, key and chain), and the cluster reloads with `true` and verifies nothing:
// fleets of thousands of hosts for bench/run --scale.
// With PKIFORM_FLEET_NO_SFTP=1 in the environment, sshd has no SFTP subsystem
// (like hardened hosts), so pkiform writes files over exec.
// PKIFORM_FLEET_HTTPS_PORT, PKIFORM_FLEET_SIP_TLS_PORT (default 443, 5061),
// PKIFORM_FLEET_CUP_SIP_TLS_PORT, PKIFORM_FLEET_XMPP_CLIENT_PORT, PKIFORM_FLEET_XMPP_SERVER_PORT
// (IM and Presence: 5062, 5222, 5269; pkiform verifies on the catalogue's ports),
// PKIFORM_FLEET_MRA_PORT (vcs, default 8443),
// PKIFORM_FLEET_RELOAD_MS: the openssh hosts' reload command sleeps that long before nginx reloads.
// PKIFORM_FLEET_RESTART_MS, PKIFORM_FLEET_STARTUP_MS and PKIFORM_FLEET_COMMAND_MS (ucm: each
// CLI command; default 0) set the
// appliances' ports and delays; PKIFORM_SIM overrides the pkiform-sim the build knows.
// PKIFORM_FLEET_TOMCAT_NAMES (comma-separated) adds extraDnsNames to the ucm tomcat slot.
//
// COMMAND sees FLEET_DIR (DIR), FLEET_SSH_PORT, FLEET_NGINX_PORT and, with ucm, vcs or dms
// hosts, FLEET_UCM_USER, FLEET_UCM_PASSWORD_FILE (the appliance administrator of all three),
// FLEET_HTTPS_PORT, FLEET_SIP_TLS_PORT,
// FLEET_CUP_SIP_TLS_PORT, FLEET_XMPP_CLIENT_PORT, FLEET_XMPP_SERVER_PORT, FLEET_HOSTS_DIR (the appliances' simulator
// directories, by address); with vcs hosts also FLEET_VCS_ROOT_USER, FLEET_VCS_ROOT_PASSWORD_FILE and FLEET_MRA_PORT;
// with dms hosts FLEET_DMS_STAGING_USER, FLEET_DMS_STAGING_PASSWORD_FILE and FLEET_DMS_STAGING_DIR (the staging
// login of every openssh host: a password, SFTP; and where its files go there) and FLEET_DMS_KEYSTORE_PASSPHRASE_FILE
// (DIR/ssh/keystore-passphrase, 0600: a random passphrase for EXPORT_KEYSTORE / IMPORT_KEYSTORE, D14).
#include <grp.h>
#include <pwd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "reconciler/pki/signer.h"
#include "tests/support/fleet_harness.h"

using namespace pkiform;
namespace fs = std::filesystem;

namespace {

int Fail(const std::string& what) {
  std::fprintf(stderr, "pkiform_fleet: %s\n", what.c_str());
  return 1;
}

void Write(const fs::path& p, const std::string& text, fs::perms mode = fs::perms(0644)) {
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  // Before the content: a CA key or a passphrase is never readable by others, even for a moment.
  fs::permissions(p, mode);
  out << text;
}

// The appliance administrator's login (ucm, dms; vcs adds its root door and writes it as a block).
std::string ApplianceConnection(const testing::FleetHarness& fleet) {
  return "  connection: {user: " + fleet.applianceUser() + ", port: " + std::to_string(fleet.port()) +
         ", passwordFile: ../ssh/appliance-password, knownHosts: ../ssh/known_hosts, timeout: 60s}\n";
}

// One appliance peer; `extra` (", role: ...") goes before httpsPort. The simulator serves every
// appliance's HTTPS (ucm: the platform REST API, U15; vcs, dms: where the identity is verified) on
// the fleet's HTTPS port, and 443 is the manifest's default.
std::string PeerLine(const testing::FleetHarness& fleet, const testing::FleetHost& h, const std::string& extra = "") {
  std::string line = "    - {fqdn: " + h.fqdn + ", address: " + h.address + extra;
  if (fleet.httpsPort() != 443) line += ", httpsPort: " + std::to_string(fleet.httpsPort());
  return line + "}\n";
}

// One ucm cluster per product (`product` unified-cm or im-and-presence, the nodes of that
// node type): the fleet CA (ECDSA) for tomcat-ECDSA, an RSA CA for the RSA purposes (rule
// U5: a CA signs the RSA purposes with RSA). Unified CM: tomcat, CallManager, CAPF; IM and
// Presence (its first node the IM and Presence database publisher): tomcat, cup, cup-xmpp,
// cup-xmpp-s2s. Each RSA purpose's -trust store holds both CAs (rule U7).
std::string UcmManifest(const testing::FleetHarness& fleet, const std::vector<testing::FleetHost>& hosts,
                        const std::string& name) {
  const testing::FleetHost* publisher = &hosts.front();
  for (const auto& h : hosts) {
    if (h.role == "publisher") publisher = &h;
  }
  const bool unifiedCm = publisher->nodeType == "unifiedCM";
  const std::string subject =
      "      subject: {organization: Example Ltd, organizationalUnit: Collaboration, locality: London, state: England, "
      "country: GB}\n";
  auto slot = [&](const std::string& slotName, const std::string& issuer, const std::string& key) {
    return "    - slot: " + slotName + "\n      issuer: " + issuer + "\n" + subject +
           "      sans: per-peer\n      key: " + key + "\n      duration: 730d\n      renewBefore: 60d\n";
  };
  auto trust = [](const std::string& store) {
    return "    - store: " + store + "\n      certificates: [../ca/root.pem, ../ca/rsa.pem]\n";
  };
  const std::string rsa = "{algorithm: rsa, size: 2048, location: appliance}";
  std::ostringstream m;
  m << "# yaml-language-server: $schema=../../schema/pkiform.schema.json\n"
    << "# Written by pkiform_fleet: Cisco " << (unifiedCm ? "Unified CM" : "IM and Presence")
    << " nodes simulated by pkiform-sim on loopback.\n"
    << "apiVersion: pkiform/v1\nkind: Cluster\nmetadata: {name: " << name << "}\nspec:\n  platform: ucm\n"
    << "  product: " << (unifiedCm ? "unified-cm" : "im-and-presence") << "\n"
    // Quoted: a bare 14 is a YAML integer, and the schema wants the release as a string.
    << "  platformVersion: \"" << publisher->Release() << "\"\n"
    << ApplianceConnection(fleet) << "  peers:\n";
  for (const auto& h : hosts) m << PeerLine(fleet, h, ", role: " + h.role);
  // PKIFORM_FLEET_TOMCAT_NAMES="a.example.com,b.example.com": more tomcat names than the
  // CLI's CSR carries, so the CSR (and from 14SU2 the upload, U15) uses the REST API.
  std::string tomcat = slot("tomcat", "fleet-rsa-ca", rsa);
  if (const char* names = std::getenv("PKIFORM_FLEET_TOMCAT_NAMES"); names && *names)
    tomcat += "      extraDnsNames: [" + std::string(names) + "]\n";
  m << "  identity:\n" << tomcat;
  if (unifiedCm) m << slot("CallManager", "fleet-rsa-ca", rsa) << slot("CAPF", "fleet-rsa-ca", rsa);
  if (!unifiedCm) {
    m << slot("cup", "fleet-rsa-ca", rsa) << slot("cup-xmpp", "fleet-rsa-ca", rsa)
      << slot("cup-xmpp-s2s", "fleet-rsa-ca", rsa);
  }
  m << slot("tomcat-ECDSA", "fleet-ca", "{algorithm: ecdsa, curve: P-256, location: appliance}");
  m << "  trust:\n" << trust("tomcat-trust");
  if (unifiedCm) m << trust("CallManager-trust") << trust("CAPF-trust");
  if (!unifiedCm) m << trust("cup-trust") << trust("cup-xmpp-trust") << trust("cup-xmpp-s2s-trust");
  return m.str();
}

// The vcs cluster `vcs` of every vcs host (their release and cluster FQDN are the first
// host's; the harness refuses two cluster FQDNs in one cluster): the server certificate per
// peer from the RSA issuer, the fleet's RSA CA as the trusted CA list. `connection.root` is
// the root door (the provider's certificate files).
std::string VcsManifest(const testing::FleetHarness& fleet, const std::vector<testing::FleetHost>& hosts) {
  std::ostringstream m;
  m << "# yaml-language-server: $schema=../../schema/pkiform.schema.json\n"
    << "# Written by pkiform_fleet: Cisco VCS peers simulated by pkiform-sim on loopback.\n"
    << "apiVersion: pkiform/v1\nkind: Cluster\nmetadata: {name: vcs}\nspec:\n  platform: vcs\n"
    << "  platformVersion: \"" << hosts.front().Release() << "\"\n"
    << "  fqdn: " << hosts.front().ClusterFqdn() << "\n"
    << "  connection:\n    user: " << fleet.applianceUser() << "\n    port: " << fleet.port()
    << "\n    passwordFile: ../ssh/appliance-password\n    knownHosts: ../ssh/known_hosts\n    timeout: 60s\n"
    << "    root: {user: " << fleet.rootUser() << ", passwordFile: ../ssh/root-password}\n  peers:\n";
  for (const auto& h : hosts) m << PeerLine(fleet, h);
  m << "  identity:\n"
       "    - slot: server\n"
       "      issuer: fleet-rsa-ca\n"
       "      subject: {organization: Example Ltd, organizationalUnit: Collaboration, locality: London, state: England, "
       "country: GB}\n"
       "      sans: per-peer\n"
       "      key: {algorithm: rsa, size: 2048, location: appliance}\n"
       "      duration: 730d\n"
       "      renewBefore: 60d\n"
       "  trust:\n"
       "    - store: default\n"
       "      certificates: [../ca/rsa.pem]\n"
       "      prune: true\n";
  return m.str();
}

// The dms cluster `dms` of every dms host (DMS 5.2.1, the simulator's release): the identity per peer
// from the RSA issuer, with the subject of examples/manifests/dms.yaml (D6, D7); no trust section, since a
// DMS has no trust store (its chain comes with the identity). `staging` is the staging login on
// `stagingAddress` (an openssh host of this fleet, reached on the fleet's SSH port: the appliance and
// pkiform log in there with the same password, D16), in FleetHarness::kStagingDir, which
// the harness makes for that login; its host key is in the connection's known_hosts under
// "[address]:port", so the staging block names no knownHosts of its own.
std::string DmsManifest(const testing::FleetHarness& fleet, const std::vector<testing::FleetHost>& hosts,
                        const std::string& stagingAddress) {
  std::ostringstream m;
  m << "# yaml-language-server: $schema=../../schema/pkiform.schema.json\n"
    << "# Written by pkiform_fleet: Cisco DMS Show and Share appliances simulated by pkiform-sim on loopback,\n"
    << "# staging their files on the openssh host " << stagingAddress << ".\n"
    << "apiVersion: pkiform/v1\nkind: Cluster\nmetadata: {name: dms}\nspec:\n  platform: dms\n"
    << "  platformVersion: \"5.2.1\"\n"
    << ApplianceConnection(fleet) << "  peers:\n";
  for (const auto& h : hosts) m << PeerLine(fleet, h);
  m << "  staging:\n    host: " << stagingAddress << "\n    port: " << fleet.port() << "\n    user: "
    << fleet.stagingUser() << "\n    path: " << testing::FleetHarness::kStagingDir
    << "\n    passwordFile: ../ssh/staging-password\n    keystorePassphraseFile: ../ssh/keystore-passphrase\n";
  m << "  identity:\n"
       "    - slot: identity\n"
       "      issuer: fleet-rsa-ca\n"
       "      subject: {organization: Example Ltd, organizationalUnit: Video Services, locality: London, "
       "state: England, country: GB}\n"
       "      sans: per-peer\n"
       "      key: {algorithm: rsa, size: 2048, location: appliance}\n"
       "      duration: 365d\n"
       "      renewBefore: 45d\n";
  return m.str();
}

// A self-signed CA certificate and its key, written to DIR/ca/NAME.pem and NAME.key (0600).
std::string WriteCa(const fs::path& dir, const std::string& name, const pki::KeySpec& spec, const std::string& cn) {
  auto key = pki::PrivateKey::Generate(spec);
  if (!key.ok()) return key.status().message();
  pki::SigningPolicy policy;
  policy.subject.commonName = cn;
  policy.subject.organization = "Example Ltd";
  policy.isCa = true;
  policy.keyUsage = {"keyCertSign", "cRLSign"};
  policy.notBefore = std::chrono::system_clock::now() - std::chrono::hours(1);
  policy.validity = std::chrono::hours(24 * 365 * 5);
  auto ca = pki::SelfSign(*key, policy);
  if (!ca.ok()) return ca.status().message();
  auto key_pem = key->ToPem();
  if (!key_pem.ok()) return key_pem.status().message();
  Write(dir / ("ca/" + name + ".pem"), ca->ToPem());
  Write(dir / ("ca/" + name + ".key"), std::string(key_pem->view()), fs::perms(0600));
  return "";
}

constexpr const char* kHostSpec =
    "FQDN=ADDRESS[:PLATFORM[:ROLE[:NODETYPE[:RELEASE[:CLUSTER]]]]] or FQDN=ADDRESS:vcs[:RELEASE] or "
    "FQDN=ADDRESS:dms";

// "FQDN=ADDRESS[:PLATFORM[:ROLE[:NODETYPE[:RELEASE[:CLUSTER]]]]]", "FQDN=ADDRESS:vcs[:RELEASE]" or
// "FQDN=ADDRESS:dms"; the harness checks the values.
std::string ParseHost(const std::string& item, testing::FleetHost* host) {
  auto eq = item.find('=');
  if (eq == std::string::npos) return "host '" + item + "' is not " + kHostSpec;
  host->fqdn = item.substr(0, eq);
  std::vector<std::string> fields;
  std::stringstream rest(item.substr(eq + 1));
  for (std::string f; std::getline(rest, f, ':');) fields.push_back(f);
  if (fields.empty() || fields.size() > 6) return "host '" + item + "' is not " + kHostSpec;
  host->address = fields[0];
  if (fields.size() > 1) host->platform = fields[1];
  if (host->platform == "dms") {  // a DMS appliance: no role, node type or release
    if (fields.size() > 2) return "host '" + item + "' is not FQDN=ADDRESS:dms";
    return "";
  }
  if (host->platform == "vcs") {  // a VCS peer has no role or node type
    if (fields.size() > 3) return "host '" + item + "' is not FQDN=ADDRESS:vcs[:RELEASE]";
    if (fields.size() > 2) host->release = fields[2];
    return "";
  }
  if (fields.size() > 2) host->role = fields[2];
  if (fields.size() > 3) host->nodeType = fields[3];
  if (fields.size() > 4) host->release = fields[4];
  if (fields.size() > 5) {
    if (host->platform != "ucm") return "host '" + item + "': only ucm hosts name a cluster";
    host->cluster = fields[5];
  }
  // PKIFORM_FLEET_NO_NGINX=1: the files only (bench/run --scale).
  const bool noNginx = std::getenv("PKIFORM_FLEET_NO_NGINX") && std::string(std::getenv("PKIFORM_FLEET_NO_NGINX")) == "1";
  host->nginx = host->platform == "openssh" && !noNginx;
  host->bootstrapFiles = host->platform == "openssh" && noNginx;
  return "";
}

int EnvInt(const char* name, int otherwise) {
  const char* v = std::getenv(name);
  return v == nullptr || *v == '\0' ? otherwise : std::atoi(v);
}

// PKIFORM_FLEET_RELOAD_MS: the openssh hosts' reload takes that long first (`sleep S && `), as a
// real service's restart does (bench/run --restart-ms: apply bound by restarts, P3).
std::string ReloadLatency() {
  const char* ms = std::getenv("PKIFORM_FLEET_RELOAD_MS");
  const int value = ms == nullptr ? 0 : std::atoi(ms);
  if (value <= 0) return "";
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%d.%03d", value / 1000, value % 1000);
  return std::string("sleep ") + seconds + " && ";
}

std::string Manifest(const testing::FleetHarness& fleet, const std::vector<testing::FleetHost>& hosts) {
  std::ostringstream m;
  m << "# yaml-language-server: $schema=../../schema/pkiform.schema.json\n"
       "# Written by pkiform_fleet: nginx hosts on loopback, each with its own /srv/pkiform-host.\n"
       "apiVersion: pkiform/v1\nkind: Cluster\nmetadata: {name: web}\nspec:\n  platform: openssh\n"
       "  connection: {user: "
    << fleet.user() << ", port: " << fleet.port()
    << ", identityFile: ../ssh/client_key, knownHosts: ../ssh/known_hosts, timeout: 20s}\n  peers:\n";
  for (const auto& h : hosts) m << "    - {fqdn: " << h.fqdn << ", address: " << h.address << "}\n";
  m << "  identity:\n"
       "    - slot: nginx\n"
       "      issuer: fleet-ca\n"
       "      subject: {organization: Example Ltd, country: GB}\n"
       "      key: {algorithm: ecdsa, curve: P-256, location: appliance}\n"
       "      duration: 90d\n"
       "      renewBefore: 30d\n"
       "      files:\n"
       "        certificate: /srv/pkiform-host/tls/server.pem\n"
       "        chain: /srv/pkiform-host/tls/chain.pem\n"
       "        fullchain: /srv/pkiform-host/tls/fullchain.pem\n"
       "        privateKey: /srv/pkiform-host/tls/server.key\n"
       "      reload: "
    << (hosts.empty() || hosts.front().nginx
            ? ReloadLatency() + std::string(testing::FleetHarness::kNginxReloadCommand) + "\n      verify: {port: " +
                  std::to_string(fleet.nginxPort()) + "}"
            : std::string("\"true\"  # PKIFORM_FLEET_NO_NGINX: no service to reload or verify"))
    << "\n  trust:\n"
       "    - store: /srv/pkiform-host/trust/corp-bundle.pem\n"
       "      certificates: [../ca/root.pem]\n"
       "      prune: true\n";
  return m.str();
}

}  // namespace

int main(int argc, char** argv) {
  int sep = 0;
  for (int i = 1; i < argc; ++i)
    if (std::string(argv[i]) == "--") sep = i;
  if (argc < 5 || sep != 3) {
    return Fail(std::string("usage: pkiform_fleet DIR HOST[,HOST...] -- COMMAND [ARGS...]\n  HOST = ") + kHostSpec +
                "\n  (with dms hosts, the first openssh host is their (S)FTP staging server)");
  }
  fs::path dir = fs::absolute(argv[1]);
  std::vector<testing::FleetHost> hosts, webHosts, ucmHosts, cmHosts, impHosts, vcsHosts, dmsHosts;
  std::string stagingAddress;  // the dms staging server: the first openssh host
  // "@FILE": the hosts from FILE (commas or newlines), for fleets whose list would pass the
  // kernel's limit on one argument (128 KiB: about 4,000 hosts).
  std::string hostList = argv[2];
  if (!hostList.empty() && hostList[0] == '@') {
    std::ifstream in(hostList.substr(1));
    if (!in) return Fail("cannot read the host list " + hostList.substr(1));
    std::stringstream text;
    text << in.rdbuf();
    hostList = text.str();
    std::replace(hostList.begin(), hostList.end(), '\n', ',');
    while (!hostList.empty() && hostList.back() == ',') hostList.pop_back();
  }
  std::stringstream list(hostList);
  for (std::string item; std::getline(list, item, ',');) {
    testing::FleetHost host;
    if (std::string bad = ParseHost(item, &host); !bad.empty()) return Fail(bad);
    hosts.push_back(host);
    if (host.platform == "vcs") {
      vcsHosts.push_back(host);
      continue;
    }
    if (host.platform == "dms") {
      dmsHosts.push_back(host);
      continue;
    }
    if (host.platform == "openssh" && stagingAddress.empty()) stagingAddress = host.address;
    (host.platform == "ucm" ? ucmHosts : webHosts).push_back(host);
    if (host.platform == "ucm") (host.nodeType == "imAndPresence" ? impHosts : cmHosts).push_back(host);
  }

  testing::FleetOptions options;
  options.hosts = hosts;
  options.httpsPort = EnvInt("PKIFORM_FLEET_HTTPS_PORT", 443);
  options.sipTlsPort = EnvInt("PKIFORM_FLEET_SIP_TLS_PORT", 5061);
  options.mraPort = EnvInt("PKIFORM_FLEET_MRA_PORT", 8443);
  options.cupSipTlsPort = EnvInt("PKIFORM_FLEET_CUP_SIP_TLS_PORT", 5062);
  options.xmppClientPort = EnvInt("PKIFORM_FLEET_XMPP_CLIENT_PORT", 5222);
  options.xmppServerPort = EnvInt("PKIFORM_FLEET_XMPP_SERVER_PORT", 5269);
  options.applianceRestartMs = EnvInt("PKIFORM_FLEET_RESTART_MS", 0);
  options.applianceStartupMs = EnvInt("PKIFORM_FLEET_STARTUP_MS", 0);
  options.applianceCommandMs = EnvInt("PKIFORM_FLEET_COMMAND_MS", 0);
  options.applianceCountry = "GB";  // the country the manifests below ask for (ucm fixes it at installation)
  if (const char* sim = std::getenv("PKIFORM_SIM"); sim != nullptr && *sim != '\0') options.simPath = sim;
  options.hostShell = std::string(PKIFORM_SOURCE_DIR) + "/tests/fleet/host-shell";
  const char* noSftp = std::getenv("PKIFORM_FLEET_NO_SFTP");
  options.sftp = noSftp == nullptr || std::string(noSftp) != "1";
  // Checked before anything starts: the dms cluster's staging block names an openssh host reached over SFTP.
  if (!dmsHosts.empty() && stagingAddress.empty()) {
    return Fail("a fleet with dms hosts needs an openssh host (FQDN=ADDRESS) as their (S)FTP staging server: "
                "add one, e.g. staging.fleet.test=ADDRESS, before or after the dms hosts");
  }
  if (!dmsHosts.empty() && !options.sftp) {
    return Fail("a fleet with dms hosts needs SFTP on its staging server: unset PKIFORM_FLEET_NO_SFTP");
  }
  auto fleet = testing::FleetHarness::Start(options);
  if (!fleet.ok()) return Fail(fleet.status().message());

  // The trust bundle's folder on every host, owned by the login user.
  passwd* pw = getpwnam((*fleet)->user().c_str());
  for (const auto& h : webHosts) {
    auto host_dir = (*fleet)->hostDir(h.fqdn);
    if (!host_dir.ok()) return Fail(host_dir.status().message());
    fs::create_directories(*host_dir + "/trust");
    if (pw && chown((*host_dir + "/trust").c_str(), pw->pw_uid, pw->pw_gid) != 0) return Fail("chown trust dir");
  }

  // A local CA for the fleet (EC P-256, made fresh each run); with appliances also an RSA one (rule U5).
  if (std::string bad = WriteCa(dir, "root", pki::KeySpec::Ecdsa("P-256"), "pkiform fleet CA"); !bad.empty()) {
    return Fail(bad);
  }
  std::string issuers =
      "apiVersion: pkiform/v1\nkind: Issuer\nmetadata: {name: fleet-ca}\n"
      "spec:\n  ca: {certificate: ../ca/root.pem, privateKey: ../ca/root.key}\n";
  if (!ucmHosts.empty() || !vcsHosts.empty() || !dmsHosts.empty()) {
    if (std::string bad = WriteCa(dir, "rsa", pki::KeySpec::Rsa(2048), "pkiform fleet RSA CA"); !bad.empty()) {
      return Fail(bad);
    }
    issuers +=
        "---\n# The RSA purposes of the ucm appliances (tomcat, CallManager, CAPF; rule U5), the vcs server "
        "certificate and the dms identity.\n"
        "apiVersion: pkiform/v1\nkind: Issuer\nmetadata: {name: fleet-rsa-ca}\n"
        "spec:\n  ca: {certificate: ../ca/rsa.pem, privateKey: ../ca/rsa.key}\n";
  }
  Write(dir / "manifests/issuers.yaml", issuers);
  if (!webHosts.empty()) Write(dir / "manifests/web.yaml", Manifest(**fleet, webHosts));
  // One cluster per product and CLUSTER name: Unified CM in ucm[-CLUSTER].yaml, IM and Presence in
  // imp[-CLUSTER].yaml (map order: the files and clusters come out sorted by name).
  for (const auto& [product, productHosts] : {std::pair{"ucm", &cmHosts}, std::pair{"imp", &impHosts}}) {
    std::map<std::string, std::vector<testing::FleetHost>> byCluster;
    for (const auto& h : *productHosts) byCluster[h.cluster].push_back(h);
    for (const auto& [cluster, members] : byCluster) {
      const std::string name = cluster.empty() ? std::string(product) : std::string(product) + "-" + cluster;
      Write(dir / ("manifests/" + name + ".yaml"), UcmManifest(**fleet, members, name));
    }
  }
  if (!vcsHosts.empty()) Write(dir / "manifests/vcs.yaml", VcsManifest(**fleet, vcsHosts));
  if (!dmsHosts.empty()) Write(dir / "manifests/dms.yaml", DmsManifest(**fleet, dmsHosts, stagingAddress));
  fs::create_directories(dir / "ssh");
  if (!vcsHosts.empty()) {
    fs::copy_file((*fleet)->rootPasswordPath(), dir / "ssh/root-password", fs::copy_options::overwrite_existing);
    fs::permissions(dir / "ssh/root-password", fs::perms(0600));
    setenv("FLEET_VCS_ROOT_USER", (*fleet)->rootUser().c_str(), 1);
    setenv("FLEET_VCS_ROOT_PASSWORD_FILE", (dir / "ssh/root-password").c_str(), 1);
    setenv("FLEET_MRA_PORT", std::to_string((*fleet)->mraPort()).c_str(), 1);
  }
  if ((*fleet)->hasDms()) {
    // The dms appliances' staging server: any openssh host, this login, over SFTP.
    fs::copy_file((*fleet)->stagingPasswordPath(), dir / "ssh/staging-password", fs::copy_options::overwrite_existing);
    fs::permissions(dir / "ssh/staging-password", fs::perms(0600));
    setenv("FLEET_DMS_STAGING_USER", (*fleet)->stagingUser().c_str(), 1);
    setenv("FLEET_DMS_STAGING_PASSWORD_FILE", (dir / "ssh/staging-password").c_str(), 1);
    setenv("FLEET_DMS_STAGING_DIR", testing::FleetHarness::kStagingDir, 1);
    // EXPORT_KEYSTORE / IMPORT_KEYSTORE's passphrase (D14): fresh each run, only in this file.
    auto passphrase = testing::RandomPassword();
    if (!passphrase.ok()) return Fail("the dms keystore passphrase: " + passphrase.status().message());
    Write(dir / "ssh/keystore-passphrase", *passphrase + "\n", fs::perms(0600));
    setenv("FLEET_DMS_KEYSTORE_PASSPHRASE_FILE", (dir / "ssh/keystore-passphrase").c_str(), 1);
  }
  if ((*fleet)->hasAppliances()) {
    fs::copy_file((*fleet)->appliancePasswordPath(), dir / "ssh/appliance-password",
                  fs::copy_options::overwrite_existing);
    fs::permissions(dir / "ssh/appliance-password", fs::perms(0600));
    setenv("FLEET_UCM_USER", (*fleet)->applianceUser().c_str(), 1);
    setenv("FLEET_UCM_PASSWORD_FILE", (dir / "ssh/appliance-password").c_str(), 1);
    setenv("FLEET_HTTPS_PORT", std::to_string((*fleet)->httpsPort()).c_str(), 1);
    setenv("FLEET_SIP_TLS_PORT", std::to_string((*fleet)->sipTlsPort()).c_str(), 1);
    setenv("FLEET_CUP_SIP_TLS_PORT", std::to_string((*fleet)->cupSipTlsPort()).c_str(), 1);
    setenv("FLEET_XMPP_CLIENT_PORT", std::to_string((*fleet)->xmppClientPort()).c_str(), 1);
    setenv("FLEET_XMPP_SERVER_PORT", std::to_string((*fleet)->xmppServerPort()).c_str(), 1);
    // Each appliance's simulator directory is FLEET_HOSTS_DIR/<address> (faults go there).
    setenv("FLEET_HOSTS_DIR", ((*fleet)->fleetDir() + "/hosts").c_str(), 1);
  }
  fs::copy_file((*fleet)->clientKeyPath(), dir / "ssh/client_key", fs::copy_options::overwrite_existing);
  fs::permissions(dir / "ssh/client_key", fs::perms(0600));
  fs::copy_file((*fleet)->knownHostsPath(), dir / "ssh/known_hosts", fs::copy_options::overwrite_existing);

  setenv("FLEET_DIR", dir.c_str(), 1);
  setenv("FLEET_NGINX_PORT", std::to_string((*fleet)->nginxPort()).c_str(), 1);
  setenv("FLEET_SSH_PORT", std::to_string((*fleet)->port()).c_str(), 1);
  pid_t child = fork();
  if (child == 0) {
    execvp(argv[sep + 1], argv + sep + 1);
    std::perror("pkiform_fleet: exec");
    _exit(127);
  }
  int status = 0;
  waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
