// Helpers of the simulator's tests: making appliances with `pkiform-sim init`, running
// `pkiform-sim shell --dir` over pipes with a scripted input, a test CA that signs the
// CSRs the node prints, the `pkiform-sim tls` daemon, and TLS clients that pick the RSA
// or the ECDSA certificate through their signature algorithms.
#pragma once
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "reconciler/pki/certificate.h"
#include "reconciler/pki/csr.h"
#include "reconciler/pki/key.h"
#include "reconciler/pki/signer.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_ports.h"

namespace pkiform::simtest {

namespace fs = std::filesystem;

inline const std::string kSim = PKIFORM_SIM_BINARY;

struct ShellRun {
  int exitCode = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs `pkiform-sim shell --dir DIR` with `input` on stdin (then EOF).
// `where` is {"--dir", DIR} by default; {"--fleet", FLEETDIR} finds the node through
// SSH_CONNECTION as under sshd.
inline ShellRun RunShellWith(const std::vector<std::string>& where, const std::string& input,
                             const std::vector<std::string>& env = {},
                             std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
  int inPipe[2], outPipe[2], errPipe[2];
  REQUIRE(pipe2(inPipe, O_CLOEXEC) == 0);
  REQUIRE(pipe2(outPipe, O_CLOEXEC) == 0);
  REQUIRE(pipe2(errPipe, O_CLOEXEC) == 0);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    dup2(inPipe[0], 0);
    dup2(outPipe[1], 1);
    dup2(errPipe[1], 2);
    unsetenv("SSH_ORIGINAL_COMMAND");
    for (const auto& e : env) putenv(const_cast<char*>(e.c_str()));
    execl(kSim.c_str(), kSim.c_str(), "shell", where.at(0).c_str(), where.at(1).c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(inPipe[0]);
  close(outPipe[1]);
  close(errPipe[1]);
  signal(SIGPIPE, SIG_IGN);
  std::thread writer([fd = inPipe[1], input] {
    size_t done = 0;
    while (done < input.size()) {
      ssize_t n = write(fd, input.data() + done, input.size() - done);
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    close(fd);
  });
  ShellRun run;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  pollfd fds[2] = {{outPipe[0], POLLIN, 0}, {errPipe[0], POLLIN, 0}};
  int open = 2;
  while (open > 0 && std::chrono::steady_clock::now() < deadline) {
    if (poll(fds, 2, 100) <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      char buf[8192];
      ssize_t n = read(fds[i].fd, buf, sizeof(buf));
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open;
      } else {
        (i == 0 ? run.out : run.err).append(buf, static_cast<size_t>(n));
      }
    }
  }
  if (open > 0 && pid > 0) kill(pid, SIGKILL);
  for (auto& f : fds)
    if (f.fd >= 0) close(f.fd);
  int status = 0;
  waitpid(pid, &status, 0);
  writer.join();
  run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

inline ShellRun RunShell(const fs::path& dir, const std::string& input, const std::vector<std::string>& env = {},
                         std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
  return RunShellWith({"--dir", dir.string()}, input, env, timeout);
}

struct NodeSpec {
  std::string fqdn = "cucm-pub.example.com";
  std::string address = "127.0.91.1";
  std::string role = "publisher";
  std::string nodeType = "unifiedCM";
  std::string release = "14SU1";
  int httpsPort = 0;
  int sipTlsPort = 0;
  int restartMs = 0;
  // IM and Presence endpoints; 0: a free port.
  int cupSipTlsPort = 0;
  int xmppClientPort = 0;
  int xmppServerPort = 0;
  // Both or neither: the administrator the REST API's basic auth checks (rest_api.h).
  std::string adminUser;
  std::string adminPasswordFile;
  bool commonCriteria = false;  // `init --common-criteria on` (rule U16)
};

// A port reserved for this test process that nothing on `address` is bound to
// (test_ports.h: parallel tests never pick the same one).
inline int FreePort(const std::string& address) {
  auto port = testing::ReserveTestPort(address);
  if (!port.ok()) FAIL(port.status().ToString());
  return *port;
}

inline fs::path InitNode(const fs::path& dir, const fs::path& clusterDir, NodeSpec spec) {
  if (spec.httpsPort == 0) spec.httpsPort = FreePort(spec.address);
  if (spec.sipTlsPort == 0) spec.sipTlsPort = FreePort(spec.address);
  for (int* port : {&spec.cupSipTlsPort, &spec.xmppClientPort, &spec.xmppServerPort})
    if (*port == 0) *port = FreePort(spec.address);
  std::vector<std::string> argv{kSim, "init", "--platform", "ucm", "--dir", dir.string(), "--fqdn", spec.fqdn,
                                "--address", spec.address, "--role", spec.role, "--node-type", spec.nodeType,
                                "--release", spec.release, "--cluster-dir", clusterDir.string(), "--https-port",
                                std::to_string(spec.httpsPort), "--sip-tls-port", std::to_string(spec.sipTlsPort),
                                "--cup-sip-tls-port", std::to_string(spec.cupSipTlsPort), "--xmpp-client-port",
                                std::to_string(spec.xmppClientPort), "--xmpp-server-port",
                                std::to_string(spec.xmppServerPort), "--restart-ms", std::to_string(spec.restartMs)};
  if (!spec.adminUser.empty())
    argv.insert(argv.end(), {"--admin-user", spec.adminUser, "--admin-password-file", spec.adminPasswordFile});
  if (spec.commonCriteria) argv.insert(argv.end(), {"--common-criteria", "on"});
  auto r = testing::RunProcess(argv);
  REQUIRE(r.ok());
  INFO(r->output);
  REQUIRE(r->exitCode == 0);
  return dir;
}

inline bool Has(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

inline size_t Count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t p = haystack.find(needle); p != std::string::npos; p = haystack.find(needle, p + 1)) ++n;
  return n;
}

// The text from the first `begin` line to its `end` line, as LF text.
inline std::string PemBlock(const std::string& output, const std::string& label, size_t from = 0) {
  std::string begin = "-----BEGIN " + label + "-----", end = "-----END " + label + "-----";
  size_t b = output.find(begin, from);
  if (b == std::string::npos) return "";
  size_t e = output.find(end, b);
  if (e == std::string::npos) return "";
  std::string block = output.substr(b, e + end.size() - b);
  std::string out;
  for (char c : block)
    if (c != '\r') out += c;
  return out + "\n";
}

// A PEM pasted into `set cert import`: its lines, then the empty line that ends the paste.
inline std::string Paste(const std::string& pem) { return pem + "\n"; }

struct TestCa {
  pki::PrivateKey key;
  pki::Certificate cert;

  static TestCa Make(const std::string& cn, const TestCa* parent = nullptr) {
    auto key = pki::PrivateKey::Generate(pki::KeySpec::Rsa(2048));
    REQUIRE(key.ok());
    pki::SigningPolicy p;
    p.subject.commonName = cn;
    p.subject.organization = "Example Corp";
    p.keyUsage = {"keyCertSign", "cRLSign"};
    p.isCa = true;
    p.notBefore = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) -
                  std::chrono::hours(1);
    p.validity = std::chrono::hours(24 * 365 * 10);
    if (parent) {
      auto cert = pki::SignPublicKey(key->get(), parent->cert, parent->key, p);
      REQUIRE(cert.ok());
      return TestCa{*key, *cert};
    }
    auto cert = pki::SelfSign(*key, p);
    REQUIRE(cert.ok());
    return TestCa{*key, *cert};
  }

  pki::Certificate Sign(const std::string& csrPem, const std::vector<std::string>& dnsNames,
                        std::set<std::string> keyUsage = {"digitalSignature", "keyEncipherment", "dataEncipherment"},
                        std::set<std::string> eku = {"serverAuth", "clientAuth"}) const {
    auto csr = pki::Csr::FromPem(csrPem);
    REQUIRE(csr.ok());
    pki::SigningPolicy p;
    p.subject = csr->Subject();
    p.dnsNames = dnsNames;
    p.keyUsage = std::move(keyUsage);
    p.extendedKeyUsage = std::move(eku);
    p.notBefore = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) -
                  std::chrono::minutes(10);
    p.validity = std::chrono::hours(24 * 365);
    auto cert = pki::SignCsr(*csr, this->cert, this->key, p);
    REQUIRE(cert.ok());
    return *cert;
  }
};

// The certificate a TLS server presents, or nullopt when the connection or handshake
// fails. `sigalgs` ("RSA+SHA256:rsa_pss_rsae_sha256" or "ECDSA+SHA256") chooses the cert.
inline std::optional<pki::Certificate> PeerCertificate(const std::string& address, int port,
                                                       const std::string& sigalgs) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, address.c_str(), &sa.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0) {
    close(fd);
    return std::nullopt;
  }
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);  // sigalgs alone choose the certificate
  SSL_CTX_set1_sigalgs_list(ctx, sigalgs.c_str());
  SSL* ssl = SSL_new(ctx);
  SSL_set_fd(ssl, fd);
  std::optional<pki::Certificate> out;
  if (SSL_connect(ssl) == 1) {
    X509* peer = SSL_get1_peer_certificate(ssl);
    if (peer) {
      auto c = pki::Certificate::Adopt(pki::X509Ptr(peer));
      if (c.ok()) out = *c;
    }
    SSL_shutdown(ssl);
  }
  ERR_clear_error();
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  close(fd);
  return out;
}

