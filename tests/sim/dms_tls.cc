#include "tests/sim/dms_tls.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include "reconciler/pki/certificate.h"
#include "tests/sim/http_answer.h"
#include "reconciler/pki/handles.h"
#include "reconciler/pki/key.h"
#include "tests/sim/dms_state.h"

namespace pkiform::sim {
namespace {

using SslCtxPtr = pki::OpensslPtr<SSL_CTX, SSL_CTX_free>;
using SslPtr = pki::OpensslPtr<SSL, SSL_free>;

// An SSL_CTX with the identity and its chain, or null when the identity is missing, its
// key does not match, or it is not valid now.
SslCtxPtr IdentityContext(const DmsAppliance& a) {
  auto cert = a.Identity();
  auto keyPem = a.IdentityKeyPem();
  if (!cert.ok() || !keyPem) return nullptr;
  auto key = pki::PrivateKey::FromPem(*keyPem, nullptr);
  if (!key.ok() || key->PublicKeyDigest() != cert->PublicKeyDigest()) return nullptr;
  auto now = std::chrono::system_clock::now();
  if (now < cert->NotBefore() || now > cert->NotAfter()) return nullptr;  // refuses web connections
  SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()));
  if (!ctx) return nullptr;
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  pki::StackOfX509Ptr extra(sk_X509_new_null());
  for (const auto& ca : a.Chain()) sk_X509_push(extra.get(), X509_dup(ca.get()));
  if (SSL_CTX_use_cert_and_key(ctx.get(), cert->get(), key->get(), extra.get(), 1) != 1) return nullptr;
  return ctx;
}

}  // namespace

std::optional<DmsEndpoint> DmsEndpointOf(const std::filesystem::path& dir) {
  auto a = DmsAppliance::Open(dir);
  if (!a.ok()) return std::nullopt;
  return DmsEndpoint{a->config().address, a->config().httpsPort};
}

void ServeDmsConnection(std::filesystem::path dir, int fd) {
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  auto a = DmsAppliance::Open(dir);
  SslCtxPtr ctx = a.ok() ? IdentityContext(*a) : nullptr;
  if (!ctx) {
    ERR_clear_error();
    ::close(fd);
    return;
  }
  SslPtr ssl(SSL_new(ctx.get()));
  if (ssl && SSL_set_fd(ssl.get(), fd) == 1 && SSL_accept(ssl.get()) == 1) {
    AnswerHttpOnce(ssl.get(), "Cisco Show and Share (pkiform-sim)\n");
    SSL_shutdown(ssl.get());
  }
  ERR_clear_error();
  ::close(fd);
}

}  // namespace pkiform::sim
