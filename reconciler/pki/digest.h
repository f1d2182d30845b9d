// Message digests and hex text, as pkiform prints and compares them
// (key-to-certificate matching, fingerprints, state files).
#pragma once

#include <string>
#include <string_view>

namespace pkiform::pki {

// Lowercase hex SHA-256 of `bytes` (64 characters).
std::string Sha256Hex(std::string_view bytes);

// SHA-256 of `bytes` as "AB:CD:..." (95 characters), the form certificate
// fingerprints take in plans, for files that are not one certificate (a CRL bundle).
std::string Sha256Fingerprint(std::string_view bytes);

// Lowercase hex of raw bytes ("\x0a\xff" -> "0aff").
std::string ToHex(std::string_view bytes);

// Uppercase hex pairs joined by colons ("\x0a\xff" -> "0A:FF"), the way
// `openssl x509 -fingerprint` prints digests.
std::string ToColonHex(std::string_view bytes);

}  // namespace pkiform::pki
