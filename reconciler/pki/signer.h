// Issuing certificates: as a local CA from a CSR, or self-signed. What a
// certificate says (subject, names, usages, CA-ness, validity) comes from the
// SigningPolicy alone, never from the CSR: a CSR asking for cA=TRUE or codeSigning
// does not get it unless the policy says so.
#pragma once

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "reconciler/pki/certificate.h"
#include "reconciler/pki/clock.h"
#include "reconciler/pki/csr.h"
#include "reconciler/pki/distinguished_name.h"
#include "reconciler/pki/key.h"
#include "reconciler/util/result.h"

namespace pkiform::pki {

struct SigningPolicy {
  DistinguishedName subject;  // what the certificate will say (must not be empty)
  std::vector<std::string> dnsNames;
  std::vector<std::string> ipAddresses;
  std::set<std::string> keyUsage;          // empty: no keyUsage extension
  std::set<std::string> extendedKeyUsage;  // empty: no extendedKeyUsage extension
  bool isCa = false;
  int pathLength = -1;  // CA only; < 0: no limit
  TimePoint notBefore;  // required: there is no implicit "now"
  std::chrono::seconds validity{0};
  std::string serialHex;  // empty: 128-bit random, positive
  std::vector<std::string> crlDistributionPoints;
  std::vector<std::string> ocspUrls;
};

// Issues a certificate for the CSR's public key, signed by caKey. Verifies the CSR
// signature first; checks that caKey belongs to caCert and that caCert is a CA.
// Adds subjectKeyIdentifier and authorityKeyIdentifier; signs with SHA-256
// (SHA-384 for P-384 CA keys); notAfter is capped at the CA's notAfter.
Result<Certificate> SignCsr(const Csr& csr, const Certificate& caCert, const PrivateKey& caKey,
                            const SigningPolicy& policy);

// As SignCsr, for a public key held without a CSR (e.g. an appliance's existing key).
Result<Certificate> SignPublicKey(EVP_PKEY* publicKey, const Certificate& caCert, const PrivateKey& caKey,
                                  const SigningPolicy& policy);

// A certificate for `key`, signed by itself: issuer = subject = policy.subject.
Result<Certificate> SelfSign(const PrivateKey& key, const SigningPolicy& policy);

// A fresh random serial as SigningPolicy::serialHex takes it: 16 bytes, positive,
// 32 upper-case hex digits. For certificates signed elsewhere (on an appliance).
Result<std::string> RandomSerialHex();

}  // namespace pkiform::pki
