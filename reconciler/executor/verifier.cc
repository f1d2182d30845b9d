// Verification targets and the TLS verifier (verifier.h).
#include "reconciler/executor/verifier.h"

#include <algorithm>
#include <chrono>
#include <thread>

namespace pkiform {

std::optional<tls::Endpoint> VerifyTargetFor(const Cluster& cluster, const Peer& peer, const IdentitySlot& slot,
                                             const catalogue::PlatformCatalogue* platform) {
  if (cluster.restarts.verify == "none") return std::nullopt;
  const std::string host = peer.address.empty() ? peer.fqdn : peer.address;
  const catalogue::SlotSpec* spec = platform ? platform->FindSlot(slot.slot) : nullptr;
  const bool catalogued = spec && spec->verify;
  if (slot.verify) {
    // The manifest moves the endpoint; how to talk to it stays the catalogue's: without its
    // signature algorithms a node that holds an RSA and an EC identity on one port (tomcat
    // and tomcat-ECDSA) may answer with the other one.
    tls::Endpoint e{slot.verify->host.empty() ? host : slot.verify->host, slot.verify->port,
                    slot.verify->sni.empty() ? peer.fqdn : slot.verify->sni};
    if (catalogued) {
      e.signature_algorithms = spec->verify->signature_algorithms;
      e.starttls = spec->verify->starttls;
    }
    return e;
  }
  if (!catalogued) return std::nullopt;
  const int port = spec->verify->peer_https_port ? peer.https_port : spec->verify->port;
  return tls::Endpoint{host, port, peer.fqdn, spec->verify->signature_algorithms, spec->verify->starttls};
}

Status TlsVerifier::Verify(const tls::Endpoint& ep, const pki::Certificate& expected,
                           const std::vector<pki::Certificate>& chain) {
  const std::vector<pki::Certificate> anchors =
      chain.empty() ? std::vector<pki::Certificate>{expected} : std::vector<pki::Certificate>{chain.back()};
  // One good handshake is not enough: an old worker that has not yet seen the reload can
  // answer the next connection. The new certificate must be served several times in a row.
  std::string last = "no answer";
  int in_a_row = 0;
  const auto give_up = std::chrono::steady_clock::now() + settings_.give_up_after;
  std::chrono::milliseconds pause = settings_.first_pause;
  for (bool first = true;; first = false) {
    if (!first) {
      if (in_a_row) {
        std::this_thread::sleep_for(settings_.pause_in_a_row);
      } else {
        if (std::chrono::steady_clock::now() + pause > give_up) break;
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, settings_.max_pause);
      }
    }
    auto got = tls::FetchServedIdentity(ep, settings_.fetch_timeout);
    Status seen = !got.ok() ? got.status()
                  : got->leaf.FingerprintSha256() != expected.FingerprintSha256()
                      ? Status::Failed("it serves " + got->leaf.FingerprintSha256())
                      : tls::VerifyHandshake(ep, anchors, settings_.verify_timeout);
    if (!seen.ok()) {
      last = seen.message();
      in_a_row = 0;
      continue;
    }
    if (++in_a_row == settings_.consecutive) return Status::Ok();
  }
  return Status::Failed(ep.host + ":" + std::to_string(ep.port) + " does not serve the new certificate (" + last + ")");
}

}  // namespace pkiform
