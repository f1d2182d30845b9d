#include "tests/support/fleet_harness.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "reconciler/pki/key.h"
#include "reconciler/pki/signer.h"
#include "tests/support/subprocess.h"

namespace pkiform::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

Status WriteFile(const std::string& path, const std::string& content, mode_t mode, uid_t uid, gid_t gid) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) return Status::IoError("cannot write " + path);
    out << content;
    if (!out) return Status::IoError("cannot write " + path);
  }
  if (chmod(path.c_str(), mode) != 0 || chown(path.c_str(), uid, gid) != 0) {
    return Status::IoError("cannot set mode and owner of " + path + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

std::string ReadFileOr(const std::string& path, const std::string& otherwise) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return otherwise;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Status MakeDir(const std::string& path, mode_t mode, uid_t uid, gid_t gid) {
  if (mkdir(path.c_str(), mode) != 0 && errno != EEXIST) {
    return Status::IoError("cannot create " + path + ": " + std::strerror(errno));
  }
  if (chmod(path.c_str(), mode) != 0 || chown(path.c_str(), uid, gid) != 0) {
    return Status::IoError("cannot set mode and owner of " + path + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

bool IsLoopbackIpv4(const std::string& address) {
  in_addr a{};
  if (inet_pton(AF_INET, address.c_str(), &a) != 1) return false;
  return (ntohl(a.s_addr) >> 24) == 127;
}

bool IsHostName(const std::string& name) {
  if (name.empty() || name.size() > 253 || name.front() == '.' || name.front() == '-') return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') return false;
  }
  return true;
}

bool IsOneOf(const std::string& value, std::initializer_list<const char*> allowed) {
  for (const char* a : allowed) {
    if (value == a) return true;
  }
  return false;
}

bool IsClusterName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return true;
}

std::string ClusterOf(const FleetHost& host) { return host.cluster.empty() ? host.platform : host.cluster; }

// The options of one host that only make sense on its platform.
Status CheckPlatform(const FleetHost& host) {
  if (!IsOneOf(host.platform, {"openssh", "ucm", "vcs", "dms"})) {
    return Status::InvalidInput("platform '" + host.platform + "' is not openssh, ucm, vcs or dms");
  }
  if (!IsClusterName(ClusterOf(host))) {
    return Status::InvalidInput("cluster name '" + host.cluster + "' is not 1 to 64 of [A-Za-z0-9_-]");
  }
  if (host.platform == "openssh") return Status::Ok();
  if (host.nginx) {
    return Status::InvalidInput("a " + host.platform + " appliance runs no nginx (its TLS comes from pkiform-sim tls)");
  }
  if (host.platform == "dms") return Status::Ok();
  if (host.platform == "vcs") {
    // pkiform-sim init checks the release's form and says so; this only keeps ucm's out.
    if (!host.Release().starts_with("X8.")) {
      return Status::InvalidInput("release '" + host.Release() + "' is not a vcs X8 release such as X8.1.1");
    }
    if (!IsHostName(host.ClusterFqdn()) || host.ClusterFqdn().find('.') == std::string::npos) {
      return Status::InvalidInput("cluster FQDN '" + host.ClusterFqdn() + "' is not a domain name");
    }
    return Status::Ok();
  }
  if (!IsOneOf(host.role, {"publisher", "subscriber"})) {
    return Status::InvalidInput("role '" + host.role + "' is not publisher or subscriber");
  }
  if (!IsOneOf(host.nodeType, {"unifiedCM", "imAndPresence"})) {
    return Status::InvalidInput("node type '" + host.nodeType + "' is not unifiedCM or imAndPresence");
  }
  if (!IsOneOf(host.Release(), {"14", "14SU1", "14SU2", "14SU3"})) {
    return Status::InvalidInput("release '" + host.Release() + "' is not 14, 14SU1, 14SU2 or 14SU3");
  }
  return Status::Ok();
}

// chown -R without following symbolic links.
Status ChownTree(const std::string& root, uid_t uid, gid_t gid) {
  std::error_code ec;
  if (lchown(root.c_str(), uid, gid) != 0) return Status::IoError("cannot chown " + root + ": " + std::strerror(errno));
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (lchown(it->path().c_str(), uid, gid) != 0) {
      return Status::IoError("cannot chown " + it->path().string() + ": " + std::strerror(errno));
    }
  }
  if (ec) return Status::IoError("cannot walk " + root + ": " + ec.message());
  return Status::Ok();
}

// Written to a temporary name and renamed, so the file is never seen half written.
Status WriteFileAtomically(const std::string& path, const std::string& content, mode_t mode) {
  const std::string tmp = path + ".tmp";
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0) return Status::IoError("cannot write " + tmp + ": " + std::strerror(errno));
  bool ok = fchmod(fd, mode) == 0 && write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
            fsync(fd) == 0;
  ok = close(fd) == 0 && ok;
  if (!ok || rename(tmp.c_str(), path.c_str()) != 0) {
    unlink(tmp.c_str());
    return Status::IoError("cannot write " + path + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

// A TCP connection to address:port within `timeout`; -1 (errno set) on failure.
int ConnectTcp(const std::string& address, int port, milliseconds timeout) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, address.c_str(), &addr.sin_addr) != 1) {
    errno = EINVAL;
    return -1;
  }
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return -1;
  int rc = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  if (rc != 0 && errno == EINPROGRESS) {
    pollfd pfd{fd, POLLOUT, 0};
    rc = poll(&pfd, 1, static_cast<int>(timeout.count()));
    int err = ETIMEDOUT;
    socklen_t len = sizeof err;
    if (rc == 1) getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
    rc = err == 0 ? 0 : -1;
    errno = err;
  }
  if (rc != 0) {
    int err = errno;
    close(fd);
    errno = err;
    return -1;
  }
  int flags = fcntl(fd, F_GETFL);
  fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  timeval tv{static_cast<time_t>(timeout.count() / 1000), static_cast<suseconds_t>(timeout.count() % 1000 * 1000)};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  return fd;
}

std::string OpenSslErrors() {
  std::string all;
  for (unsigned long e = ERR_get_error(); e != 0; e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!all.empty()) all += "; ";
    all += buf;
  }
  return all.empty() ? "no OpenSSL error queued" : all;
}

