// The change one identity slot of one peer needs, if any: the policies decide
// whether (policies.h), this says what: create when nothing is installed, else
// replace, with the before/after lines and, for an external issuer, either the
// committed certificate to install or what the change is waiting for.
#pragma once

#include <optional>
#include <string>

#include "reconciler/plan/plan.h"
#include "reconciler/planner/policies.h"

namespace pkiform::planner {

struct IdentityDecision {
  std::optional<Change> change;  // nothing: the installed certificate is in the desired state
  std::string note;              // for the PeerPlan: "waiting for a signed certificate for ..."
};

// `committed` (external issuers only): the signed certificate committed for this
// slot, as PEM. It is installed when it passes every policy in place of the
// installed one (and answers the pending CSR, if any); otherwise the change waits
// for "a signed certificate for <peer> <slot> from issuer <name>".
IdentityDecision PlanIdentity(const SlotInput& in, const std::optional<std::string>& committed);

// "cluster/peer/identity/slot".
std::string IdentityAddress(const std::string& cluster, const std::string& peer, const std::string& slot);

}  // namespace pkiform::planner
