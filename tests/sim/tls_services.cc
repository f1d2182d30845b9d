#include "tests/sim/tls_services.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "reconciler/pki/key.h"
#include "tests/sim/appliance_state.h"
#include "tests/sim/rest_api.h"
#include "tests/sim/sim_files.h"

namespace pkiform::sim {
namespace {

volatile std::sig_atomic_t g_stop = 0;
void OnSignal(int) { g_stop = 1; }

struct SslCtxDeleter {
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};
struct SslDeleter {
  void operator()(SSL* s) const { SSL_free(s); }
};

struct Endpoint {
  fs::path dir;
  std::string address;
  int port = 0;
  bool https = true;  // false: SIP TLS
  std::string service;
  std::vector<std::string> units;
  int fd = -1;                       // SIP TLS: the listener this loop accepts on
  std::shared_ptr<RestServer> web;  // HTTPS: Tomcat's page and the platform REST API (rest_api.h)
};

// An SSL_CTX with every unit's running identity (RSA and EC ones side by side).
std::unique_ptr<SSL_CTX, SslCtxDeleter> MakeContext(const Appliance& a, const std::vector<std::string>& units) {
  std::unique_ptr<SSL_CTX, SslCtxDeleter> ctx(SSL_CTX_new(TLS_server_method()));
  if (!ctx) return nullptr;
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  int loaded = 0;
  for (const auto& unit : units) {
    auto chain = a.Running(unit);
    auto keyPem = a.RunningKeyPem(unit);
    if (!chain.ok() || !keyPem) continue;
    auto key = pki::PrivateKey::FromPem(*keyPem, nullptr);
    if (!key.ok() || key->PublicKeyDigest() != chain->front().PublicKeyDigest()) continue;
    pki::StackOfX509Ptr extra(sk_X509_new_null());
    for (size_t i = 1; i < chain->size(); ++i) sk_X509_push(extra.get(), X509_dup((*chain)[i].get()));
    if (SSL_CTX_use_cert_and_key(ctx.get(), chain->front().get(), key->get(), extra.get(), 1) == 1) ++loaded;
  }
  ERR_clear_error();
  return loaded > 0 ? std::move(ctx) : nullptr;
}

void Serve(Appliance a, std::vector<std::string> units, bool https, int fd) {
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  auto ctx = MakeContext(a, units);
  if (!ctx) {
    ::close(fd);
    return;
  }
  std::unique_ptr<SSL, SslDeleter> ssl(SSL_new(ctx.get()));
  if (!ssl || SSL_set_fd(ssl.get(), fd) != 1 || SSL_accept(ssl.get()) != 1) {
    ERR_clear_error();
    ::close(fd);
    return;
  }
  timeval shortTv{2, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &shortTv, sizeof(shortTv));
  std::string request;
  char buf[4096];
  while (request.size() < 16384 && request.find("\r\n\r\n") == std::string::npos) {
    int n = SSL_read(ssl.get(), buf, sizeof(buf));
    if (n <= 0) break;
    request.append(buf, static_cast<size_t>(n));
  }
  if (https && !request.empty()) {
    std::string body = "Cisco Unified Communications Manager (pkiform-sim)\n";
    std::string response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " +
                           std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
    SSL_write(ssl.get(), response.data(), static_cast<int>(response.size()));
  }
  SSL_shutdown(ssl.get());
  ERR_clear_error();
  ::close(fd);
}

int OpenListener(const std::string& address, int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return -1;
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, address.c_str(), &sa.sin_addr) != 1 ||
      ::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0 || ::listen(fd, 64) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

class Daemon {
 public:
  explicit Daemon(TlsDaemonOptions options) : options_(std::move(options)) {}
  int Run();

 private:
  void Discover();
  // Opens or closes each listener after its service state; false when a port that
  // should listen cannot be bound.
  bool Reconcile();

