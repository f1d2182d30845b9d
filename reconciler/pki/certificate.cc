#include "reconciler/pki/certificate.h"

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>

#include <climits>
#include <map>
#include <mutex>
#include <optional>

#include "reconciler/pki/digest.h"
#include "reconciler/pki/extensions.h"
#include "reconciler/pki/pem_blocks.h"
#include "reconciler/pki/writes_back.h"

namespace pkiform::pki {
namespace {

// A decoded extension of `x509` (null when absent), owned by the returned handle.
template <typename Handle>
Handle ExtensionOf(X509* x509, int nid) {
  using Decoded = typename Handle::element_type;
  return Handle(static_cast<Decoded*>(X509_get_ext_d2i(x509, nid, nullptr, nullptr)));
}

std::string Dotted(const ASN1_OBJECT* object) {
  char text[128] = {};
  OBJ_obj2txt(text, sizeof text, object, 1);
  return text;
}

}  // namespace

Result<Certificate> Certificate::Adopt(X509Ptr x509) { return Adopt(std::move(x509), {}); }

Result<Certificate> Certificate::Adopt(X509Ptr x509, std::string_view decoded_from) {
  if (!x509) return Status::InvalidInput("no certificate");
  if (Status s = WritesBack<X509>(x509.get(), decoded_from, i2d_X509, d2i_X509, X509_free, "certificate"); !s.ok())
    return s;
  Result<TimePoint> notBefore = TimePointFromAsn1(X509_get0_notBefore(x509.get()));
  if (!notBefore.ok()) return notBefore.status().WithContext("certificate notBefore");
  Result<TimePoint> notAfter = TimePointFromAsn1(X509_get0_notAfter(x509.get()));
  if (!notAfter.ok()) return notAfter.status().WithContext("certificate notAfter");
  return Certificate(std::move(x509), *notBefore, *notAfter);
}

namespace {

// Certificates parsed from PEM, by their exact text. The same CA comes back for every peer of
// a fleet (its chain and fullchain files, the trust bundle, the manifest's issuer and trust
// stores), a peer's leaf comes back in its fullchain, and a parse through OpenSSL 3's decoders
// costs about 100 µs: a quarter of a plan's client CPU at 200 hosts (perf, issue 13).
// Certificates are shared read-only (copies share the X509 already). The cache is emptied when
// full rather than grown, so memory stays constant whatever the fleet; a CA is parsed again
// once per kMaxEntries certificates seen. Never destroyed: no X509 is freed after OpenSSL's
// own clean-up at exit.
class ParseCache {
 public:
  static constexpr size_t kMaxEntries = 256;
  static constexpr size_t kMaxTextBytes = 64 * 1024;

  std::optional<Certificate> Find(std::string_view pem) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = parsed_.find(pem);
    if (it == parsed_.end()) return std::nullopt;
    return it->second;
  }
  void Keep(std::string_view pem, const Certificate& ca) {
    if (pem.size() > kMaxTextBytes) return;
    std::lock_guard<std::mutex> lock(mutex_);
    if (parsed_.size() >= kMaxEntries) parsed_.clear();
    parsed_.emplace(std::string(pem), ca);
  }

 private:
  std::mutex mutex_;
  std::map<std::string, Certificate, std::less<>> parsed_;
};

ParseCache& Parsed() {
  static ParseCache* cache = new ParseCache();
  return *cache;
}

}  // namespace

Result<Certificate> Certificate::FromPem(std::string_view pem) {
  if (auto kept = Parsed().Find(pem)) return *std::move(kept);
  Result<std::string> der = FirstPemBlockDer(pem, PEM_STRING_X509);
  if (!der.ok()) return Status::InvalidInput("not a PEM certificate: " + der.status().message());
  const auto* start = reinterpret_cast<const unsigned char*>(der->data());
  const unsigned char* cursor = start;
  X509Ptr x509(d2i_X509(nullptr, &cursor, static_cast<long>(der->size())));
  if (!x509) return Status::InvalidInput("not a PEM certificate: " + OpensslErrorString());
  auto certificate = Adopt(std::move(x509), std::string_view(*der).substr(0, static_cast<size_t>(cursor - start)));
  if (certificate.ok()) Parsed().Keep(pem, *certificate);
  return certificate;
}

