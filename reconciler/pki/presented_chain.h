// The CA certificates a TLS server presents after its own certificate: the
// issuer's certificates without a self-signed root. A root is the client's trust
// anchor, never part of what a server sends (RFC 8446 4.4.2, RFC 5246 7.4.2: it
// may be omitted, since a client that trusts it already holds it), so a chain
// file, a fullchain file or a certificate file carrying the chain never holds one,
// and an installed chain is complete when it holds every other issuer certificate.
#pragma once

#include <vector>

#include "reconciler/pki/certificate.h"

namespace pkiform::pki {

// `certificates` without the self-signed ones and without repeats, in their order:
// what an installed chain must hold (its order is not judged).
std::vector<Certificate> WithoutRoots(const std::vector<Certificate>& certificates);

// What follows `leaf` in a file a server reads: WithoutRoots(issuerCertificates),
// ordered from the leaf's issuer upward (whatever their order in the manifest),
// then any of them not on that path, in their given order, so that nothing the
// issuer lists is dropped but its root.
std::vector<Certificate> PresentedChain(const Certificate& leaf, const std::vector<Certificate>& issuerCertificates);

}  // namespace pkiform::pki
