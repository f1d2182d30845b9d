// KEYSTORE.DAT of the simulated DMS appliance (EXPORT_KEYSTORE / IMPORT_KEYSTORE, rule D14;
// docs/platforms/dms.md): a backup of the identity, its private key and its CA chain, protected
// by the passphrase typed into the form. ASSUMED format: PKCS#12 (OpenSSL's defaults: AES-256-CBC,
// PBKDF2, an HMAC-SHA256 MAC); the real appliance's format is not documented (a Java keystore is
// likely). The passphrase is used here and never written anywhere.
#pragma once
#include <string>
#include <string_view>

#include "reconciler/util/result.h"
#include "tests/sim/dms_state.h"

namespace pkiform::sim {

// The appliance's identity, key and chain as KEYSTORE.DAT bytes.
Result<std::string> DmsExportKeystore(const DmsAppliance& appliance, const std::string& passphrase);

// Restores the identity, key and chain of KEYSTORE.DAT `data`. InvalidInput when the
// passphrase does not open it (its MAC does not verify); Failed when it is no keystore.
Status DmsImportKeystore(const DmsAppliance& appliance, std::string_view data, const std::string& passphrase);

}  // namespace pkiform::sim
