// A real TLS handshake against an endpoint, to see which certificate it serves.
// After a reload the executor checks that the endpoint now serves the new
// identity (fingerprint), and that it verifies against the issuer's chain with
// the expected name; only then is the change kept.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "reconciler/pki/certificate.h"
#include "reconciler/util/result.h"

namespace pkiform::tls {

struct Endpoint {
  std::string host;  // address to connect to (IPv4, IPv6 or DNS name)
  int port = 443;
  std::string sni;   // server name sent and checked; empty: no SNI
  // OpenSSL signature algorithms list the client offers ("ECDSA+SHA256:..."): a server
  // holding an RSA and an EC identity on one port then answers with the one asked for.
  // Empty: OpenSSL's defaults.
  std::string signature_algorithms = {};
  // "": TLS from the first byte; "xmpp-client" or "xmpp-server": an XMPP stream that
  // negotiates STARTTLS first (xmpp_starttls.h), then the handshake on the same connection.
  std::string starttls = {};
};

struct ServedIdentity {
  pki::Certificate leaf;
  std::vector<pki::Certificate> chain;  // as sent by the server, after the leaf
};

// Connects, handshakes (TLS 1.2+) without verifying, and returns what was served.
Result<ServedIdentity> FetchServedIdentity(const Endpoint& endpoint, std::chrono::milliseconds timeout);

// Handshakes again, this time verifying the served chain against `anchors`
// and the host name `sni` with OpenSSL's own checks, as a TLS client would.
Status VerifyHandshake(const Endpoint& endpoint, const std::vector<pki::Certificate>& anchors,
                       std::chrono::milliseconds timeout);

}  // namespace pkiform::tls
