// Matching a served certificate to a repository Issuer (issuer_match.h).
#include "reconciler/importer/issuer_match.h"

#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>

#include "reconciler/util/excerpt.h"

namespace pkiform::importer {
namespace {

// The authorityKeyIdentifier's keyIdentifier bytes; "" when absent.
std::string AuthorityKeyId(const pki::Certificate& c) {
  const ASN1_OCTET_STRING* id = X509_get0_authority_key_id(c.get());
  if (id == nullptr) return "";
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(id)), ASN1_STRING_length(id));
}

std::string Hex(const std::string& bytes) {
  static const char* kDigits = "0123456789ABCDEF";
  std::string out;
  for (unsigned char b : bytes) {
    if (!out.empty()) out += ':';
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

}  // namespace

bool IssuedBy(const pki::Certificate& certificate, const pki::Certificate& ca) {
  // The full names, every attribute, not the six a manifest writes.
  if (X509_NAME_cmp(X509_get_issuer_name(certificate.get()), X509_get_subject_name(ca.get())) != 0) return false;
  const std::string aki = AuthorityKeyId(certificate), ski = ca.SubjectKeyIdentifier();
  if (!aki.empty() && !ski.empty() && aki != ski) return false;
  EVP_PKEY* key = X509_get0_pubkey(ca.get());
  return key != nullptr && X509_verify(certificate.get(), key) == 1;
}

IssuerMatch MatchIssuer(const pki::Certificate& certificate, const std::vector<KnownIssuer>& issuers) {
  std::vector<const KnownIssuer*> sorted;
  for (const auto& is : issuers) sorted.push_back(&is);
  std::sort(sorted.begin(), sorted.end(), [](const KnownIssuer* a, const KnownIssuer* b) { return a->name < b->name; });
  const bool self_signed = certificate.IsSelfSigned();
  IssuerMatch match;
  for (const KnownIssuer* is : sorted) {
    const bool hit = is->kind == Issuer::Kind::kSelfSigned
                         ? self_signed
                         : !self_signed && !is->certificates.empty() && IssuedBy(certificate, is->certificates.front());
    if (!hit) continue;
    if (match.issuer.empty())
      match.issuer = is->name;
    else
      match.also.push_back(is->name);
  }
  if (!match.issuer.empty()) return match;
  if (self_signed) {
    match.problem = "the certificate is self-signed and the repository has no selfSigned Issuer";
    return match;
  }
  std::string aki = AuthorityKeyId(certificate);
  match.problem = "issued by '" + Excerpt(certificate.Issuer().ToString()) + "'" +
                  (aki.empty() ? "" : " (authority key " + Hex(aki) + ")") +
                  ", which is not the CA certificate of any ca or external Issuer in the repository";
  return match;
}

}  // namespace pkiform::importer
