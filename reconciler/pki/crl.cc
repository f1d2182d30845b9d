#include "reconciler/pki/crl.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <climits>

#include "reconciler/pki/extensions.h"
#include "reconciler/pki/pem_blocks.h"
#include "reconciler/pki/writes_back.h"

namespace pkiform::pki {
namespace {

Status AddCrlExtension(X509_CRL* crl, int nid, void* value, const char* what) {
  X509ExtensionPtr extension(X509V3_EXT_i2d(nid, 0, value));
  if (!extension || X509_CRL_add_ext(crl, extension.get(), -1) != 1) {
    return CryptoFailure(std::string("cannot add ") + what + " to the CRL");
  }
  return Status::Ok();
}

Status SetCrlTime(int (*set)(X509_CRL*, const ASN1_TIME*), X509_CRL* crl, TimePoint time) {
  Result<Asn1TimePtr> asn1 = Asn1FromTimePoint(time);
  if (!asn1.ok()) return asn1.status();
  if (set(crl, asn1->get()) != 1) return CryptoFailure("cannot set CRL time");
  return Status::Ok();
}

Status AddRevoked(X509_CRL* crl, const std::string& serialHex, ASN1_TIME* revokedAt) {
  Result<Asn1IntegerPtr> serial = SerialFromHex(serialHex);
  if (!serial.ok()) return serial.status();
  X509RevokedPtr entry(X509_REVOKED_new());
  if (!entry || X509_REVOKED_set_serialNumber(entry.get(), serial->get()) != 1 ||
      X509_REVOKED_set_revocationDate(entry.get(), revokedAt) != 1) {
    return CryptoFailure("cannot encode revoked serial " + serialHex);
  }
  if (X509_CRL_add0_revoked(crl, entry.get()) != 1) return CryptoFailure("cannot add revoked serial " + serialHex);
  entry.release();  // now owned by the CRL
  return Status::Ok();
}

// The cRLNumber extension, or null when absent or unreadable.
Asn1IntegerPtr CrlNumberOf(X509_CRL* crl) {
  Asn1IntegerPtr number(static_cast<ASN1_INTEGER*>(X509_CRL_get_ext_d2i(crl, NID_crl_number, nullptr, nullptr)));
  if (!number) ERR_clear_error();
  return number;
}

}  // namespace

Result<Crl> Crl::Adopt(X509CrlPtr crl) { return Adopt(std::move(crl), {}); }

Result<Crl> Crl::Adopt(X509CrlPtr crl, std::string_view decoded_from) {
  if (!crl) return Status::InvalidInput("no CRL");
  if (Status s = WritesBack<X509_CRL>(crl.get(), decoded_from, i2d_X509_CRL, d2i_X509_CRL, X509_CRL_free, "CRL");
      !s.ok())
    return s;
  Result<TimePoint> thisUpdate = TimePointFromAsn1(X509_CRL_get0_lastUpdate(crl.get()));
  if (!thisUpdate.ok()) return thisUpdate.status().WithContext("CRL thisUpdate");
  std::optional<TimePoint> nextUpdate;
  if (const ASN1_TIME* next = X509_CRL_get0_nextUpdate(crl.get())) {
    Result<TimePoint> parsed = TimePointFromAsn1(next);
    if (!parsed.ok()) return parsed.status().WithContext("CRL nextUpdate");
    nextUpdate = *parsed;
  }
  return Crl(std::move(crl), *thisUpdate, nextUpdate);
}

Result<Crl> Crl::Parse(std::string_view bytes) {
  if (bytes.substr(0, 4) == "PK\x03\x04") return Status::InvalidInput("a ZIP archive, not a CRL: extract it first");
  if (bytes.substr(0, 2) == "\x1f\x8b") return Status::InvalidInput("a gzip archive, not a CRL: extract it first");
  ERR_clear_error();
  if (bytes.find("-----BEGIN ") != std::string_view::npos) {
    Result<std::string> der = FirstPemBlockDer(bytes, PEM_STRING_X509_CRL);
    if (!der.ok()) return Status::InvalidInput("not a PEM CRL (BEGIN X509 CRL): " + der.status().message());
    const auto* start = reinterpret_cast<const unsigned char*>(der->data());
    const unsigned char* cursor = start;
    X509CrlPtr crl(d2i_X509_CRL(nullptr, &cursor, static_cast<long>(der->size())));
    if (!crl) return Status::InvalidInput("not a PEM CRL (BEGIN X509 CRL): " + OpensslErrorString());
    return Adopt(std::move(crl), std::string_view(*der).substr(0, static_cast<size_t>(cursor - start)));
  }
  if (bytes.size() > static_cast<size_t>(LONG_MAX)) return Status::InvalidInput("CRL too large");
  const auto* start = reinterpret_cast<const unsigned char*>(bytes.data());
  const unsigned char* cursor = start;
  X509CrlPtr crl(d2i_X509_CRL(nullptr, &cursor, static_cast<long>(bytes.size())));
  if (!crl) return Status::InvalidInput("not a CRL: no PEM block and not DER: " + OpensslErrorString());
  if (cursor != start + bytes.size()) return Status::InvalidInput("unexpected bytes after the DER CRL");
  return Adopt(std::move(crl), bytes);
}

DistinguishedName Crl::Issuer() const { return FromX509Name(X509_CRL_get_issuer(crl_.get())); }

std::vector<std::string> Crl::RevokedSerials() const {
  std::vector<std::string> serials;
  STACK_OF(X509_REVOKED)* revoked = X509_CRL_get_REVOKED(crl_.get());
  for (int i = 0; i < sk_X509_REVOKED_num(revoked); ++i) {
    serials.push_back(SerialToHex(X509_REVOKED_get0_serialNumber(sk_X509_REVOKED_value(revoked, i))));
  }
  return serials;
}

std::optional<std::string> Crl::Number() const {
  Asn1IntegerPtr number = CrlNumberOf(crl_.get());
  if (!number) return std::nullopt;
  BignumPtr bn(ASN1_INTEGER_to_BN(number.get(), nullptr));
  OpensslCharsPtr decimal(bn ? BN_bn2dec(bn.get()) : nullptr);
  if (!decimal) {
    ERR_clear_error();
    return std::nullopt;
  }
  return std::string(decimal.get());
}

bool Crl::SameIssuer(const Crl& other) const {
  return X509_NAME_cmp(X509_CRL_get_issuer(crl_.get()), X509_CRL_get_issuer(other.crl_.get())) == 0;
}

int CompareCrlAge(const Crl& a, const Crl& b) {
  Asn1IntegerPtr na = CrlNumberOf(a.get()), nb = CrlNumberOf(b.get());
  if (na && nb) return ASN1_INTEGER_cmp(na.get(), nb.get());
  if (a.ThisUpdate() == b.ThisUpdate()) return 0;
  return a.ThisUpdate() > b.ThisUpdate() ? 1 : -1;
}

Status Crl::VerifySignature(const Certificate& issuer) const {
  if (X509_NAME_cmp(X509_CRL_get_issuer(crl_.get()), X509_get_subject_name(issuer.get())) != 0) {
    return Status::InvalidInput("the CRL's issuer '" + Issuer().ToString() + "' is not '" +
                                issuer.Subject().ToString() + "'");
  }
  EVP_PKEY* key = X509_get0_pubkey(issuer.get());
  ERR_clear_error();
  if (key == nullptr || X509_CRL_verify(crl_.get(), key) != 1) {
    return Status::InvalidInput("the CRL's signature does not verify with the key of '" + issuer.Subject().ToString() +
                                "': " + OpensslErrorString());
  }
  return Status::Ok();
}

std::string Crl::ToPem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509_CRL(bio.get(), crl_.get()) != 1) {
    ERR_clear_error();
    return {};
  }
  std::string pem = BioContents(bio.get());
  while (!pem.empty() && pem.back() == '\n') pem.pop_back();
  return pem + "\n";
}