Result<Certificate> Certificate::FromDer(std::string_view der) {
  if (der.size() > static_cast<size_t>(LONG_MAX)) return Status::InvalidInput("certificate too large");
  const auto* cursor = reinterpret_cast<const unsigned char*>(der.data());
  ERR_clear_error();
  X509Ptr x509(d2i_X509(nullptr, &cursor, static_cast<long>(der.size())));
  if (!x509) return Status::InvalidInput("not a DER certificate: " + OpensslErrorString());
  const size_t consumed = static_cast<size_t>(cursor - reinterpret_cast<const unsigned char*>(der.data()));
  if (consumed != der.size()) {
    return Status::InvalidInput(std::to_string(der.size() - consumed) + " unexpected bytes after the DER certificate");
  }
  return Adopt(std::move(x509), der);
}

DistinguishedName Certificate::Subject() const { return FromX509Name(X509_get_subject_name(x509_.get())); }

DistinguishedName Certificate::Issuer() const { return FromX509Name(X509_get_issuer_name(x509_.get())); }

std::vector<std::string> Certificate::DnsNames() const {
  return SubjectAltNamesOf(ExtensionOf<GeneralNamesPtr>(x509_.get(), NID_subject_alt_name).get()).dnsNames;
}

std::vector<std::string> Certificate::IpAddresses() const {
  return SubjectAltNamesOf(ExtensionOf<GeneralNamesPtr>(x509_.get(), NID_subject_alt_name).get()).ipAddresses;
}

std::set<std::string> Certificate::KeyUsage() const {
  return KeyUsageOf(ExtensionOf<Asn1BitStringPtr>(x509_.get(), NID_key_usage).get());
}

std::set<std::string> Certificate::ExtendedKeyUsage() const {
  return ExtendedKeyUsageOf(ExtensionOf<ExtendedKeyUsagePtr>(x509_.get(), NID_ext_key_usage).get());
}

KeySpec Certificate::Key() const { return KeySpecOf(X509_get0_pubkey(x509_.get())); }

int Certificate::KeySecurityBits() const {
  const EVP_PKEY* key = X509_get0_pubkey(x509_.get());
  return key != nullptr ? EVP_PKEY_get_security_bits(key) : 0;
}

std::string Certificate::SignatureKeyAlgorithm() const {
  const int signatureNid = X509_get_signature_nid(x509_.get());
  int digestNid = NID_undef;
  int keyNid = NID_undef;
  if (signatureNid == NID_rsassaPss) return "rsa";
  if (OBJ_find_sigid_algs(signatureNid, &digestNid, &keyNid) == 1) {
    switch (keyNid) {
      case NID_rsaEncryption:
      case NID_rsassaPss:
        return "rsa";
      case NID_X9_62_id_ecPublicKey:
        return "ecdsa";
      case NID_ED25519:
        return "ed25519";
      case NID_ED448:
        return "ed448";
      case NID_dsa:
        return "dsa";
      default:
        break;
    }
  }
  const X509_ALGOR* algorithm = nullptr;
  X509_get0_signature(nullptr, &algorithm, x509_.get());
  const ASN1_OBJECT* object = nullptr;
  X509_ALGOR_get0(&object, nullptr, nullptr, algorithm);
  return Dotted(object);
}

std::string Certificate::SerialHex() const { return SerialToHex(X509_get0_serialNumber(x509_.get())); }

std::string Certificate::FingerprintSha256() const {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (X509_digest(x509_.get(), EVP_sha256(), digest, &length) != 1) {
    ERR_clear_error();
    return {};
  }
  return ToColonHex(std::string_view(reinterpret_cast<const char*>(digest), length));
}

bool Certificate::IsCa() const {
  auto constraints = ExtensionOf<BasicConstraintsPtr>(x509_.get(), NID_basic_constraints);
  return constraints && constraints->ca != 0;
}

std::optional<int> Certificate::PathLength() const {
  auto constraints = ExtensionOf<BasicConstraintsPtr>(x509_.get(), NID_basic_constraints);
  if (!constraints || constraints->pathlen == nullptr) return std::nullopt;
  int64_t length = 0;
  if (ASN1_INTEGER_get_int64(&length, constraints->pathlen) != 1 || length < 0 || length > INT_MAX) {
    ERR_clear_error();
    return std::nullopt;
  }
  return static_cast<int>(length);
}

bool Certificate::IsSelfIssued() const {
  return X509_NAME_cmp(X509_get_subject_name(x509_.get()), X509_get_issuer_name(x509_.get())) == 0;
}