inline const std::string kRsaSigalgs = "RSA+SHA256:RSA+SHA384:rsa_pss_rsae_sha256";
inline const std::string kEcdsaSigalgs = "ECDSA+SHA256:ECDSA+SHA384";

// `pkiform-sim tls --dir ...` in the background, waited for until it prints "ready".
class TlsDaemon {
 public:
  // `option` is "--dir" (each path an appliance) or "--fleet" (each path a FLEETDIR).
  TlsDaemon(const std::vector<fs::path>& dirs, const fs::path& log, const std::string& option = "--dir") : log_(log) {
    std::vector<std::string> argv{kSim, "tls"};
    for (const auto& d : dirs) {
      argv.push_back(option);
      argv.push_back(d.string());
    }
    auto child = testing::ChildProcess::Spawn(argv, log.string());
    REQUIRE(child.ok());
    child_ = std::move(*child);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      std::ifstream in(log_);
      std::stringstream s;
      s << in.rdbuf();
      if (Has(s.str(), "ready")) return;
      if (child_->HasExited()) FAIL("pkiform-sim tls exited before it was ready:\n" + s.str());
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL("pkiform-sim tls did not print ready");
  }

 private:
  fs::path log_;
  std::unique_ptr<testing::ChildProcess> child_;
};

// Waits until `predicate` holds (the daemon polls service states every 50 ms).
template <typename Predicate>
bool Eventually(Predicate predicate, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (predicate()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return predicate();
}

}  // namespace pkiform::simtest