std::string Crl::ToDer() const {
  unsigned char* der = nullptr;
  const int length = i2d_X509_CRL(crl_.get(), &der);
  if (length <= 0) {
    ERR_clear_error();
    return {};
  }
  OpensslBytesPtr owned(der);
  return std::string(reinterpret_cast<const char*>(der), static_cast<size_t>(length));
}

Crl::Crl(const Crl& other) : crl_(other.crl_.get()), thisUpdate_(other.thisUpdate_), nextUpdate_(other.nextUpdate_) {
  if (crl_) X509_CRL_up_ref(crl_.get());
}

Crl& Crl::operator=(const Crl& other) {
  if (this != &other) {
    if (other.crl_) X509_CRL_up_ref(other.crl_.get());
    crl_.reset(other.crl_.get());
    thisUpdate_ = other.thisUpdate_;
    nextUpdate_ = other.nextUpdate_;
  }
  return *this;
}

Result<Crl> CreateCrl(const Certificate& ca, const PrivateKey& caKey, const std::vector<std::string>& revokedSerialsHex,
                      TimePoint thisUpdate, TimePoint nextUpdate) {
  const std::string caName = "'" + ca.Subject().ToString() + "'";
  if (nextUpdate <= thisUpdate) return Status::InvalidInput("CRL nextUpdate must be after thisUpdate");
  if (caKey.PublicKeyDigest() != ca.PublicKeyDigest()) {
    return Status::InvalidInput("the CA key does not belong to the CA certificate " + caName);
  }
  ERR_clear_error();
  X509CrlPtr crl(X509_CRL_new());
  if (!crl || X509_CRL_set_version(crl.get(), X509_CRL_VERSION_2) != 1 ||
      X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(ca.get())) != 1) {
    return CryptoFailure("cannot start the CRL");
  }
  if (Status s = SetCrlTime(X509_CRL_set1_lastUpdate, crl.get(), thisUpdate); !s.ok()) return s;
  if (Status s = SetCrlTime(X509_CRL_set1_nextUpdate, crl.get(), nextUpdate); !s.ok()) return s;
  Result<Asn1TimePtr> revokedAt = Asn1FromTimePoint(thisUpdate);
  if (!revokedAt.ok()) return revokedAt.status();
  for (const auto& serial : revokedSerialsHex) {
    if (Status s = AddRevoked(crl.get(), serial, revokedAt->get()); !s.ok()) return s;
  }
  std::string keyId = ca.SubjectKeyIdentifier();
  if (keyId.empty()) {
    Result<std::string> computed = KeyIdentifierOf(caKey.get());
    if (!computed.ok()) return computed.status();
    keyId = *computed;
  }
  Result<X509ExtensionPtr> authorityKeyId = MakeAuthorityKeyIdentifierExtension(keyId);
  if (!authorityKeyId.ok()) return authorityKeyId.status();
  if (X509_CRL_add_ext(crl.get(), authorityKeyId->get(), -1) != 1) return CryptoFailure("cannot add the CRL's AKI");
  // RFC 5280 requires a monotonically increasing CRL number; seconds since the
  // epoch of thisUpdate are one without keeping state.
  const auto seconds = std::chrono::floor<std::chrono::seconds>(thisUpdate).time_since_epoch().count();
  Asn1IntegerPtr crlNumber(ASN1_INTEGER_new());
  if (!crlNumber || ASN1_INTEGER_set_int64(crlNumber.get(), seconds) != 1) return CryptoFailure("cannot encode");
  if (Status s = AddCrlExtension(crl.get(), NID_crl_number, crlNumber.get(), "crlNumber"); !s.ok()) return s;
  if (X509_CRL_sort(crl.get()) != 1 || X509_CRL_sign(crl.get(), caKey.get(), SignatureDigestFor(caKey.get())) <= 0) {
    return CryptoFailure("cannot sign the CRL");
  }
  return Crl::Adopt(std::move(crl));
}

}  // namespace pkiform::pki
