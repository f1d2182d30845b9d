// Serial numbers issued by pkiform's local CAs (kind Issuer with `ca:` or
// `selfSigned:`), so that no CA ever issues the same serial twice (RFC 5280
// 4.1.2.2) and an operator can tell whether a serial came from pkiform.
//
//   <state_dir>/serials/<issuer>.txt   one serial per line, uppercase hex, oldest first (0600)
//
// The file is only ever appended to (one line per serial), under flock(2), so
// concurrent runs and threads that share a state directory cannot lose a record or
// hand out a serial twice.
#pragma once

#include <string>

#include "reconciler/util/result.h"

namespace pkiform::state {

// A new serial for `issuer_name`: 128 bits drawn from OpenSSL's CSPRNG with the top
// bit clear (positive) and the next bit set (always 16 bytes, 32 uppercase hex
// digits, as the signer draws them), different from every serial recorded for the
// issuer, and recorded before it is returned.
Result<std::string> NextSerial(const std::string& state_dir, const std::string& issuer_name);

// Whether `serial` (any case, optional "0x" and ':' separators, leading zeros
// ignored) is recorded for `issuer_name`. InvalidInput when it is not hexadecimal.
Result<bool> SerialIssued(const std::string& state_dir, const std::string& issuer_name, const std::string& serial);

}  // namespace pkiform::state
