// A TLS server on 127.0.0.1 for tests: serves a given certificate chain and key
// to every connection until destroyed, in a background thread. Real sockets,
// real handshakes (OpenSSL), nothing simulated.
#pragma once

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "reconciler/pki/certificate.h"
#include "reconciler/pki/key.h"

namespace pkiform::testing {

class TlsServer {
 public:
  TlsServer(const pki::Certificate& leaf, const std::vector<pki::Certificate>& chain, const pki::PrivateKey& key);
  ~TlsServer();
  TlsServer(const TlsServer&) = delete;
  TlsServer& operator=(const TlsServer&) = delete;
  int port() const { return port_; }

 private:
  void Serve();
  void* ctx_ = nullptr;  // SSL_CTX*
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace pkiform::testing