bool Certificate::IsSelfSigned() const {
  if (!IsSelfIssued()) return false;
  const bool verifies = X509_verify(x509_.get(), X509_get0_pubkey(x509_.get())) == 1;
  ERR_clear_error();
  return verifies;
}

std::vector<std::string> Certificate::CrlDistributionPoints() const {
  return CrlUrisOf(ExtensionOf<CrlDistPointsPtr>(x509_.get(), NID_crl_distribution_points).get());
}

std::vector<std::string> Certificate::OcspUrls() const {
  return OcspUrisOf(ExtensionOf<AuthorityInfoAccessPtr>(x509_.get(), NID_info_access).get());
}

std::string Certificate::PublicKeyDigest() const { return PublicKeyDigestOf(X509_get0_pubkey(x509_.get())); }

std::string Certificate::SubjectKeyIdentifier() const {
  const ASN1_OCTET_STRING* keyId = X509_get0_subject_key_id(x509_.get());
  if (keyId == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(keyId)),
                     static_cast<size_t>(ASN1_STRING_length(keyId)));
}

std::string Certificate::ToPem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), x509_.get()) != 1) {
    ERR_clear_error();
    return {};
  }
  std::string pem = BioContents(bio.get());
  while (!pem.empty() && pem.back() == '\n') pem.pop_back();
  return pem + "\n";
}

std::string Certificate::ToDer() const {
  unsigned char* der = nullptr;
  const int length = i2d_X509(x509_.get(), &der);
  if (length <= 0) {
    ERR_clear_error();
    return {};
  }
  OpensslBytesPtr owned(der);
  return std::string(reinterpret_cast<const char*>(der), static_cast<size_t>(length));
}

bool Certificate::operator==(const Certificate& other) const { return X509_cmp(x509_.get(), other.x509_.get()) == 0; }

Certificate::Certificate(const Certificate& other)
    : x509_(other.x509_.get()), notBefore_(other.notBefore_), notAfter_(other.notAfter_) {
  if (x509_) X509_up_ref(x509_.get());
}

Certificate& Certificate::operator=(const Certificate& other) {
  if (this != &other) {
    if (other.x509_) X509_up_ref(other.x509_.get());
    x509_.reset(other.x509_.get());
    notBefore_ = other.notBefore_;
    notAfter_ = other.notAfter_;
  }
  return *this;
}

std::string SerialToHex(const ASN1_INTEGER* serial) {
  BignumPtr number(ASN1_INTEGER_to_BN(serial, nullptr));
  if (!number) {
    ERR_clear_error();
    return {};
  }
  OpensslCharsPtr hex(BN_bn2hex(number.get()));
  return hex ? std::string(hex.get()) : std::string();
}

Result<std::string> NormalizeSerialHex(std::string_view hex) {
  Result<Asn1IntegerPtr> serial = SerialFromHex(hex);
  if (!serial.ok()) return serial.status();
  return SerialToHex(serial->get());
}

Result<Asn1IntegerPtr> SerialFromHex(std::string_view hex) {
  std::string digits;
  std::string_view rest = hex;
  bool negative = false;
  if (!rest.empty() && rest.front() == '-') {
    negative = true;
    rest.remove_prefix(1);
  }
  if (rest.size() >= 2 && rest[0] == '0' && (rest[1] == 'x' || rest[1] == 'X')) rest.remove_prefix(2);
  for (char c : rest) {
    if (c == ':') continue;
    const bool isHex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!isHex) return Status::InvalidInput("serial '" + std::string(hex) + "' is not hexadecimal");
    digits += c;
  }
  if (digits.empty()) return Status::InvalidInput("empty serial number");
  if (digits.size() > 64) return Status::InvalidInput("serial '" + std::string(hex) + "' is too long");
  BIGNUM* raw = nullptr;
  if (BN_hex2bn(&raw, digits.c_str()) == 0) return CryptoFailure("cannot read serial '" + std::string(hex) + "'");
  BignumPtr number(raw);
  BN_set_negative(number.get(), negative ? 1 : 0);
  Asn1IntegerPtr serial(BN_to_ASN1_INTEGER(number.get(), nullptr));
  if (!serial) return CryptoFailure("cannot encode serial '" + std::string(hex) + "'");
  return serial;
}

}  // namespace pkiform::pki
