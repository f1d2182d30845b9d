// Certificate signing requests (PKCS#10): creating them for a key with the names
// and usages an identity needs, reading them back from PEM, and checking their
// signature. The requested extensions are only a wish list: the signer decides
// what a certificate says (signer.h).
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "reconciler/pki/distinguished_name.h"
#include "reconciler/pki/handles.h"
#include "reconciler/pki/key.h"
#include "reconciler/util/result.h"

namespace pkiform::pki {

struct CsrRequest {
  DistinguishedName subject;
  std::vector<std::string> dnsNames;
  std::vector<std::string> ipAddresses;
  std::set<std::string> keyUsage;          // names as in extensions.h
  std::set<std::string> extendedKeyUsage;  // names as in extensions.h, or dotted OIDs
};

class Csr {
 public:
  // Signed with `key` (SHA-256; Ed25519 keys sign without a separate digest).
  // SANs, key usage and extended key usage become requested extensions.
  static Result<Csr> Create(const CsrRequest& request, const PrivateKey& key);
  // "BEGIN CERTIFICATE REQUEST" (or the older "NEW CERTIFICATE REQUEST").
  static Result<Csr> FromPem(std::string_view pem);

  // One PEM block, LF only, exactly one trailing newline (rule U4: CSRs are PEM).
  std::string ToPem() const;
  DistinguishedName Subject() const;
  std::vector<std::string> DnsNames() const;
  std::vector<std::string> IpAddresses() const;
  std::set<std::string> KeyUsage() const;
  std::set<std::string> ExtendedKeyUsage() const;
  // Whether the request asks for basicConstraints cA=TRUE.
  bool RequestsCa() const;
  KeySpec Key() const;
  std::string PublicKeyDigest() const;
  // Ok when the request is signed by the key it carries (proof of possession).
  Status VerifySignature() const;

  X509_REQ* get() const { return request_.get(); }
  EVP_PKEY* PublicKey() const;

 private:
  explicit Csr(X509ReqPtr request) : request_(std::move(request)) {}
  X509ReqPtr request_;
};

}  // namespace pkiform::pki
