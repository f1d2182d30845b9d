// The before/after lines of a change, as people read them in a plan:
// "subject: CN=...", "SANs: a, b", "key: ECDSA P-256", "issuer: ...",
// "not after: 2027-06-01", "fingerprint: AB:CD:...".
#pragma once

#include <string>
#include <vector>

#include "reconciler/pki/certificate.h"
#include "reconciler/planner/policies.h"

namespace pkiform::planner {

// What a certificate is: subject, SANs, key, issuer, not after, fingerprint.
std::vector<std::string> DescribeCertificate(const pki::Certificate& certificate);

// What a CA certificate in a trust store is: subject, issuer, not after, fingerprint.
std::vector<std::string> DescribeCaCertificate(const pki::Certificate& certificate);

// What the new certificate of a slot will be once apply makes it; its expiry is
// counted from `in.now` (capped at a local CA's own expiry) and its fingerprint is
// "(known after apply)".
std::vector<std::string> DescribeDesired(const SlotInput& in);

}  // namespace pkiform::planner
