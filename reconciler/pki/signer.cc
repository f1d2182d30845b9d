#include "reconciler/pki/signer.h"

#include <openssl/err.h>
#include <openssl/rand.h>

#include <optional>

#include "reconciler/pki/extensions.h"

namespace pkiform::pki {
namespace {

// Who signs: for a self-signed certificate there is no separate issuer name or cap.
struct Issuer {
  const X509_NAME* name = nullptr;  // null: the certificate's own subject
  std::string keyId;
  EVP_PKEY* signingKey = nullptr;
  std::optional<TimePoint> notAfterCap;
};

Status CheckPolicy(const SigningPolicy& policy) {
  if (policy.subject.empty()) return Status::InvalidInput("signing policy: the subject is empty");
  if (policy.notBefore == TimePoint{}) return Status::InvalidInput("signing policy: notBefore is not set");
  if (policy.validity.count() <= 0) return Status::InvalidInput("signing policy: validity must be positive");
  if (!policy.isCa && policy.pathLength >= 0) {
    return Status::InvalidInput("signing policy: pathLength applies to CA certificates only");
  }
  return Status::Ok();
}

Result<Asn1IntegerPtr> SerialFor(const SigningPolicy& policy) {
  if (policy.serialHex.empty()) {
    auto random = RandomSerialHex();
    if (!random.ok()) return random.status();
    return SerialFromHex(*random);
  }
  Result<Asn1IntegerPtr> serial = SerialFromHex(policy.serialHex);
  if (!serial.ok()) return serial.status().WithContext("signing policy");
  BignumPtr number(ASN1_INTEGER_to_BN(serial->get(), nullptr));
  // RFC 5280 4.1.2.2: positive, at most 20 octets.
  if (!number || BN_is_negative(number.get()) || BN_is_zero(number.get()) || BN_num_bytes(number.get()) > 20) {
    ERR_clear_error();
    return Status::InvalidInput("signing policy: serial " + policy.serialHex +
                                " must be positive and at most 20 bytes (RFC 5280)");
  }
  return serial;
}

Status SetTime(int (*set)(X509*, const ASN1_TIME*), X509* x509, TimePoint time) {
  Result<Asn1TimePtr> asn1 = Asn1FromTimePoint(time);
  if (!asn1.ok()) return asn1.status();
  if (set(x509, asn1->get()) != 1) return CryptoFailure("cannot set validity");
  return Status::Ok();
}

Status AddExtension(X509* x509, Result<X509ExtensionPtr> extension) {
  if (!extension.ok()) return extension.status();
  // X509_add_ext copies the extension; ours is freed by its handle.
  if (X509_add_ext(x509, extension->get(), -1) != 1) return CryptoFailure("cannot add extension");
  return Status::Ok();
}

Status AddPolicyExtensions(X509* x509, EVP_PKEY* subjectKey, const Issuer& issuer, const SigningPolicy& policy) {
  if (Status s = AddExtension(x509, MakeBasicConstraintsExtension(policy.isCa, policy.pathLength)); !s.ok()) return s;
  if (!policy.keyUsage.empty()) {
    if (Status s = AddExtension(x509, MakeKeyUsageExtension(policy.keyUsage)); !s.ok()) return s;
  }
  if (!policy.extendedKeyUsage.empty()) {
    if (Status s = AddExtension(x509, MakeExtendedKeyUsageExtension(policy.extendedKeyUsage)); !s.ok()) return s;
  }
  if (!policy.dnsNames.empty() || !policy.ipAddresses.empty()) {
    Status s = AddExtension(x509, MakeSubjectAltNameExtension(policy.dnsNames, policy.ipAddresses));
    if (!s.ok()) return s;
  }
  Result<std::string> subjectKeyId = KeyIdentifierOf(subjectKey);
  if (!subjectKeyId.ok()) return subjectKeyId.status();
  if (Status s = AddExtension(x509, MakeSubjectKeyIdentifierExtension(*subjectKeyId)); !s.ok()) return s;
  const std::string& authorityKeyId = issuer.keyId.empty() ? *subjectKeyId : issuer.keyId;
  if (Status s = AddExtension(x509, MakeAuthorityKeyIdentifierExtension(authorityKeyId)); !s.ok()) return s;
  if (!policy.crlDistributionPoints.empty()) {
    Status s = AddExtension(x509, MakeCrlDistributionPointsExtension(policy.crlDistributionPoints));
    if (!s.ok()) return s;
  }
  if (!policy.ocspUrls.empty()) {
    if (Status s = AddExtension(x509, MakeOcspAccessExtension(policy.ocspUrls)); !s.ok()) return s;
  }
  return Status::Ok();
}

Result<Certificate> Issue(EVP_PKEY* subjectKey, const Issuer& issuer, const SigningPolicy& policy) {
  if (Status s = CheckPolicy(policy); !s.ok()) return s;
  TimePoint notAfter = policy.notBefore + policy.validity;
  if (issuer.notAfterCap) {
    if (*issuer.notAfterCap <= policy.notBefore) {
      return Status::InvalidInput("the CA certificate expires (" + FormatRfc3339Utc(*issuer.notAfterCap) +
                                  ") before the new certificate's notBefore (" + FormatRfc3339Utc(policy.notBefore) +
                                  ")");
    }
    // A certificate cannot usefully outlive its issuer: chains fail once the CA expires.
    if (notAfter > *issuer.notAfterCap) notAfter = *issuer.notAfterCap;
  }
  ERR_clear_error();
  X509Ptr x509(X509_new());
  if (!x509 || X509_set_version(x509.get(), X509_VERSION_3) != 1) return CryptoFailure("cannot allocate X509");
  Result<Asn1IntegerPtr> serial = SerialFor(policy);
  if (!serial.ok()) return serial.status();
  Result<X509NamePtr> subject = ToX509Name(policy.subject);
  if (!subject.ok()) return subject.status();
  const X509_NAME* issuerName = issuer.name != nullptr ? issuer.name : subject->get();
  if (X509_set_serialNumber(x509.get(), serial->get()) != 1 || X509_set_subject_name(x509.get(), subject->get()) != 1 ||
      X509_set_issuer_name(x509.get(), issuerName) != 1 || X509_set_pubkey(x509.get(), subjectKey) != 1) {
    return CryptoFailure("cannot fill in the certificate");
  }
  if (Status s = SetTime(X509_set1_notBefore, x509.get(), policy.notBefore); !s.ok()) return s;
  if (Status s = SetTime(X509_set1_notAfter, x509.get(), notAfter); !s.ok()) return s;
  if (Status s = AddPolicyExtensions(x509.get(), subjectKey, issuer, policy); !s.ok()) return s;
  if (X509_sign(x509.get(), issuer.signingKey, SignatureDigestFor(issuer.signingKey)) <= 0) {
    return CryptoFailure("cannot sign the certificate");
  }
  return Certificate::Adopt(std::move(x509));
}

}  // namespace

Result<Certificate> SignPublicKey(EVP_PKEY* publicKey, const Certificate& caCert, const PrivateKey& caKey,
                                  const SigningPolicy& policy) {
  const std::string caName = "'" + caCert.Subject().ToString() + "'";
  if (publicKey == nullptr) return Status::InvalidInput("no public key to certify");
  if (caKey.PublicKeyDigest() != caCert.PublicKeyDigest()) {
    return Status::InvalidInput("the CA key does not belong to the CA certificate " + caName);
  }
  if (!caCert.IsCa()) {
    return Status::InvalidInput(caName + " is not a CA certificate (basicConstraints cA is not TRUE)");
  }
  const std::set<std::string> caUsage = caCert.KeyUsage();
  if (!caUsage.empty() && !caUsage.count("keyCertSign")) {
    return Status::InvalidInput(caName + " may not sign certificates (its keyUsage lacks keyCertSign)");
  }
  Issuer issuer;
  issuer.name = X509_get_subject_name(caCert.get());
  issuer.keyId = caCert.SubjectKeyIdentifier();
  if (issuer.keyId.empty()) {
    Result<std::string> keyId = KeyIdentifierOf(caKey.get());
    if (!keyId.ok()) return keyId.status();
    issuer.keyId = *keyId;
  }
  issuer.signingKey = caKey.get();
  issuer.notAfterCap = caCert.NotAfter();
  return Issue(publicKey, issuer, policy);
}

Result<std::string> RandomSerialHex() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return CryptoFailure("cannot draw a random serial number");
  // Top bit clear keeps the INTEGER positive; the next bit set keeps it exactly 16
  // bytes long, so serials never shrink to a short, guessable-looking value.
  bytes[0] = static_cast<unsigned char>((bytes[0] & 0x7F) | 0x40);
  static const char kHex[] = "0123456789ABCDEF";
  std::string hex;
  for (unsigned char b : bytes) {
    hex += kHex[b >> 4];
    hex += kHex[b & 0x0F];
  }
  return hex;
}

Result<Certificate> SignCsr(const Csr& csr, const Certificate& caCert, const PrivateKey& caKey,
                            const SigningPolicy& policy) {
  if (Status s = csr.VerifySignature(); !s.ok()) return s;
  return SignPublicKey(csr.PublicKey(), caCert, caKey, policy);
}

Result<Certificate> SelfSign(const PrivateKey& key, const SigningPolicy& policy) {
  Issuer issuer;
  issuer.signingKey = key.get();
  return Issue(key.get(), issuer, policy);
}

}  // namespace pkiform::pki
