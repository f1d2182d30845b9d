// What InstallIdentity writes into each file of an openssh slot, from the new
// certificate and its issuer's certificates. The chain is what a TLS server
// presents after its certificate (reconciler/pki/presented_chain.h): the issuer
// and the CAs above it in signing order, never a self-signed root.
//
//   files named                        certificate        chain    fullchain
//   certificate                        leaf + chain       -        -
//   certificate, chain                 leaf               chain    -
//   certificate, fullchain             leaf               -        leaf + chain
//   certificate, chain, fullchain      leaf               chain    leaf + chain
//
// With neither a chain nor a fullchain file, the chain goes after the leaf in
// the certificate file, as nginx (ssl_certificate), HAProxy (crt), Apache 2.4.8+
// (SSLCertificateFile) and Postfix read it; for a root issuer that chain is
// empty and every file holds the leaf alone, or nothing (an empty chain file).
// `validate` warns where the certificate file gets a chain (rules/chain_checks.cc).
//
// Observation reads the installed chain from the same places (observation.h):
// the chain file, else after the leaf in the fullchain file, else after it in
// the certificate file.
#pragma once

#include <string>
#include <vector>

#include "providers/openssh/slot_files.h"
#include "reconciler/pki/certificate.h"

namespace pkiform::openssh {

struct SlotContents {
  std::string certificate, chain, fullchain;  // PEM; a file the slot does not name stays empty
};

SlotContents ContentsOf(const SlotFileSet& files, const pki::Certificate& leaf,
                        const std::vector<pki::Certificate>& issuer_certificates);

}  // namespace pkiform::openssh
