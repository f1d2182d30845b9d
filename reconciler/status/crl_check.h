// What one CRL file says about freshness and who signed it: each CRL it holds
// (PEM bundle or DER, pki/crl_bundle.h) becomes a CrlStatus with its update times,
// whether one of the candidate CA certificates verifies its signature, and the
// rule V12 warning when its nextUpdate has passed or falls within `margin` (once
// it passes, every certificate that CA issued is treated as revoked).
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "reconciler/pki/certificate.h"
#include "reconciler/status/fleet_status.h"

namespace pkiform::status {

// The margin for distribution points, and for uploaded CRLs of clusters that set no
// revocation.crl.warnBefore (which defaults to the same 7 days).
inline constexpr std::chrono::hours kCrlWarnMargin{7 * 24};

// A CA that may have signed the CRL, and the name the report gives it (a manifest Issuer).
struct CrlSigner {
  std::string name;
  pki::Certificate certificate;
};

// One entry per CRL in `bytes`; a single entry with `error` set when none can be read.
std::vector<CrlStatus> CheckCrlFile(std::string_view bytes, const std::string& source, const std::string& location,
                                    const std::vector<CrlSigner>& signers, pki::TimePoint now,
                                    std::chrono::seconds margin);

// The V12 warning for one nextUpdate ("" when none is due).
std::string CrlFreshnessWarning(const std::optional<pki::TimePoint>& next_update, pki::TimePoint now,
                                std::chrono::seconds margin);

}  // namespace pkiform::status
