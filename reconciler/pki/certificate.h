// Certificate: one parsed X.509 certificate and everything pkiform asks of it
// (names, usages, key, validity, fingerprints, CA-ness), plus the serial number
// text format shared with CRLs and the signer.
//
// Reading files in their various forms (PEM bundles, DER, PKCS#7) is in
// certificate_file.h; this type only wraps one certificate.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "reconciler/pki/clock.h"
#include "reconciler/pki/distinguished_name.h"
#include "reconciler/pki/handles.h"
#include "reconciler/pki/key.h"
#include "reconciler/util/result.h"

namespace pkiform::pki {

class Certificate {
 public:
  // Takes ownership. Fails for a certificate whose validity dates cannot be read, and for one
  // OpenSSL reads but cannot write back: what pkiform writes of a certificate (backups, trust
  // stores, plans) is OpenSSL's encoding of it, which must read back as the same certificate.
  static Result<Certificate> Adopt(X509Ptr x509);
  // The same for `x509` decoded from exactly `decoded_from` (DER): when OpenSSL's encoding is
  // those bytes, as for any DER certificate, it writes back without a second parse.
  static Result<Certificate> Adopt(X509Ptr x509, std::string_view decoded_from);
  // The first CERTIFICATE block of `pem`.
  static Result<Certificate> FromPem(std::string_view pem);
  // Exactly one DER certificate, no trailing bytes.
  static Result<Certificate> FromDer(std::string_view der);

  DistinguishedName Subject() const;
  DistinguishedName Issuer() const;
  std::vector<std::string> DnsNames() const;
  std::vector<std::string> IpAddresses() const;
  // Names as in extensions.h; empty when the extension is absent.
  std::set<std::string> KeyUsage() const;
  std::set<std::string> ExtendedKeyUsage() const;
  // The certified public key.
  KeySpec Key() const;
  // Its strength as OpenSSL rates it, in bits of security (NIST SP 800-57):
  // RSA 2048 and P-224 give 112, P-256 128, RSA 1024 80, RSA 512 less; 0 if unknown.
  int KeySecurityBits() const;
  // The kind of key that signed this certificate, from its signature algorithm:
  // "rsa" (also RSASSA-PSS), "ecdsa", "ed25519", "ed448", "dsa", else the dotted OID (rule U5).
  std::string SignatureKeyAlgorithm() const;
  TimePoint NotBefore() const { return notBefore_; }
  TimePoint NotAfter() const { return notAfter_; }
  // Uppercase hex, no separators, as `openssl x509 -serial` prints it ("0A1B...").
  std::string SerialHex() const;
  // "AB:CD:..." like `openssl x509 -fingerprint -sha256`.
  std::string FingerprintSha256() const;
  // basicConstraints cA is TRUE.
  bool IsCa() const;
  // basicConstraints pathLenConstraint, if any.
  std::optional<int> PathLength() const;
  // Subject and issuer names are equal.
  bool IsSelfIssued() const;
  // Self-issued, and the signature verifies with the certificate's own key.
  bool IsSelfSigned() const;
  std::vector<std::string> CrlDistributionPoints() const;
  std::vector<std::string> OcspUrls() const;
  // Same digest as PrivateKey::PublicKeyDigest and Csr::PublicKeyDigest.
  std::string PublicKeyDigest() const;
  // Raw subjectKeyIdentifier bytes; empty when absent.
  std::string SubjectKeyIdentifier() const;
  // One PEM block, LF line endings, exactly one trailing newline.
  std::string ToPem() const;
  std::string ToDer() const;

  X509* get() const { return x509_.get(); }
  // Same DER encoding.
  bool operator==(const Certificate& other) const;

  // Copies share the same immutable X509 (reference counted).
  Certificate(const Certificate& other);
  Certificate& operator=(const Certificate& other);
  Certificate(Certificate&&) noexcept = default;
  Certificate& operator=(Certificate&&) noexcept = default;
  ~Certificate() = default;

 private:
  Certificate(X509Ptr x509, TimePoint notBefore, TimePoint notAfter)
      : x509_(std::move(x509)), notBefore_(notBefore), notAfter_(notAfter) {}
  X509Ptr x509_;
  TimePoint notBefore_;
  TimePoint notAfter_;
};

// Serial numbers as text: uppercase hex without separators, one "-" for negatives.
std::string SerialToHex(const ASN1_INTEGER* serial);
// Accepts upper or lower case, optional "0x" and ':' separators.
Result<Asn1IntegerPtr> SerialFromHex(std::string_view hex);
// Canonical form of serial text, so that "0a:1b" and "0A1B" compare equal.
Result<std::string> NormalizeSerialHex(std::string_view hex);

}  // namespace pkiform::pki
