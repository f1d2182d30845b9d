#include "reconciler/rules/checks.h"

namespace pkiform {

const std::vector<CheckEntry>& AllChecks() {
  static const std::vector<CheckEntry> table = {
      {"issuer references", "", CheckIssuerReferences},
      {"platform-specific fields", "", CheckPlatformFields},
      {"SSH connection settings", "", CheckConnections},
      {"known_hosts files", "", CheckKnownHostsFiles},
      {"staging server", "D14 D16", CheckStaging},
      {"files outside the repository", "", CheckFileLocations},
      {"peers", "V1 V16", CheckPeers},
      {"key and lifetime fields", "", CheckKeyFields},
      {"identity slot names", "U1", CheckSlotNames},
      {"trust store names", "U1", CheckTrustStoreNames},
      {"multi-server (SAN) certificates", "U3 U15 V5", CheckMultiSan},
      {"key algorithms and sizes", "U5 U12 V14", CheckKeyLimits},
      {"CA signature algorithm", "U5", CheckCaSignatureAlgorithm},
      {"wildcards", "D3 V2", CheckWildcards},
      {"subject characters", "D4 D6", CheckSubjectCharacters},
      {"country codes", "D7", CheckCountry},
      {"cluster SANs", "V1", CheckClusterSans},
      {"Unified Communications names", "V6", CheckUnifiedCommunications},
      {"issuer files", "D11 U5", CheckIssuerFiles},
      {"chain placement", "", CheckChainPlacement},
      {"trust store files", "V17", CheckTrustFiles},
      {"CRL files", "V12", CheckCrlFiles},
      {"revocation settings", "V10 V13 U16", CheckRevocationSettings},
      {"node settings", "U16 U17", CheckNodeSettings},
      {"lifetimes", "D8 D12", CheckLifetimes},
      {"self-signed identities", "D15", CheckSelfSigned},
      {"external issuers", "", CheckExternalIssuers},
      {"maintenance windows", "", CheckWindows},
  };
  return table;
}

void RunChecks(const CheckContext& ctx, DiagnosticList& out) {
  for (const auto& check : AllChecks()) check.run(ctx, out);
}

}  // namespace pkiform
