// SelfSignPending's script: signs the CSR that GenerateCsr left on the host
// (`<key>.pkiform-new.csr`) with its own pending key (`<key>.pkiform-new`), so a
// self-signed identity whose key is made on the host never has its key leave it.
//
// One `openssl x509 -req -signkey` on the host. The extensions are the CSR's own
// (pkiform wrote them: names, key usage, extended key usage; csr_script.h), plus
// basicConstraints CA:FALSE and a subject key identifier from a fixed
// here-document. Validity is whole days from the host's clock: `openssl x509`
// in OpenSSL 3.0 cannot set notBefore, so a partial day is rounded up.
// The certificate is printed as section `certificate` 0 (script_output.h) and
// written nowhere: InstallIdentity installs it with the pending key.
#pragma once

#include <chrono>
#include <string>

#include "reconciler/util/result.h"

namespace pkiform::openssh {

// The script body (after kScriptPrelude) for the slot whose key file is
// `privateKey`. `serialHex` is the serial to give (hex digits, at most 40);
// InvalidInput for anything else or a validity under one second.
Result<std::string> BuildSelfSignScript(const std::string& privateKey, std::chrono::seconds validity,
                                        const std::string& serialHex);

// Whole days, rounded up: what `openssl x509 -days` gets for a validity.
long ValidityDays(std::chrono::seconds validity);

}  // namespace pkiform::openssh
