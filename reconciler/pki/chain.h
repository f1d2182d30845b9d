// Certificate chains: ordering a bundle from leaf to top the way appliances want
// it, and verifying a chain against trust anchors at a chosen time (rule D11:
// a missing CA breaks the chain).
#pragma once

#include <vector>

#include "reconciler/pki/certificate.h"
#include "reconciler/pki/clock.h"
#include "reconciler/util/result.h"

namespace pkiform::pki {

// `cert` names `issuer`'s subject as its issuer and its signature verifies with
// `issuer`'s public key.
bool IsIssuedBy(const Certificate& cert, const Certificate& issuer);

// leaf, its issuer, that one's issuer, ... taken from `unorderedBundle` in any
// order. Stops at a self-signed certificate or when no issuer is in the bundle;
// uses each certificate at most once, so it always terminates. Certificates of the
// bundle that are not on the path are left out.
Result<std::vector<Certificate>> BuildChain(const Certificate& leaf, const std::vector<Certificate>& unorderedBundle);

// Verifies `leaf` up to one of `anchors` through `intermediates`, as of `at`
// (validity periods are checked against `at`, not the wall clock). An anchor may be
// an intermediate CA (partial chains are accepted). The error names the failing
// certificate's subject and OpenSSL's reason ("certificate has expired",
// "unable to get local issuer certificate", ...).
Status VerifyChain(const Certificate& leaf, const std::vector<Certificate>& intermediates,
                   const std::vector<Certificate>& anchors, TimePoint at);

}  // namespace pkiform::pki
