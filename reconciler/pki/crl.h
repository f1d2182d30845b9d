// Certificate revocation lists: reading them (PEM or DER, rules V10 and V11),
// what they say (issuer, update times, revoked serials) and whether a CA signed
// them; and creating them for a local CA, for tests and generated examples.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "reconciler/pki/certificate.h"
#include "reconciler/pki/clock.h"
#include "reconciler/pki/distinguished_name.h"
#include "reconciler/pki/handles.h"
#include "reconciler/pki/key.h"
#include "reconciler/util/result.h"

namespace pkiform::pki {

class Crl {
 public:
  // PEM ("BEGIN X509 CRL") or DER.
  static Result<Crl> Parse(std::string_view bytes);
  // Takes ownership. Fails when the update times cannot be read, and for a CRL OpenSSL reads
  // but cannot write back readably (writes_back.h): pkiform writes CRLs to hosts.
  static Result<Crl> Adopt(X509CrlPtr crl);
  // The same for `crl` decoded from exactly `decoded_from` (DER): DER needs no second parse.
  static Result<Crl> Adopt(X509CrlPtr crl, std::string_view decoded_from);

  DistinguishedName Issuer() const;
  TimePoint ThisUpdate() const { return thisUpdate_; }
  // Absent in some CRLs; when present, the CRL is stale after it (rule V12).
  std::optional<TimePoint> NextUpdate() const { return nextUpdate_; }
  // In Certificate::SerialHex format, in the CRL's order.
  std::vector<std::string> RevokedSerials() const;
  // The cRLNumber extension in decimal; absent when the CRL carries none.
  std::optional<std::string> Number() const;
  // Whether `other` was issued by the same name (compared as X509 names, not as printed text).
  bool SameIssuer(const Crl& other) const;
  // Ok when `issuer` names this CRL's issuer and its key verifies the signature.
  Status VerifySignature(const Certificate& issuer) const;
  // One PEM block, exactly one trailing newline.
  std::string ToPem() const;
  std::string ToDer() const;

  X509_CRL* get() const { return crl_.get(); }

  // Copies share the same immutable X509_CRL (reference counted).
  Crl(const Crl& other);
  Crl& operator=(const Crl& other);
  Crl(Crl&&) noexcept = default;
  Crl& operator=(Crl&&) noexcept = default;
  ~Crl() = default;

 private:
  Crl(X509CrlPtr crl, TimePoint thisUpdate, std::optional<TimePoint> nextUpdate)
      : crl_(std::move(crl)), thisUpdate_(thisUpdate), nextUpdate_(nextUpdate) {}
  X509CrlPtr crl_;
  TimePoint thisUpdate_;
  std::optional<TimePoint> nextUpdate_;
};

// Which of two CRLs of one issuer is newer: > 0 when `a` is, < 0 when `b` is, 0 when
// neither. The CRL numbers decide when both carry one (RFC 5280 5.2.3: they only
// grow), else thisUpdate does.
int CompareCrlAge(const Crl& a, const Crl& b);

// A v2 CRL issued by `ca` revoking `revokedSerialsHex` (revocation date thisUpdate),
// with authorityKeyIdentifier and a CRL number derived from thisUpdate (so later
// CRLs get larger numbers).
Result<Crl> CreateCrl(const Certificate& ca, const PrivateKey& caKey, const std::vector<std::string>& revokedSerialsHex,
                      TimePoint thisUpdate, TimePoint nextUpdate);

}  // namespace pkiform::pki