  TlsDaemonOptions options_;
  std::map<std::string, Endpoint> endpoints_;  // key: dir + kind
};

void Daemon::Discover() {
  std::vector<fs::path> dirs = options_.applianceDirs;
  for (const auto& fleet : options_.fleetDirs)
    for (const auto& name : ListDir(fleet / "hosts")) dirs.push_back(fleet / "hosts" / name);
  for (const auto& dir : dirs) {
    if (endpoints_.count(dir.string() + "#https")) continue;
    auto a = Appliance::Open(dir);
    if (!a.ok()) continue;  // not a ucm appliance (an nginx host of the same fleet)
    Endpoint https{dir, a->config().address, a->config().httpsPort, true, "Cisco Tomcat", {"tomcat", "tomcat-ECDSA"},
                   -1, nullptr};
    endpoints_[dir.string() + "#https"] = https;
    if (a->config().nodeType == "unifiedCM") {
      Endpoint sip{dir, a->config().address, a->config().sipTlsPort, false, "Cisco CallManager",
                   {"CallManager", "CallManager-ECDSA"}, -1, nullptr};
      endpoints_[dir.string() + "#sip"] = sip;
    }
  }
}

bool Daemon::Reconcile() {
  bool ok = true;
  for (auto& [key, e] : endpoints_) {
    auto a = Appliance::Open(e.dir);
    bool up = a.ok() && a->ServiceState(e.service) == "STARTED";
    if (e.https) {
      if (up && !e.web) {
        auto web = RestServer::Start(e.dir, e.address, e.port);
        if (web.ok()) {
          e.web = std::move(*web);
        } else {
          ok = false;
          std::fprintf(stderr, "pkiform-sim tls: %s (%s)\n", web.status().message().c_str(), e.service.c_str());
        }
      } else if (!up && e.web) {
        e.web.reset();  // the service is down: connections are refused
      }
      continue;
    }
    if (up && e.fd < 0) {
      e.fd = OpenListener(e.address, e.port);
      if (e.fd < 0) {
        ok = false;
        std::fprintf(stderr, "pkiform-sim tls: cannot listen on %s:%d (%s)\n", e.address.c_str(), e.port,
                     e.service.c_str());
      }
    } else if (!up && e.fd >= 0) {
      ::close(e.fd);  // the service is down: connections are refused
      e.fd = -1;
    }
  }
  return ok;
}

int Daemon::Run() {
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
  Discover();
  if (endpoints_.empty()) {
    std::fprintf(stderr, "pkiform-sim tls: no ucm appliance found\n");
    return 1;
  }
  if (!Reconcile()) return 1;
  std::printf("ready\n");
  std::fflush(stdout);
  auto lastDiscover = std::chrono::steady_clock::now();
  while (!g_stop) {
    std::vector<pollfd> fds;
    std::vector<Endpoint*> owners;
    for (auto& [key, e] : endpoints_) {
      if (e.fd < 0) continue;
      fds.push_back(pollfd{e.fd, POLLIN, 0});
      owners.push_back(&e);
    }
    ::poll(fds.data(), fds.size(), 50);
    for (size_t i = 0; i < fds.size(); ++i) {
      if (!(fds[i].revents & POLLIN)) continue;
      int client = ::accept4(fds[i].fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (client < 0) continue;
      Endpoint* e = owners[i];
      auto a = Appliance::Open(e->dir);
      if (!a.ok()) {
        ::close(client);
        continue;
      }
      std::thread(Serve, *a, e->units, e->https, client).detach();
    }
    if (std::chrono::steady_clock::now() - lastDiscover > std::chrono::seconds(1)) {
      Discover();
      lastDiscover = std::chrono::steady_clock::now();
    }
    (void)Reconcile();
  }
  for (auto& [key, e] : endpoints_) {
    if (e.fd >= 0) ::close(e.fd);
    e.web.reset();
  }
  return 0;
}

}  // namespace

int RunTlsDaemon(const TlsDaemonOptions& options) {
  Daemon d(options);
  return d.Run();
}

}  // namespace pkiform::sim
