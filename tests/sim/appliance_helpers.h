// Helpers shared by the .cc files of the simulated node (appliance_state.cc,
// identities.cc, trust_stores.cc): reading chains, the subject and names of the node's
// certificates, and the catalogue rows a unit's certificates follow. Not for other code.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "reconciler/catalogue/catalogue.h"
#include "reconciler/pki/certificate.h"
#include "reconciler/pki/distinguished_name.h"
#include "reconciler/pki/key.h"
#include "reconciler/util/result.h"
#include "tests/sim/appliance_state.h"

namespace pkiform::sim::detail {

bool Contains(const std::vector<std::string>& list, const std::string& value);
// The chain as concatenated PEM blocks, leaf first.
std::string ChainPem(const std::vector<pki::Certificate>& chain);
// Every certificate of a PEM file (NotFound when it cannot be read).
Result<std::vector<pki::Certificate>> ReadChain(const std::filesystem::path& path);
// The subject CN of a unit's system self-signed certificate (ASSUMED naming).
std::string SelfSignedCommonName(const NodeConfig& c, const std::string& unit);
// The web-security fields with `cn`; the OU only when `withOu`.
pki::DistinguishedName SubjectFrom(const WebSecurity& ws, const std::string& cn, bool withOu);
// The node's dNSNames: its FQDN and, when set, the alternatehostname.
std::vector<std::string> NodeNames(const NodeConfig& c, const WebSecurity& ws);
// The Table 1/2 row of `slot` on `nodeType` (rule U2), or nullptr.
const catalogue::UsageSpec* UsageOf(const catalogue::SlotSpec& slot, const std::string& nodeType);
// RSA 2048, or EC P-256 for the -ECDSA units.
pki::KeySpec DefaultKeyOf(const catalogue::SlotSpec& slot);

}  // namespace pkiform::sim::detail
