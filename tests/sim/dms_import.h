// IMPORT_CERTIFICATE's checks on the files the simulated DMS appliance pulled from the staging
// server (docs/platforms/dms.md, "Validation and messages"; seed, "Restrictions" and "Error
// Messages"; rules D1-D6, D10, D11), in the order the seed's Restrictions list them: each file is
// PEM (D1), has nothing but one line end after its END line (D2), holds one certificate (D5); the
// identity's CN is present (D4) and has no wildcard (D3), its subject none of the forbidden
// characters (D6); it matches the newest CSR, the FQDN, is not expired and is valid already (D10);
// its chain up to a self-signed root is complete (D11). Pure: no I/O, so every rule is testable.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "reconciler/pki/certificate.h"
#include "reconciler/pki/clock.h"

namespace pkiform::sim {

struct DmsPulledFile {
  std::string path;  // as typed into the form (an absolute path on the staging server)
  std::string text;  // its bytes, at most kDmsMaxTransferBytes
};

struct DmsImportVerdict {
  // Set when the import is accepted: the identity and its CA chain, issuer first.
  std::optional<pki::Certificate> identity;
  std::vector<pki::Certificate> chain;
  // Otherwise the message boxes to show, one after the other (each its rows).
  std::vector<std::vector<std::string>> messages;
};

// `identityFiles`: the "Path to PEM file:" files (the identity is the one that is not a CA; the
// others join the chain, ASSUMED); `caFiles`: the "Path to CAchain file(s):" files;
// `newestCsrKeyDigest`: PublicKeyDigest of the newest CSR (empty: none was generated).
DmsImportVerdict CheckDmsImport(const std::vector<DmsPulledFile>& identityFiles,
                                const std::vector<DmsPulledFile>& caFiles, const std::string& newestCsrKeyDigest,
                                const std::string& fqdn, pki::TimePoint now);

}  // namespace pkiform::sim
