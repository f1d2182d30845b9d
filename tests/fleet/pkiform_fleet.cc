// pkiform_fleet: a simulated fleet on loopback for the demo and the integration
// tests. It starts real OpenSSH (one sshd, every host on its own 127.0.X.Y, each
// seeing its own /srv/pkiform-host) and a real nginx per host, writes a manifest
// repository for them (a local CA, an openssh cluster, known_hosts, the client
// key), runs COMMAND with FLEET_DIR set, and tears everything down.
//
// Usage: pkiform_fleet DIR FQDN=ADDRESS[,FQDN=ADDRESS...] -- COMMAND [ARGS...]
// With PKIFORM_FLEET_NO_SFTP=1 in the environment, sshd has no SFTP subsystem
// (like hardened hosts), so pkiform writes files over exec.
#include <grp.h>
#include <pwd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
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
  std::ofstream(p, std::ios::binary) << text;
  fs::permissions(p, mode);
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
    << testing::FleetHarness::kNginxReloadCommand << "\n      verify: {port: " << fleet.nginxPort()
    << "}\n  trust:\n"
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
  if (argc < 5 || sep != 3) return Fail("usage: pkiform_fleet DIR FQDN=ADDRESS[,...] -- COMMAND [ARGS...]");
  fs::path dir = fs::absolute(argv[1]);
  std::vector<testing::FleetHost> hosts;
  std::stringstream list(argv[2]);
  for (std::string item; std::getline(list, item, ',');) {
    auto eq = item.find('=');
    if (eq == std::string::npos) return Fail("host '" + item + "' is not FQDN=ADDRESS");
    hosts.push_back({item.substr(0, eq), item.substr(eq + 1), true});
  }

  testing::FleetOptions options;
  options.hosts = hosts;
  options.hostShell = std::string(PKIFORM_SOURCE_DIR) + "/tests/fleet/host-shell";
  const char* noSftp = std::getenv("PKIFORM_FLEET_NO_SFTP");
  options.sftp = noSftp == nullptr || std::string(noSftp) != "1";
  auto fleet = testing::FleetHarness::Start(options);
  if (!fleet.ok()) return Fail(fleet.status().message());

  // The trust bundle's folder on every host, owned by the login user.
  passwd* pw = getpwnam((*fleet)->user().c_str());
  for (const auto& h : hosts) {
    auto host_dir = (*fleet)->hostDir(h.fqdn);
    if (!host_dir.ok()) return Fail(host_dir.status().message());
    fs::create_directories(*host_dir + "/trust");
    if (pw && chown((*host_dir + "/trust").c_str(), pw->pw_uid, pw->pw_gid) != 0) return Fail("chown trust dir");
  }

  // A local CA for the fleet (EC P-256, made fresh each run).
  auto key = pki::PrivateKey::Generate(pki::KeySpec::Ecdsa("P-256"));
  if (!key.ok()) return Fail(key.status().message());
  pki::SigningPolicy policy;
  policy.subject.commonName = "pkiform fleet CA";
  policy.subject.organization = "Example Ltd";
  policy.isCa = true;
  policy.keyUsage = {"keyCertSign", "cRLSign"};
  policy.notBefore = std::chrono::system_clock::now() - std::chrono::hours(1);
  policy.validity = std::chrono::hours(24 * 365 * 5);
  auto ca = pki::SelfSign(*key, policy);
  if (!ca.ok()) return Fail(ca.status().message());
  auto key_pem = key->ToPem();
  if (!key_pem.ok()) return Fail(key_pem.status().message());
  Write(dir / "ca/root.pem", ca->ToPem());
  Write(dir / "ca/root.key", std::string(key_pem->view()), fs::perms(0600));
  Write(dir / "manifests/issuers.yaml",
        "apiVersion: pkiform/v1\nkind: Issuer\nmetadata: {name: fleet-ca}\n"
        "spec:\n  ca: {certificate: ../ca/root.pem, privateKey: ../ca/root.key}\n");
  Write(dir / "manifests/web.yaml", Manifest(**fleet, hosts));
  fs::create_directories(dir / "ssh");
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
