#include "tests/sim/vcs_tls.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>

#include "reconciler/pki/certificate.h"
#include "tests/sim/http_answer.h"
#include "reconciler/pki/handles.h"
#include "reconciler/pki/key.h"
#include "tests/sim/vcs_state.h"

namespace pkiform::sim {
namespace {

// OpenSSL's TLS objects in the owning handles of reconciler/pki/handles.h.
using SslCtxPtr = pki::OpensslPtr<SSL_CTX, SSL_CTX_free>;
using SslPtr = pki::OpensslPtr<SSL, SSL_free>;

// An SSL_CTX with the active identity, or null when it is missing or its key does not match.
SslCtxPtr ActiveContext(const VcsAppliance& a) {
  auto certPem = a.ActiveCertificatePem();
  auto keyPem = a.ActiveKeyPem();
  if (!certPem || !keyPem) return nullptr;
  auto cert = pki::Certificate::FromPem(*certPem);
  auto key = pki::PrivateKey::FromPem(*keyPem, nullptr);
  if (!cert.ok() || !key.ok() || key->PublicKeyDigest() != cert->PublicKeyDigest()) return nullptr;
  SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()));
  if (!ctx) return nullptr;
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  if (SSL_CTX_use_certificate(ctx.get(), cert->get()) != 1 || SSL_CTX_use_PrivateKey(ctx.get(), key->get()) != 1)
    return nullptr;
  return ctx;
}

}  // namespace

std::vector<VcsEndpoint> VcsEndpointsOf(const std::filesystem::path& dir) {
  auto a = VcsAppliance::Open(dir);
  if (!a.ok()) return {};
  const auto& c = a->config();
  return {{VcsService::kHttps, "vcs-https", c.address, c.httpsPort},
          {VcsService::kSipTls, "vcs-sip-tls", c.address, c.sipTlsPort},
          {VcsService::kMra, "vcs-mra", c.address, c.mraPort}};
}

bool VcsListening(const std::filesystem::path& dir) {
  auto a = VcsAppliance::Open(dir);
  return a.ok() && a->IsUp();
}

void ServeVcsConnection(std::filesystem::path dir, VcsService service, int fd) {
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  auto a = VcsAppliance::Open(dir);
  SslCtxPtr ctx = a.ok() ? ActiveContext(*a) : nullptr;
  // Rule V15: a key file without its final newline breaks mobile and remote access.
  bool mraBroken = service == VcsService::kMra && a.ok() && !a->ActiveKeyPem().value_or("\n").ends_with("\n");
  if (!ctx || mraBroken) {
    ::close(fd);
    return;
  }
  SslPtr ssl(SSL_new(ctx.get()));
  if (ssl && SSL_set_fd(ssl.get(), fd) == 1 && SSL_accept(ssl.get()) == 1) {
    if (service == VcsService::kHttps) AnswerHttpOnce(ssl.get(), "TANDBERG VCS (pkiform-sim)\n");
    SSL_shutdown(ssl.get());
  }
  ERR_clear_error();
  ::close(fd);
}

}  // namespace pkiform::sim
