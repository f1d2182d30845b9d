// GenerateCsr's script: one `openssl req -new` on the host that makes the key
// (`<key>.pkiform-new`, created under umask 077), keeps the CSR next to it
// (`<key>.pkiform-new.csr`, 0644: Observe reports it as pending) and prints
// only the CSR, as section `csr` 0 (script_output.h).
//
// Everything from the manifest reaches openssl as single-quoted shell words:
// the subject in openssl's -subj syntax (each value escaped with OpenSSL's own
// rules, see SubjectArgument), the SANs and usages as -addext values whose
// characters are checked first. The config file openssl reads is a fixed
// here-document, so the host's openssl.cnf cannot add extensions.
#pragma once

#include <string>

#include "reconciler/pki/csr.h"
#include "reconciler/pki/distinguished_name.h"
#include "reconciler/pki/key.h"
#include "reconciler/util/result.h"

namespace pkiform::openssh {

// "/C=GB/O=Example Ltd/CN=web1.example.com": C, ST, L, O, OU, CN (the order of
// pki::ToX509Name), empty attributes left out, and in each value the characters
// openssl's -subj parser treats specially ('/', '+', '\\', '=') escaped with a
// backslash. "/" for an empty name.
std::string SubjectArgument(const pki::DistinguishedName& name);

// The -newkey (and -pkeyopt) arguments for a key spec: "-newkey rsa:4096" or
// "-newkey ec -pkeyopt ec_paramgen_curve:P-256"; Unsupported for other kinds.
Result<std::string> NewKeyArguments(const pki::KeySpec& key);

// The script body (after kScriptPrelude) for the key at `privateKey`. Fails with
// InvalidInput for a SAN, usage or curve that cannot be expressed safely.
Result<std::string> BuildCsrScript(const std::string& privateKey, const pki::CsrRequest& request,
                                   const pki::KeySpec& key);

}  // namespace pkiform::openssh
