// Verification: proof, by a real TLS handshake, that a slot serves its new identity.
//
// The executor decides where to look (VerifyTargetFor: the manifest's `verify`, else
// the catalogue's endpoint for the slot, on the peer's address) and asks an injected
// Verifier, so that unit tests can fake the handshake; TlsVerifier is the real one.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "reconciler/catalogue/catalogue.h"
#include "reconciler/manifest/model.h"
#include "reconciler/pki/certificate.h"
#include "reconciler/tls/probe.h"
#include "reconciler/util/result.h"

namespace pkiform {

class Verifier {
 public:
  virtual ~Verifier() = default;
  // Ok when `endpoint` serves `expected` and verifies against `chain`'s root (or
  // `expected` itself when self-signed) for the endpoint's SNI name.
  virtual Status Verify(const tls::Endpoint& endpoint, const pki::Certificate& expected,
                        const std::vector<pki::Certificate>& chain) = 0;
};

// Where the new identity of `slot` on `peer` is proved; nullopt: nowhere (the
// cluster's restarts.verify is "none", or neither the manifest nor the catalogue
// names an endpoint for the slot).
std::optional<tls::Endpoint> VerifyTargetFor(const Cluster& cluster, const Peer& peer, const IdentitySlot& slot,
                                             const catalogue::PlatformCatalogue* platform);

// Polls the endpoint until it serves the new certificate, verified, several times in a
// row: a reload returns before the service has switched over, and old workers may
// answer for a moment after new ones do.
class TlsVerifier : public Verifier {
 public:
  // A miss is retried after first_pause, doubling up to max_pause: a reload usually takes
  // effect within milliseconds, and a fixed 200 ms pause made verification most of an
  // apply's time. The good answers stay pause_in_a_row apart, so that the proof still
  // spans the time old workers take to stop accepting.
  struct Settings {
    std::chrono::milliseconds give_up_after{12000};  // no good run of answers by then: failed
    std::chrono::milliseconds first_pause{10};        // after the first miss
    std::chrono::milliseconds max_pause{200};         // between misses, at most
    std::chrono::milliseconds pause_in_a_row{50};     // between the consecutive good ones
    int consecutive = 3;
    std::chrono::milliseconds fetch_timeout{2000};
    std::chrono::milliseconds verify_timeout{5000};
  };
  TlsVerifier() = default;
  explicit TlsVerifier(Settings settings) : settings_(settings) {}
  Status Verify(const tls::Endpoint& endpoint, const pki::Certificate& expected,
                const std::vector<pki::Certificate>& chain) override;

 private:
  Settings settings_;
};

}  // namespace pkiform
