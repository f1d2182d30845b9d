#include "reconciler/status/crl_check.h"

#include "reconciler/manifest/duration.h"
#include "reconciler/pki/crl_bundle.h"

namespace pkiform::status {

std::string CrlFreshnessWarning(const std::optional<pki::TimePoint>& next_update, pki::TimePoint now,
                                std::chrono::seconds margin) {
  if (!next_update) return "";
  if (now > *next_update)
    return "nextUpdate " + pki::FormatDate(*next_update) +
           " has passed: every certificate its CA issued is treated as revoked (V12)";
  if (now + margin > *next_update)
    return "nextUpdate " + pki::FormatDate(*next_update) + " is within " + FormatDuration(margin) + " (V12)";
  return "";
}

std::vector<CrlStatus> CheckCrlFile(std::string_view bytes, const std::string& source, const std::string& location,
                                    const std::vector<CrlSigner>& signers, pki::TimePoint now,
                                    std::chrono::seconds margin) {
  std::vector<CrlStatus> out;
  auto crls = pki::ParseCrlBundle(bytes);
  if (!crls.ok()) {
    CrlStatus bad;
    bad.source = source;
    bad.location = location;
    bad.error = crls.status().message();
    out.push_back(std::move(bad));
    return out;
  }
  for (const auto& crl : *crls) {
    CrlStatus s;
    s.source = source;
    s.location = location;
    s.crl_issuer = crl.Issuer().ToString();
    s.this_update = crl.ThisUpdate();
    s.next_update = crl.NextUpdate();
    s.signature = "no issuer of the manifests signed it";
    for (const auto& signer : signers)
      if (crl.VerifySignature(signer.certificate).ok()) {
        s.signature_ok = true;
        s.issuer = signer.name;
        s.signature = "verified by " + signer.name;
        break;
      }
    s.warning = CrlFreshnessWarning(s.next_update, now, margin);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace pkiform::status