// /proc/PID/cmdline with NULs as spaces; empty when there is no such process.
std::string CommandLineOf(pid_t pid) {
  std::string raw = ReadFileOr("/proc/" + std::to_string(pid) + "/cmdline", "");
  for (char& c : raw) {
    if (c == '\0') c = ' ';
  }
  return raw;
}

// Gone, or a zombie waiting for a parent (pid 1 here) to reap it.
bool ProcessGone(pid_t pid) {
  std::string stat = ReadFileOr("/proc/" + std::to_string(pid) + "/stat", "");
  if (stat.empty()) return true;
  auto close = stat.rfind(')');
  return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] == 'Z';
}

std::vector<pid_t> AllPids() {
  std::vector<pid_t> pids;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return pids;
  while (dirent* e = readdir(proc)) {
    char* end = nullptr;
    long pid = std::strtol(e->d_name, &end, 10);
    if (end != e->d_name && *end == '\0') pids.push_back(static_cast<pid_t>(pid));
  }
  closedir(proc);
  return pids;
}

std::vector<pid_t> ChildrenOf(pid_t parent) {
  std::vector<pid_t> children;
  for (pid_t pid : AllPids()) {
    std::string stat = ReadFileOr("/proc/" + std::to_string(pid) + "/stat", "");
    auto close = stat.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(stat.substr(close + 1));
    std::string state;
    long ppid = 0;
    rest >> state >> ppid;
    if (ppid == parent) children.push_back(pid);
  }
  return children;
}

// nginx masters of any fleet (this one's or ones left behind by killed test runs).
std::string DescribeFleetNginxMasters() {
  std::string found;
  for (pid_t pid : AllPids()) {
    std::string cmd = CommandLineOf(pid);
    if (cmd.find("nginx: master process") != std::string::npos &&
        cmd.find(FleetHarness::kHostRoot) != std::string::npos) {
      found += "\n  pid " + std::to_string(pid) + ": " + cmd;
    }
  }
  return found.empty() ? " none found" : found;
}

std::string NginxConfig(const FleetHost& host, int port) {
  const std::string root = FleetHarness::kHostRoot;
  const std::string n = root + "/nginx";
  std::ostringstream c;
  c << "# Written by the fleet harness (tests/support/fleet_harness.cc) for " << host.fqdn << ".\n"
    << "daemon on;\n"
    // Over SSH (uid 0 in the host's namespace) nginx -t and -s would otherwise
    // chown its temp paths to the default `nobody`, which is not mapped there;
    // the master runs unprivileged and ignores this with a warning.
    << "user root root;\n"
    << "pid " << n << "/nginx.pid;\n"
    << "error_log " << n << "/error.log info;\n"
    << "worker_processes 1;\n"
    << "events { worker_connections 64; }\n"
    << "http {\n"
    << "  access_log " << n << "/access.log;\n"
    << "  client_body_temp_path " << n << "/client_body;\n"
    << "  proxy_temp_path " << n << "/proxy;\n"
    << "  fastcgi_temp_path " << n << "/fastcgi;\n"
    << "  uwsgi_temp_path " << n << "/uwsgi;\n"
    << "  scgi_temp_path " << n << "/scgi;\n"
    << "  server {\n"
    << "    listen " << host.address << ":" << port << " ssl;\n"
    << "    server_name " << host.fqdn << ";\n"
    << "    ssl_protocols TLSv1.2 TLSv1.3;\n"
    << "    ssl_certificate " << root << "/tls/fullchain.pem;\n"
    << "    ssl_certificate_key " << root << "/tls/server.key;\n"
    << "    location / { return 200 \"" << host.fqdn << "\\n\"; }\n"
    << "  }\n"
    << "}\n";
  return c.str();
}

