// Filling a SlotInput (policies.h) for one identity slot of one peer: the names
// from certificate_names.h, the key and usages from the manifest and the platform
// catalogue, the issuer's certificates, and the parsed observation.
#pragma once

#include <vector>

#include "reconciler/catalogue/catalogue.h"
#include "reconciler/manifest/model.h"
#include "reconciler/pki/certificate.h"
#include "reconciler/planner/policies.h"
#include "reconciler/util/result.h"

namespace pkiform::planner {

// `observed` may be null (the provider reported no such slot: nothing installed).
// Fails for a slot the platform does not have or a key algorithm it cannot read;
// validation refuses both, so here they are defects, reported, not crashed on.
Result<SlotInput> MakeSlotInput(const Cluster& cluster, const Peer& peer, const IdentitySlot& slot,
                                const Issuer& issuer, const catalogue::PlatformCatalogue& platform,
                                const std::vector<pki::Certificate>& issuer_certificates,
                                const ObservedSlot* observed, pki::TimePoint now);

// The key a manifest asks for: rsa + size, or ecdsa + curve.
Result<pki::KeySpec> ExpectedKey(const KeySpecModel& key);

}  // namespace pkiform::planner
