#include "reconciler/tls/probe.h"

#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <memory>

#include "reconciler/pki/handles.h"
#include "reconciler/tls/xmpp_starttls.h"

namespace pkiform::tls {
namespace {

struct SslCtxDeleter {
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};
struct SslDeleter {
  void operator()(SSL* s) const { SSL_free(s); }
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, SslCtxDeleter>;
using SslPtr = std::unique_ptr<SSL, SslDeleter>;

class Socket {
 public:
  explicit Socket(int fd = -1) : fd_(fd) {}
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

std::string Where(const Endpoint& e) { return e.host + ":" + std::to_string(e.port); }

// A TCP connection bounded by `timeout` (non-blocking connect, then poll).
Result<std::unique_ptr<Socket>> Connect(const Endpoint& e, std::chrono::milliseconds timeout) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  int rc = getaddrinfo(e.host.c_str(), std::to_string(e.port).c_str(), &hints, &found);
  if (rc != 0) return Status::IoError(Where(e) + ": cannot resolve: " + gai_strerror(rc));
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> list(found, freeaddrinfo);
  std::string last = "no address";
  for (addrinfo* a = found; a; a = a->ai_next) {
    auto sock = std::make_unique<Socket>(::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol));
    if (sock->fd() < 0) continue;
    int flags = fcntl(sock->fd(), F_GETFL, 0);
    fcntl(sock->fd(), F_SETFL, flags | O_NONBLOCK);
    if (::connect(sock->fd(), a->ai_addr, a->ai_addrlen) != 0 && errno != EINPROGRESS) {
      last = std::strerror(errno);
      continue;
    }
    pollfd p{sock->fd(), POLLOUT, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) != 1) {
      last = "timed out after " + std::to_string(timeout.count()) + " ms";
      continue;
    }
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(sock->fd(), SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) {
      last = std::strerror(err);
      continue;
    }
    fcntl(sock->fd(), F_SETFL, flags);  // the handshake runs blocking, bounded by socket timeouts
    timeval tv{static_cast<time_t>(timeout.count() / 1000), static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
    setsockopt(sock->fd(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(sock->fd(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    return sock;
  }
  return Status::IoError(Where(e) + ": cannot connect: " + last);
}

struct Session {
  std::unique_ptr<Socket> socket;
  SslCtxPtr ctx;
  SslPtr ssl;
};

Result<Session> Handshake(const Endpoint& e, std::chrono::milliseconds timeout,
                          const std::vector<pki::Certificate>* anchors) {
  Session s;
  auto sock = Connect(e, timeout);
  if (!sock.ok()) return sock.status();
  s.socket = std::move(sock).value();
  if (!e.starttls.empty()) {
    Status negotiated = XmppStartTls(s.socket->fd(), e.starttls, e.sni.empty() ? e.host : e.sni);
    if (!negotiated.ok()) return negotiated.WithContext(Where(e));
  }
  s.ctx.reset(SSL_CTX_new(TLS_client_method()));
  if (!s.ctx) return Status::Crypto("SSL_CTX_new: " + pki::OpensslErrorString());
  SSL_CTX_set_min_proto_version(s.ctx.get(), TLS1_2_VERSION);
  if (!e.signature_algorithms.empty() && SSL_CTX_set1_sigalgs_list(s.ctx.get(), e.signature_algorithms.c_str()) != 1)
    return Status::InvalidInput(Where(e) + ": signature algorithms '" + e.signature_algorithms +
                                "' not understood: " + pki::OpensslErrorString());
  if (anchors) {
    X509_STORE* store = SSL_CTX_get_cert_store(s.ctx.get());
    for (const auto& a : *anchors) X509_STORE_add_cert(store, a.get());
    X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN);
    SSL_CTX_set_verify(s.ctx.get(), SSL_VERIFY_PEER, nullptr);
  } else {
    SSL_CTX_set_verify(s.ctx.get(), SSL_VERIFY_NONE, nullptr);
  }
  s.ssl.reset(SSL_new(s.ctx.get()));
  if (!s.ssl) return Status::Crypto("SSL_new: " + pki::OpensslErrorString());
  if (!e.sni.empty()) {
    SSL_set_tlsext_host_name(s.ssl.get(), e.sni.c_str());
    if (anchors) SSL_set1_host(s.ssl.get(), e.sni.c_str());
  }
  SSL_set_fd(s.ssl.get(), s.socket->fd());
  ERR_clear_error();
  if (SSL_connect(s.ssl.get()) != 1) {
    long verify = SSL_get_verify_result(s.ssl.get());
    std::string why = verify != X509_V_OK ? X509_verify_cert_error_string(verify) : pki::OpensslErrorString();
    if (why.empty()) why = "the connection closed during the handshake";
    return Status::Failed(Where(e) + ": TLS handshake failed: " + why);
  }
  return s;
}

}  // namespace

Result<ServedIdentity> FetchServedIdentity(const Endpoint& endpoint, std::chrono::milliseconds timeout) {
  auto s = Handshake(endpoint, timeout, nullptr);
  if (!s.ok()) return s.status();
  X509* peer = SSL_get0_peer_certificate(s->ssl.get());
  if (!peer) return Status::Failed(Where(endpoint) + ": the server sent no certificate");
  X509_up_ref(peer);
  auto leaf = pki::Certificate::Adopt(pki::X509Ptr(peer));
  if (!leaf.ok()) return leaf.status();
  ServedIdentity served{*leaf, {}};
  STACK_OF(X509)* chain = SSL_get_peer_cert_chain(s->ssl.get());  // client side: includes the leaf
  for (int i = 1; chain && i < sk_X509_num(chain); ++i) {
    X509* c = sk_X509_value(chain, i);
    X509_up_ref(c);
    auto cert = pki::Certificate::Adopt(pki::X509Ptr(c));
    if (cert.ok()) served.chain.push_back(*cert);
  }
  SSL_shutdown(s->ssl.get());
  return served;
}

Status VerifyHandshake(const Endpoint& endpoint, const std::vector<pki::Certificate>& anchors,
                       std::chrono::milliseconds timeout) {
  auto s = Handshake(endpoint, timeout, &anchors);
  if (!s.ok()) return s.status();
  SSL_shutdown(s->ssl.get());
  return Status::Ok();
}

}  // namespace pkiform::tls
