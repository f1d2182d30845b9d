// The offline checks of `pkiform validate` (and of `plan` before it contacts
// anything): references, platform facts from the catalogue, and every
// SEED-RULES.md rule whose places include "check", applied to the manifests and
// to every certificate, key, CA and CRL file they reference.
//
// Each check is a small function over the whole desired state that appends
// diagnostics naming its rule; the table in checks.cc lists them all, so a new
// rule is one function and one row.
#pragma once

#include <string>
#include <vector>

#include "reconciler/catalogue/catalogue.h"
#include "reconciler/diag/diagnostic.h"
#include "reconciler/manifest/loader.h"
#include "reconciler/pki/clock.h"
#include "reconciler/rules/artifacts.h"

namespace pkiform {

struct CheckContext {
  const LoadedManifests& loaded;
  const pki::Clock& clock;
  const catalogue::Catalogue& catalogue;
  Artifacts& artifacts;  // the referenced files, each read and parsed once

  const Desired& desired() const { return loaded.desired; }
};

using CheckFn = void (*)(const CheckContext&, DiagnosticList&);

struct CheckEntry {
  const char* name;
  const char* rules;  // the SEED-RULES.md ids it enforces, "" for pkiform's own
  CheckFn run;
};

const std::vector<CheckEntry>& AllChecks();

// The checks, by area (one file each).
void CheckIssuerReferences(const CheckContext&, DiagnosticList&);
void CheckPlatformFields(const CheckContext&, DiagnosticList&);
void CheckConnections(const CheckContext&, DiagnosticList&);
void CheckKnownHostsFiles(const CheckContext&, DiagnosticList&);
void CheckStaging(const CheckContext&, DiagnosticList&);
void CheckFileLocations(const CheckContext&, DiagnosticList&);
void CheckPeers(const CheckContext&, DiagnosticList&);
void CheckKeyFields(const CheckContext&, DiagnosticList&);
void CheckSlotNames(const CheckContext&, DiagnosticList&);
void CheckTrustStoreNames(const CheckContext&, DiagnosticList&);
void CheckMultiSan(const CheckContext&, DiagnosticList&);
void CheckKeyLimits(const CheckContext&, DiagnosticList&);
void CheckCaSignatureAlgorithm(const CheckContext&, DiagnosticList&);
void CheckWildcards(const CheckContext&, DiagnosticList&);
void CheckSubjectCharacters(const CheckContext&, DiagnosticList&);
void CheckCountry(const CheckContext&, DiagnosticList&);
void CheckClusterSans(const CheckContext&, DiagnosticList&);
void CheckUnifiedCommunications(const CheckContext&, DiagnosticList&);
void CheckIssuerFiles(const CheckContext&, DiagnosticList&);
void CheckChainPlacement(const CheckContext&, DiagnosticList&);
void CheckTrustFiles(const CheckContext&, DiagnosticList&);
void CheckCrlFiles(const CheckContext&, DiagnosticList&);
void CheckRevocationSettings(const CheckContext&, DiagnosticList&);
void CheckNodeSettings(const CheckContext&, DiagnosticList&);
void CheckLifetimes(const CheckContext&, DiagnosticList&);
void CheckSelfSigned(const CheckContext&, DiagnosticList&);
void CheckExternalIssuers(const CheckContext&, DiagnosticList&);
void CheckWindows(const CheckContext&, DiagnosticList&);
void RunChecks(const CheckContext& ctx, DiagnosticList& out);

// The files a dms staging block names (secrets, and its knownHosts when written there
// rather than taken from the connection).
std::vector<const FileRef*> StagingFileRefs(const StagingServer& staging);

}  // namespace pkiform
