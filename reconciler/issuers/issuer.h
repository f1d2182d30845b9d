// Certificate issuers: who turns a CSR into a certificate.
//
//   ca          pkiform signs with a local CA's key (passphrase from env or file);
//               serials come from the state store so a CA never repeats one.
//   external    an outside CA: the CSR is handed over as a file in the repository
//               and the signed certificate is picked up once someone commits it.
//   selfSigned  the certificate is signed by its own key (made where the key is).
//
// Extensions are set by the signing policy the planner derived from the
// manifest and the platform catalogue, never copied from the CSR.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "reconciler/manifest/model.h"
#include "reconciler/pki/certificate.h"
#include "reconciler/pki/csr.h"
#include "reconciler/pki/signer.h"
#include "reconciler/util/result.h"

namespace pkiform {

struct Issued {
  pki::Certificate certificate;
  std::vector<pki::Certificate> chain;  // the issuer first, up to the root
};

class CertificateIssuer {
 public:
  virtual ~CertificateIssuer() = default;
  // The issuer's CA certificate and the chain above it ([] for selfSigned).
  virtual const std::vector<pki::Certificate>& Chain() const = 0;
  // Signs `csr` with `policy` (subject, names, usages, validity; the serial is
  // the issuer's to choose). External issuers return the committed certificate
  // for the slot when it matches the CSR's key, or a Status saying it is awaited.
  virtual Result<Issued> Issue(const pki::Csr& csr, pki::SigningPolicy policy) = 0;
};

// The issuer's CA certificate then its chain ([] for selfSigned), without its key:
// what planning needs to tell whether a certificate was issued by it.
Result<std::vector<pki::Certificate>> IssuerCertificates(const Issuer& issuer);

// Reads the issuer's files; `next_serial` gives a fresh serial for a local CA.
Result<std::unique_ptr<CertificateIssuer>> OpenIssuer(const Issuer& issuer,
                                                      std::function<Result<std::string>()> next_serial);

}  // namespace pkiform