// A self-signed ECDSA P-256 certificate for the host's FQDN and address.
Status WriteBootstrapIdentity(const FleetHost& host, const std::string& tlsDir, uid_t uid, gid_t gid) {
  auto key = pki::PrivateKey::Generate(pki::KeySpec::Ecdsa("P-256"));
  if (!key.ok()) return key.status();
  pki::SigningPolicy policy;
  policy.subject.commonName = host.fqdn;
  policy.subject.organization = "pkiform fleet harness (bootstrap)";
  policy.dnsNames = {host.fqdn};
  policy.ipAddresses = {host.address};
  policy.keyUsage = {"digitalSignature"};
  policy.extendedKeyUsage = {"serverAuth"};
  policy.notBefore = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) -
                     std::chrono::hours(1);
  policy.validity = std::chrono::hours(24 * 30);
  auto cert = pki::SelfSign(*key, policy);
  if (!cert.ok()) return cert.status();
  auto keyPem = key->ToPem();
  if (!keyPem.ok()) return keyPem.status();
  Status s = WriteFile(tlsDir + "/server.key", keyPem->str(), 0600, uid, gid);
  if (!s.ok()) return s;
  return WriteFile(tlsDir + "/fullchain.pem", cert->ToPem(), 0644, uid, gid);
}

}  // namespace

Result<std::string> FleetHarness::FetchServedCertificatePem(const std::string& address, int port,
                                                            const std::string& sni, milliseconds timeout) {
  const std::string where = address + ":" + std::to_string(port);
  // OpenSSL writes with write(2): a peer that resets the connection would kill
  // the test process with SIGPIPE. Block it on this thread for the call and
  // swallow one raised meanwhile.
  sigset_t pipeSet, oldSet;
  sigemptyset(&pipeSet);
  sigaddset(&pipeSet, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipeSet, &oldSet);
  sigset_t pendingBefore;
  sigpending(&pendingBefore);
  struct Restore {
    sigset_t pipeSet, oldSet;
    bool wasPending;
    ~Restore() {
      sigset_t pending;
      if (!wasPending && sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE)) {
        timespec zero{0, 0};
        sigtimedwait(&pipeSet, nullptr, &zero);
      }
      pthread_sigmask(SIG_SETMASK, &oldSet, nullptr);
    }
  } restore{pipeSet, oldSet, sigismember(&pendingBefore, SIGPIPE) == 1};

  int fd = ConnectTcp(address, port, timeout);
  if (fd < 0) return Status::IoError("cannot connect to " + where + ": " + std::strerror(errno));
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL* ssl = ctx ? SSL_new(ctx) : nullptr;
  Result<std::string> result = Status::Crypto("TLS handshake with " + where + " failed");
  if (ssl == nullptr) {
    result = Status::Crypto("cannot create a TLS client: " + OpenSslErrors());
  } else {
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_set_verify(ssl, SSL_VERIFY_NONE, nullptr);
    if (!sni.empty()) SSL_set_tlsext_host_name(ssl, sni.c_str());
    SSL_set_fd(ssl, fd);
    if (SSL_connect(ssl) != 1) {
      result = Status::Crypto("TLS handshake with " + where + " failed: " + OpenSslErrors());
    } else if (X509* peer = SSL_get1_peer_certificate(ssl)) {
      BIO* bio = BIO_new(BIO_s_mem());
      if (bio != nullptr && PEM_write_bio_X509(bio, peer) == 1) {
        char* data = nullptr;
        long n = BIO_get_mem_data(bio, &data);
        result = std::string(data, static_cast<size_t>(n));
      }
      BIO_free(bio);
      X509_free(peer);
    } else {
      result = Status::Crypto(where + " sent no certificate");
    }
    // No SSL_shutdown: only the certificate was wanted; closing is enough.
  }
  ERR_clear_error();
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  close(fd);
  return result;
}

Result<std::unique_ptr<FleetHarness>> FleetHarness::Start(const FleetOptions& options) {
  std::unique_ptr<FleetHarness> h(new FleetHarness(options));
  Status s = h->Init();
  if (!s.ok()) return s.WithContext("starting the fleet harness");
  return h;
}

