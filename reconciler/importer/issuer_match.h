// Which of the repository's Issuers issued a certificate found on a host, for
// `pkiform import`. A match is decided by the certificate itself, never by a
// name it claims: the issuer's CA certificate must carry the certificate's
// issuer name, its subjectKeyIdentifier must equal the certificate's
// authorityKeyIdentifier when both are present, and its public key must verify
// the certificate's signature. A self-signed certificate matches the
// repository's selfSigned Issuer. Nothing else is guessed: no match is a reason
// the slot cannot be expressed (docs/import.md).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "reconciler/manifest/model.h"
#include "reconciler/pki/certificate.h"

namespace pkiform::importer {

// A repository Issuer with its certificates (IssuerCertificates: the CA first, then its
// chain; none for selfSigned).
struct KnownIssuer {
  std::string name;
  Issuer::Kind kind = Issuer::Kind::kSelfSigned;
  std::vector<pki::Certificate> certificates;
};

struct IssuerMatch {
  std::string issuer;                // the matching Issuer's name; "" when none
  std::vector<std::string> also;     // further Issuers that match just as well (the same CA twice)
  std::string problem;               // why none matches, for the manifest's comment; "" on a match
};

// True when `ca` issued `certificate`: names, key identifiers and signature agree.
bool IssuedBy(const pki::Certificate& certificate, const pki::Certificate& ca);

// The Issuer of `certificate` among `issuers` (sorted by name, so the answer is stable).
IssuerMatch MatchIssuer(const pki::Certificate& certificate, const std::vector<KnownIssuer>& issuers);

}  // namespace pkiform::importer
