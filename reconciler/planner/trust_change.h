// The changes one trust store of one peer needs: the CAs the manifest lists and
// the store lacks are added; with `prune`, the entries it does not list are
// removed, except the platform's built-in ones unless `pruneBuiltin` says so.
// Certificates are compared by SHA-256 fingerprint, never by their PEM text.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "reconciler/manifest/model.h"
#include "reconciler/pki/certificate.h"
#include "reconciler/plan/actual.h"
#include "reconciler/plan/plan.h"

namespace pkiform::planner {

struct TrustDecision {
  std::vector<Change> changes;     // additions in manifest order, then removals in store order
  std::vector<std::string> notes;  // entries that cannot be read (left alone)
};

// `desired`: the certificates of the store's files, in the order the manifest lists
// them. `observed` may be null (the store was not found: it is empty). `keep`: normalised
// fingerprints never pruned although the store's list lacks them (rule U10: the copies
// another store of the node puts here, CAPF-trust's in CallManager-trust).
TrustDecision PlanTrust(const std::string& cluster, const std::string& peer, const TrustStore& store,
                        const std::vector<pki::Certificate>& desired, const ObservedTrustStore* observed,
                        const std::set<std::string>& keep = {});

// "cluster/peer/trust/<store>/<AB:CD:... fingerprint>".
std::string TrustAddress(const std::string& cluster, const std::string& peer, const std::string& store,
                         const std::string& fingerprint);

// Lowercase hex without separators, so that "AB:CD" and "abcd" compare equal.
std::string NormalizeFingerprint(const std::string& fingerprint);

}  // namespace pkiform::planner
