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
#include <optional>
#include <string>
#include <thread>

#include "reconciler/pki/key.h"
#include "tests/sim/appliance_state.h"
#include "tests/sim/dms_tls.h"
#include "tests/sim/rest_api.h"
#include "tests/sim/sim_files.h"
#include "tests/sim/vcs_tls.h"

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

// What a connection speaks around TLS.
enum class Protocol { kHttps, kSip, kXmppClient, kXmppServer, kDmsHttps };

struct Endpoint {
  fs::path dir;
  std::string address;
  int port = 0;
  Protocol protocol = Protocol::kHttps;
  std::string service;
  std::vector<std::string> units;
  int fd = -1;                       // SIP TLS: the listener this loop accepts on
  std::shared_ptr<RestServer> web;  // HTTPS: Tomcat's page and the platform REST API (rest_api.h)
  std::optional<VcsService> vcs;    // a vcs appliance's endpoint (vcs_tls.h); every one a listener here
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

// Reads (bounded, 8 KiB) until `marker` has come and a '>' after it, one recv at a time
// so that nothing of the client's TLS hello is consumed.
bool ReadPast(int fd, std::string& buffer, const std::string& marker) {
  char chunk[512];
  while (buffer.size() < 8192) {
    if (!buffer.empty() && buffer[0] != '<') return false;  // not XML (a TLS hello): close at once
    size_t at = buffer.find(marker);
    if (at != std::string::npos && buffer.find('>', at) != std::string::npos) return true;
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<size_t>(n));
  }
  return false;
}

bool SendText(int fd, const std::string& text) {
  return ::send(fd, text.data(), text.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(text.size());
}

// The server side of XMPP STARTTLS (RFC 6120, 5.4): the stream header, features that
// require STARTTLS, <proceed/>. ASSUMED: IM and Presence offers nothing else before TLS.
bool XmppStartTls(int fd, Protocol protocol, const std::string& fqdn) {
  std::string in;
  if (!ReadPast(fd, in, "<stream:stream")) return false;
  const std::string ns = protocol == Protocol::kXmppClient ? "jabber:client" : "jabber:server";
  if (!SendText(fd, "<?xml version='1.0'?><stream:stream xmlns='" + ns +
                        "' xmlns:stream='http://etherx.jabber.org/streams' id='pkiform-sim' from='" + fqdn +
                        "' version='1.0'><stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'>"
                        "<required/></starttls></stream:features>"))
    return false;
  in.clear();
  if (!ReadPast(fd, in, "<starttls")) return false;
  return SendText(fd, "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
}

void Serve(Appliance a, std::vector<std::string> units, Protocol protocol, int fd) {
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  auto ctx = MakeContext(a, units);
  if (!ctx) {
    ::close(fd);
    return;
  }
  const bool xmpp = protocol == Protocol::kXmppClient || protocol == Protocol::kXmppServer;
  if (xmpp && !XmppStartTls(fd, protocol, a.config().fqdn)) {
    ::close(fd);
    return;
  }
  std::unique_ptr<SSL, SslDeleter> ssl(SSL_new(ctx.get()));
  if (!ssl || SSL_set_fd(ssl.get(), fd) != 1 || SSL_accept(ssl.get()) != 1) {
    ERR_clear_error();
    ::close(fd);
    return;
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
    if (endpoints_.count(dir.string() + "#https") || endpoints_.count(dir.string() + "#vcs-https") ||
        endpoints_.count(dir.string() + "#dms-https"))
      continue;
    auto a = Appliance::Open(dir);
    if (auto d = a.ok() ? std::nullopt : DmsEndpointOf(dir)) {  // a dms appliance (dms_tls.h)
      endpoints_[dir.string() + "#dms-https"] =
          Endpoint{dir, d->address, d->port, Protocol::kDmsHttps, "dms-https", {}, -1, nullptr, std::nullopt};
      continue;
    }
    if (!a.ok()) {  // a vcs appliance, or none (an nginx host of the same fleet)
      for (const auto& v : VcsEndpointsOf(dir))
        endpoints_[dir.string() + "#" + v.name] =
            Endpoint{dir, v.address, v.port, Protocol::kSip, v.name, {}, -1, nullptr, v.service};
      continue;
    }
    const NodeConfig& c = a->config();
    auto add = [&](const char* key, int port, Protocol protocol, const char* service, std::vector<std::string> units) {
      endpoints_[dir.string() + key] =
          Endpoint{dir, c.address, port, protocol, service, std::move(units), -1, nullptr, std::nullopt};
    };
    add("#https", c.httpsPort, Protocol::kHttps, "Cisco Tomcat", {"tomcat", "tomcat-ECDSA"});
    if (c.nodeType == "unifiedCM") {
      add("#sip", c.sipTlsPort, Protocol::kSip, "Cisco CallManager", {"CallManager", "CallManager-ECDSA"});
    } else {
      add("#cup-sip", c.cupSipTlsPort, Protocol::kSip, "Cisco SIP Proxy", {"cup", "cup-ECDSA"});
      add("#xmpp-client", c.xmppClientPort, Protocol::kXmppClient, "Cisco XCP Connection Manager",
          {"cup-xmpp", "cup-xmpp-ECDSA"});
      add("#xmpp-server", c.xmppServerPort, Protocol::kXmppServer, "Cisco XCP XMPP Federation Connection Manager",
          {"cup-xmpp-s2s", "cup-xmpp-s2s-ECDSA"});
    }
  }
}

bool Daemon::Reconcile() {
  bool ok = true;
  for (auto& [key, e] : endpoints_) {
    bool up = false;
    if (e.vcs) {
      up = VcsListening(e.dir);
    } else if (e.protocol == Protocol::kDmsHttps) {
      up = true;  // no restart on a DMS appliance; an invalid identity is refused per connection
    } else {
      auto a = Appliance::Open(e.dir);
      up = a.ok() && a->ServiceState(e.service) == "STARTED";
    }
    if (e.protocol == Protocol::kHttps) {
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
    std::fprintf(stderr, "pkiform-sim tls: no ucm, vcs or dms appliance found\n");
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
      if (e->vcs) {
        std::thread(ServeVcsConnection, e->dir, *e->vcs, client).detach();
        continue;
      }
      if (e->protocol == Protocol::kDmsHttps) {
        std::thread(ServeDmsConnection, e->dir, client).detach();
        continue;
      }
      auto a = Appliance::Open(e->dir);
      if (!a.ok()) {
        ::close(client);
        continue;
      }
      std::thread(Serve, *a, e->units, e->protocol, client).detach();
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