Status FleetHarness::Init() {
  if (options_.hosts.empty()) return Status::InvalidInput("a fleet needs at least one host");
  std::set<std::string> fqdns, addresses;
  for (const auto& host : options_.hosts) {
    if (!IsHostName(host.fqdn)) return Status::InvalidInput("'" + host.fqdn + "' is not a host name");
    if (!IsLoopbackIpv4(host.address)) {
      return Status::InvalidInput(host.fqdn + ": '" + host.address + "' is not a 127.x.y.z address");
    }
    if (!fqdns.insert(host.fqdn).second) return Status::InvalidInput("host " + host.fqdn + " appears twice");
    if (!addresses.insert(host.address).second) {
      return Status::InvalidInput("address " + host.address + " appears twice");
    }
    Status platform = CheckPlatform(host);
    if (!platform.ok()) return platform.WithContext(host.fqdn);
  }
  // A ucm cluster has exactly one publisher (CAPF and the database live there: rule U6).
  // One publisher per product of a cluster: the Unified CM publisher and, with IM and
  // Presence nodes, the IM and Presence database publisher (docs/platforms/ucm.md).
  std::map<std::pair<std::string, std::string>, int> publishers;
  for (const auto& host : options_.hosts) {
    if (host.platform == "ucm") publishers[{ClusterOf(host), host.nodeType}] += host.role == "publisher" ? 1 : 0;
  }
  for (const auto& [cluster, count] : publishers) {
    if (count != 1) {
      return Status::InvalidInput("ucm cluster '" + cluster.first + "' has " + std::to_string(count) +
                                  " publishers among its " + cluster.second + " nodes; it needs exactly one");
    }
  }
  // A vcs cluster: one cluster FQDN, at most 7 peers (each names the others in Alternates Peer 1..6).
  std::map<std::string, std::vector<const FleetHost*>> vcsClusters;
  for (const auto& host : options_.hosts) {
    if (host.platform == "vcs") vcsClusters[ClusterOf(host)].push_back(&host);
  }
  for (const auto& [cluster, peers] : vcsClusters) {
    if (peers.size() > 7) {
      return Status::InvalidInput("vcs cluster '" + cluster + "' has " + std::to_string(peers.size()) +
                                  " peers; a VCS cluster has at most 7 (Alternates Peer 1..6 name the others)");
    }
    for (const FleetHost* peer : peers) {
      if (peer->ClusterFqdn() != peers.front()->ClusterFqdn()) {
        return Status::InvalidInput("vcs cluster '" + cluster + "' has two cluster FQDNs, " +
                                    peers.front()->ClusterFqdn() + " (" + peers.front()->fqdn + ") and " +
                                    peer->ClusterFqdn() + " (" + peer->fqdn + "); its peers share one");
      }
    }
  }
  if (hasVcs() && (options_.applianceRootUser.empty() || options_.applianceRootUser == "root" ||
                   options_.applianceRootUser == options_.applianceUser)) {
    return Status::InvalidInput("FleetOptions::applianceRootUser '" + options_.applianceRootUser +
                                "' must be a login of its own, never the machine's root nor the appliance user");
  }
  std::string sim;
  if (hasAppliances()) {
    sim = options_.simPath;
#ifdef PKIFORM_SIM_PATH
    if (sim.empty()) sim = PKIFORM_SIM_PATH;
#endif
    if (sim.empty()) {
      return Status::NotFound("the fleet has appliances but no pkiform-sim: FleetOptions::simPath is empty and this "
                              "build has no pkiform-sim target (PKIFORM_SIM_PATH)");
    }
    if (access(sim.c_str(), X_OK) != 0) return Status::NotFound("pkiform-sim " + sim + " is not executable");
    if (sim.find('\'') != std::string::npos) {
      return Status::InvalidInput("paths with a single quote cannot go into ForceCommand: " + sim);
    }
  }
  std::string hostShell = options_.hostShell;
#ifdef PKIFORM_SOURCE_DIR
  if (hostShell.empty()) hostShell = std::string(PKIFORM_SOURCE_DIR) + "/tests/fleet/host-shell";
#endif
  if (hostShell.empty()) return Status::InvalidInput("FleetOptions::hostShell is not set");
  if (access(hostShell.c_str(), X_OK) != 0) return Status::NotFound("host-shell " + hostShell + " is not executable");

  Status s = EnsureTestUser(options_.user);
  if (!s.ok()) return s;
  struct passwd* pw = getpwnam(options_.user.c_str());
  if (pw == nullptr) return Status::Failed("user " + options_.user + " vanished");
  const uid_t uid = pw->pw_uid;
  const gid_t gid = pw->pw_gid;

  // The mount point every host's namespace binds its directory on; empty here.
  if (mkdir(kHostRoot, 0755) != 0 && errno != EEXIST) {
    return Status::IoError(std::string("cannot create ") + kHostRoot + ": " + std::strerror(errno));
  }
  struct stat st{};
  if (stat(kHostRoot, &st) != 0 || !S_ISDIR(st.st_mode)) {
    return Status::IoError(std::string(kHostRoot) + " is not a directory");
  }

  std::string tmpl = (fs::temp_directory_path() / "pkiform-fleet-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) return Status::IoError(std::string("mkdtemp: ") + std::strerror(errno));
  dir_ = tmpl;
  if (chmod(dir_.c_str(), 0755) != 0) return Status::IoError("cannot chmod " + dir_);
  if (mkdir((dir_ + "/hosts").c_str(), 0755) != 0) return Status::IoError("cannot create " + dir_ + "/hosts");
  if (hostShell.find('\'') != std::string::npos || dir_.find('\'') != std::string::npos) {
    return Status::InvalidInput("paths with a single quote cannot go into ForceCommand: " + hostShell);
  }

  nginxPort_ = options_.nginxPort;
  if (nginxPort_ == 0) {
    auto port = FreeLoopbackPort();
    if (!port.ok()) return port.status();
    nginxPort_ = *port;
  }
  for (const auto& host : options_.hosts) {
    if (host.platform != "openssh") continue;
    s = WriteHostFiles(host, uid, gid);
    if (!s.ok()) return s.WithContext(host.fqdn);
  }

  std::vector<std::string> passwordUsers;
  if (hasAppliances()) {
    auto password = EnsurePasswordUser(options_.applianceUser);
    if (!password.ok()) return password.status();
    struct passwd* apw = getpwnam(options_.applianceUser.c_str());
    if (apw == nullptr) return Status::Failed("user " + options_.applianceUser + " vanished");
    if (mkdir((dir_ + "/ssh").c_str(), 0755) != 0) return Status::IoError("cannot create " + dir_ + "/ssh");
    appliancePasswordPath_ = dir_ + "/ssh/appliance-password";
    s = WriteFileAtomically(appliancePasswordPath_, *password + "\n", 0600);
    if (!s.ok()) return s;
    if (mkdir((dir_ + "/clusters").c_str(), 0755) != 0) return Status::IoError("cannot create " + dir_ + "/clusters");
    if (hasVcs()) {
      // The root login shares the appliance user's uid: both work on the peer's directory.
      auto rootPassword = EnsurePasswordUser(options_.applianceRootUser, options_.applianceUser);
      if (!rootPassword.ok()) return rootPassword.status().WithContext("the vcs root login");
      rootPasswordPath_ = dir_ + "/ssh/root-password";
      s = WriteFileAtomically(rootPasswordPath_, *rootPassword + "\n", 0600);
      if (!s.ok()) return s;
      passwordUsers.push_back(options_.applianceRootUser);
    }
    for (const auto& host : options_.hosts) {
      if (host.platform == "openssh") continue;
      s = host.platform == "vcs"   ? InitVcs(host, sim, apw->pw_uid, apw->pw_gid)
          : host.platform == "dms" ? InitDms(host, sim, apw->pw_uid, apw->pw_gid)
                                   : InitAppliance(host, sim, apw->pw_uid, apw->pw_gid);
      if (!s.ok()) return s.WithContext(host.fqdn + " (" + host.address + ")");
    }
    passwordUsers.insert(passwordUsers.begin(), options_.applianceUser);
  }
  if (hasDms()) {
    s = InitStaging(&passwordUsers);
    if (!s.ok()) return s.WithContext("the dms staging server");
  }

  SshdOptions sshd;
  sshd.listenAddress = "0.0.0.0";
  sshd.user = options_.user;
  sshd.forceCommand = "'" + hostShell + "' '" + dir_ + "'" + (options_.sftp ? "" : " --no-sftp") +
                      (sim.empty() ? "" : " --sim '" + sim + "'");
  sshd.passwordUsers = passwordUsers;
  sshd.passwordUserPasswordMethod = options_.appliancePasswordMethod;
  sshd.sftpSubsystem = options_.sftp;
  sshd.knownHostsNames.clear();
  for (const auto& host : options_.hosts) {
    sshd.knownHostsNames.push_back(host.address);
    sshd.knownHostsNames.push_back(host.fqdn);
  }
  sshd.startTimeout = options_.startTimeout;
  auto started = SshdHarness::Start(std::move(sshd));
  if (!started.ok()) return started.status();
  sshd_ = std::move(started).value();

  for (const auto& host : options_.hosts) {
    if (!host.nginx) continue;
    s = StartNginx(host, uid, gid);
    if (!s.ok()) return s.WithContext(host.fqdn + " (" + host.address + ")");
  }
  if (hasAppliances()) return StartSimTls(sim);
  return Status::Ok();
}

bool FleetHarness::hasAppliances() const {
  for (const auto& host : options_.hosts) {
    if (host.platform == "ucm" || host.platform == "vcs" || host.platform == "dms") return true;
  }
  return false;
}

bool FleetHarness::hasVcs() const {
  for (const auto& host : options_.hosts) {
    if (host.platform == "vcs") return true;
  }
  return false;
}

bool FleetHarness::hasDms() const {
  for (const auto& host : options_.hosts) {
    if (host.platform == "dms") return true;
  }
  return false;
}

Status FleetHarness::InitDms(const FleetHost& host, const std::string& sim, uid_t uid, gid_t gid) {
  const std::string dir = dir_ + "/hosts/" + host.address;
  Status s = MakeDir(dir, 0755, uid, gid);
  if (!s.ok()) return s;
  s = RunInit({sim, "init", "--platform", "dms", "--dir", dir, "--fqdn", host.fqdn, "--address", host.address,
               "--https-port", std::to_string(options_.httpsPort)},
              dir);
  // The AAI (pkiform-sim shell) runs as the login user and keeps its state, and the
  // staging servers' host keys (known_hosts), here.
  if (s.ok()) s = ChownTree(dir, uid, gid);
  return s;
}

// The staging login of the dms appliances: a password user whose SFTP sessions on the
// openssh hosts write FLEET/hosts/ADDRESS/staging (kStagingDir in the host's namespace).
Status FleetHarness::InitStaging(std::vector<std::string>* passwordUsers) {
  const std::string& user = options_.stagingUser;
  if (user.empty() || user == "root" || user == options_.applianceUser || user == options_.user ||
      user == options_.applianceRootUser) {
    return Status::InvalidInput("FleetOptions::stagingUser '" + user + "' must be a login of its own");
  }
  bool anyOpenssh = false;
  for (const auto& host : options_.hosts) anyOpenssh = anyOpenssh || host.platform == "openssh";
  if (!anyOpenssh) return Status::InvalidInput("a fleet with dms hosts needs an openssh host as staging server");
  auto password = EnsurePasswordUser(user);
  if (!password.ok()) return password.status();
  struct passwd* spw = getpwnam(user.c_str());
  if (spw == nullptr) return Status::Failed("user " + user + " vanished");
  stagingPasswordPath_ = dir_ + "/ssh/staging-password";
  Status s = WriteFileAtomically(stagingPasswordPath_, *password + "\n", 0600);
  if (!s.ok()) return s;
  for (const auto& host : options_.hosts) {
    if (host.platform != "openssh") continue;
    s = MakeDir(dir_ + "/hosts/" + host.address + "/staging", 0755, spw->pw_uid, spw->pw_gid);
    if (!s.ok()) return s.WithContext(host.fqdn);
  }
  passwordUsers->push_back(user);
  return Status::Ok();
}

std::string FleetHost::Release() const {
  if (!release.empty()) return release;
  return platform == "vcs" ? "X8.1.1" : "14SU1";
}

std::string FleetHost::ClusterFqdn() const {
  if (!clusterFqdn.empty()) return clusterFqdn;
  const auto dot = fqdn.find('.');
  return dot == std::string::npos ? "vcs." + fqdn : "vcs" + fqdn.substr(dot);
}

Status FleetHarness::InitAppliance(const FleetHost& host, const std::string& sim, uid_t uid, gid_t gid) {
  const std::string dir = dir_ + "/hosts/" + host.address;
  const std::string clusterDir = dir_ + "/clusters/" + ClusterOf(host);
  Status s = MakeDir(dir, 0755, uid, gid);
  if (s.ok()) s = MakeDir(clusterDir, 0755, uid, gid);
  if (!s.ok()) return s;
  std::vector<std::string> init = {sim, "init", "--platform", "ucm", "--dir", dir, "--fqdn", host.fqdn, "--address",
                                   host.address, "--role", host.role, "--node-type", host.nodeType, "--release",
                                   host.Release(), "--cluster-dir", clusterDir, "--https-port",
                                   std::to_string(options_.httpsPort), "--sip-tls-port",
                                   std::to_string(options_.sipTlsPort), "--cup-sip-tls-port",
                                   std::to_string(options_.cupSipTlsPort), "--xmpp-client-port",
                                   std::to_string(options_.xmppClientPort), "--xmpp-server-port",
                                   std::to_string(options_.xmppServerPort), "--restart-ms",
                                   std::to_string(options_.applianceRestartMs), "--startup-ms",
                                   std::to_string(options_.applianceStartupMs), "--command-ms",
                                   std::to_string(options_.applianceCommandMs)};
  if (!options_.applianceCountry.empty()) init.insert(init.end(), {"--country", options_.applianceCountry});
  // The platform REST API's basic auth checks the same administrator (a salted hash of the file's password).
  init.insert(init.end(), {"--admin-user", options_.applianceUser, "--admin-password-file", appliancePasswordPath_});
  s = RunInit(init, dir);
  // The appliance's shell (pkiform-sim shell) runs as the login user and keeps its state here.
  if (s.ok()) s = ChownTree(dir, uid, gid);
  if (s.ok()) s = ChownTree(clusterDir, uid, gid);
  return s;
}

Status FleetHarness::InitVcs(const FleetHost& host, const std::string& sim, uid_t uid, gid_t gid) {
  const std::string dir = dir_ + "/hosts/" + host.address;
  Status s = MakeDir(dir, 0755, uid, gid);
  if (!s.ok()) return s;
  std::vector<std::string> init = {sim, "init", "--platform", "vcs", "--dir", dir, "--fqdn", host.fqdn,
                                   "--address", host.address, "--cluster-fqdn", host.ClusterFqdn(), "--release",
                                   host.Release(), "--restart-ms", std::to_string(options_.applianceRestartMs),
                                   "--root-user", options_.applianceRootUser, "--https-port",
                                   std::to_string(options_.httpsPort), "--sip-tls-port",
                                   std::to_string(options_.sipTlsPort), "--mra-port",
                                   std::to_string(options_.mraPort)};
  // Alternates Peer 1..6: the addresses of the other peers of its cluster, in fleet order
  // (X8.1 names cluster peers by IP address).
  for (const auto& other : options_.hosts) {
    if (other.platform == "vcs" && &other != &host && ClusterOf(other) == ClusterOf(host)) {
      init.insert(init.end(), {"--peer", other.address});
    }
  }
  s = RunInit(init, dir);
  // Both logins (admin and root, one uid) run pkiform-sim shell on this directory.
  return s.ok() ? ChownTree(dir, uid, gid) : s;
}

Status FleetHarness::RunInit(const std::vector<std::string>& init, const std::string& dir) {
  // An appliance's init makes its RSA identities (ucm: six or more 2048-bit keys), whose prime
  // search varies; on a loaded machine it once took more than the 10 s of startTimeout (a CI-like
  // run beside a fuzzer and a benchmark). A hang still ends here, later.
  constexpr std::chrono::milliseconds kInitTimeout{60000};
  auto run = RunProcess(init, std::max(options_.startTimeout, kInitTimeout));
  if (!run.ok()) return run.status().WithContext("pkiform-sim init");
  if (run->exitCode != 0) {
    return Status::Failed("pkiform-sim init failed (exit " + std::to_string(run->exitCode) + "): " + run->output);
  }
  // host-shell tells an appliance from an openssh host by this file.
  if (access((dir + "/sim.conf").c_str(), F_OK) != 0) {
    return Status::Failed("pkiform-sim init wrote no " + dir + "/sim.conf");
  }
  return Status::Ok();
}

Status FleetHarness::StartSimTls(const std::string& sim) {
  const std::string log = dir_ + "/sim-tls.log";
  auto child = ChildProcess::Spawn({sim, "tls", "--fleet", dir_}, log);
  if (!child.ok()) return child.status().WithContext("starting pkiform-sim tls");
  simTls_ = std::move(child).value();
  auto end = Clock::now() + options_.startTimeout;
  while (Clock::now() < end) {
    const std::string out = ReadFileOr(log, "");
    if (out.rfind("ready\n", 0) == 0 || out.find("\nready\n") != std::string::npos) return Status::Ok();
    if (simTls_->HasExited()) {
      simTls_.reset();
      return Status::Failed("pkiform-sim tls exited before it was ready; its output:\n" + out);
    }
    std::this_thread::sleep_for(milliseconds(10));
  }
  return Status::Failed("pkiform-sim tls did not say `ready` within " + std::to_string(options_.startTimeout.count()) +
                        " ms; its output:\n" + SimTlsLog());
}

std::string FleetHarness::SimTlsLog() const { return ReadFileOr(dir_ + "/sim-tls.log", "(none)"); }

Status FleetHarness::WriteHostFiles(const FleetHost& host, uid_t uid, gid_t gid) {
  const std::string dir = dir_ + "/hosts/" + host.address;
  Status s = MakeDir(dir, 0755, uid, gid);
  if (s.ok()) s = MakeDir(dir + "/tls", 0755, uid, gid);
  if (!s.ok() || (!host.nginx && !host.bootstrapFiles)) return s;
  if (host.nginx) s = MakeDir(dir + "/nginx", 0755, uid, gid);
  if (s.ok() && host.nginx) s = WriteFile(dir + "/nginx/nginx.conf", NginxConfig(host, nginxPort_), 0644, uid, gid);
  if (s.ok()) s = WriteBootstrapIdentity(host, dir + "/tls", uid, gid);
  return s;
}

Status FleetHarness::StartNginx(const FleetHost& host, uid_t uid, gid_t gid) {
  const std::string where = host.address + ":" + std::to_string(nginxPort_);
  if (int fd = ConnectTcp(host.address, nginxPort_, milliseconds(200)); fd >= 0) {
    close(fd);
    return Status::Failed(where + " is already in use, maybe by an nginx left behind by a killed test run; "
                          "nginx masters of fleets:" + DescribeFleetNginxMasters());
  }
  const std::string dir = dir_ + "/hosts/" + host.address;
  // The outer namespace (uid 0 = the user) binds the host directory; nginx then
  // runs in a nested user namespace as the user's own uid: as uid 0 it would
  // switch its workers to `user nobody`, which does not exist in the namespace.
  const std::string script =
      "mount --bind \"$1\" /srv/pkiform-host || exit 1\n"
      "exec unshare -U --map-user=\"$2\" --map-group=\"$3\" /usr/sbin/nginx -e /srv/pkiform-host/nginx/error.log "
      "-c /srv/pkiform-host/nginx/nginx.conf\n";
  nginxStarted_.push_back(&host);  // from here on, the destructor looks for its pid file
  auto run = RunProcess({"setpriv", "--reuid=" + std::to_string(uid), "--regid=" + std::to_string(gid),
                         "--clear-groups", "unshare", "-Urm", "--propagation", "private", "/bin/sh", "-c", script,
                         "nginx-launch", dir, std::to_string(uid), std::to_string(gid)},
                        options_.startTimeout);
  if (!run.ok()) return run.status();
  if (run->exitCode != 0) {
    return Status::Failed("nginx did not start (exit " + std::to_string(run->exitCode) + "): " + run->output +
                          "\nits error log:\n" + NginxErrorLog(host.fqdn));
  }
  // Listening already (nginx binds before it daemonises); ready once the
  // master has written its pid file and a worker completes a handshake.
  const std::string pidFile = dir + "/nginx/nginx.pid";
  auto end = Clock::now() + options_.startTimeout;
  std::string last = "no attempt";
  while (Clock::now() < end) {
    if (access(pidFile.c_str(), F_OK) == 0) {
      auto served = FetchServedCertificatePem(host.address, nginxPort_, host.fqdn, milliseconds(1000));
      if (served.ok()) return Status::Ok();
      last = served.status().ToString();
    } else {
      last = "no pid file " + pidFile;
    }
    std::this_thread::sleep_for(milliseconds(10));
  }
  return Status::Failed("nginx did not complete a TLS handshake on " + where + " within " +
                        std::to_string(options_.startTimeout.count()) + " ms (" + last + "); its error log:\n" +
                        NginxErrorLog(host.fqdn));
}

void FleetHarness::StopNginx(const FleetHost& host) {
  const std::string pidFile = dir_ + "/hosts/" + host.address + "/nginx/nginx.pid";
  // The master writes its pid file just after daemonising: allow it a moment.
  std::string text;
  for (int i = 0; i < 50 && (text = ReadFileOr(pidFile, "")).empty(); ++i) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  const pid_t pid = static_cast<pid_t>(std::strtol(text.c_str(), nullptr, 10));
  if (pid <= 1 || CommandLineOf(pid).find("nginx") == std::string::npos) return;  // gone (or pid reused)
  const std::vector<pid_t> workers = ChildrenOf(pid);
  kill(pid, SIGTERM);  // fast shutdown: the master stops its workers and removes the pid file
  auto end = Clock::now() + milliseconds(3000);
  while (Clock::now() < end && !ProcessGone(pid)) std::this_thread::sleep_for(milliseconds(5));
  if (!ProcessGone(pid)) kill(pid, SIGKILL);
  for (pid_t worker : workers) {
    if (!ProcessGone(worker) && CommandLineOf(worker).find("nginx") != std::string::npos) kill(worker, SIGKILL);
  }
}

FleetHarness::~FleetHarness() {
  for (const FleetHost* host : nginxStarted_) StopNginx(*host);
  simTls_.reset();  // SIGTERM, then SIGKILL after a grace period
  sshd_.reset();
  if (!dir_.empty()) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
}

const FleetHost* FleetHarness::Find(const std::string& fqdn) const {
  for (const auto& host : options_.hosts) {
    if (host.fqdn == fqdn) return &host;
  }
  return nullptr;
}

Result<std::string> FleetHarness::hostDir(const std::string& fqdn) const {
  const FleetHost* host = Find(fqdn);
  if (host == nullptr) return Status::NotFound("no host " + fqdn + " in the fleet");
  return dir_ + "/hosts/" + host->address;
}

Result<std::string> FleetHarness::address(const std::string& fqdn) const {
  const FleetHost* host = Find(fqdn);
  if (host == nullptr) return Status::NotFound("no host " + fqdn + " in the fleet");
  return host->address;
}

Result<ssh::SshTarget> FleetHarness::Target(const std::string& fqdn) const {
  const FleetHost* host = Find(fqdn);
  if (host == nullptr) return Status::NotFound("no host " + fqdn + " in the fleet");
  ssh::SshTarget target = sshd_->Target(host->address);
  target.hostKeyAlias = host->fqdn;
  if (host->platform != "openssh") {  // an appliance administrator: no key, a password
    target.user = options_.applianceUser;
    target.identityFile.clear();
    target.passwordFile = appliancePasswordPath_;
  }
  return target;
}

Result<ssh::SshTarget> FleetHarness::RootTarget(const std::string& fqdn) const {
  const FleetHost* host = Find(fqdn);
  if (host == nullptr) return Status::NotFound("no host " + fqdn + " in the fleet");
  if (host->platform != "vcs") {
    return Status::InvalidInput(fqdn + " is a " + host->platform + " host: only vcs peers have a root login");
  }
  auto target = Target(fqdn);
  if (!target.ok()) return target;
  target->user = options_.applianceRootUser;
  target->passwordFile = rootPasswordPath_;
  return target;
}

Result<std::string> FleetHarness::Exec(const std::string& fqdn, const std::string& command) const {
  auto target = Target(fqdn);
  if (!target.ok()) return target.status();
  auto session = ssh::SshSession::Connect(*target);
  if (!session.ok()) return session.status();
  auto result = (*session)->Exec(command);
  if (!result.ok()) return result.status();
  if (result->exitStatus != 0) {
    return Status::Failed("on " + fqdn + ", `" + command + "` exited with " + std::to_string(result->exitStatus) +
                          "; stderr: " + result->err + (result->out.empty() ? "" : "; stdout: " + result->out));
  }
  return std::move(result->out);
}

std::string FleetHarness::NginxErrorLog(const std::string& fqdn) const {
  const FleetHost* host = Find(fqdn);
  if (host == nullptr) return "(no host " + fqdn + ")";
  return ReadFileOr(dir_ + "/hosts/" + host->address + "/nginx/error.log", "(none)");
}

}  // namespace pkiform::testing
