// The change one identity slot of one peer needs, if any: the policies decide
// whether (policies.h), this says what: create when nothing is installed, else
// replace, with the before/after lines and, for an external issuer, either the
// committed certificate to install or the request to hand over while waiting.
#pragma once

#include <optional>
#include <string>

#include "reconciler/pki/csr.h"
#include "reconciler/plan/plan.h"
#include "reconciler/planner/policies.h"

namespace pkiform::planner {

// What the repository holds for one slot of an external issuer (external_layout.h).
struct ExternalFiles {
  std::optional<std::string> certificate;  // the signed certificate someone committed (PEM)
  std::optional<std::string> request;      // the CSR pkiform handed over earlier (PEM)
  std::string request_path;                // where that CSR goes, as people read it
};

struct IdentityDecision {
  std::optional<Change> change;  // nothing: in the desired state, or nothing to do but wait
  std::string note;              // for the PeerPlan: "waiting for a signed certificate for ..."
};

// For an external issuer: the committed certificate is installed when it passes
// every policy in place of the installed one and a key on the peer belongs to it
// (the pending key, or the installed key). Otherwise the slot waits for "a signed
// certificate for <peer> <slot> from issuer <name>". While it waits, the change
// hands a request over: the CSR pending on the peer when it still asks for what
// the manifest wants (Change::request_pem), else a new one made at apply. When
// that request is already in the requests folder, there is no change, only the note.
IdentityDecision PlanIdentity(const SlotInput& in, const ExternalFiles& external = {});

// Whether a CSR asks for what the slot wants: subject, names, key, usages.
bool RequestFits(const SlotInput& in, const pki::Csr& csr);

// "cluster/peer/identity/slot".
std::string IdentityAddress(const std::string& cluster, const std::string& peer, const std::string& slot);

}  // namespace pkiform::planner
