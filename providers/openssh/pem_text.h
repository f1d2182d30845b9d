// PEM text as found in files on a host: locating the CERTIFICATE blocks of a
// bundle (with whatever comments surround them), reading them as certificates,
// and editing a bundle by fingerprint without disturbing the rest of its text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "reconciler/pki/certificate.h"

namespace pkiform::openssh {

struct PemCertificate {
  size_t begin = 0, end = 0;  // the block's span in the text, end past its newline
  pki::Certificate certificate;
};

// Every "BEGIN CERTIFICATE" block that parses, in text order. Blocks that do not
// parse and other PEM blocks (keys, CRLs) are skipped.
std::vector<PemCertificate> FindCertificates(std::string_view text);

// The certificates of FindCertificates, each as canonical PEM (Certificate::ToPem).
std::vector<std::string> CertificatePems(std::string_view text);

// "AB:CD:..." or "abcd..." -> "ABCD...": the form fingerprints are compared in.
std::string NormalizeFingerprint(std::string_view fingerprint);

// Whether `text` holds a certificate with this SHA-256 fingerprint (any form).
bool ContainsFingerprint(std::string_view text, std::string_view fingerprint);

// `text` without the blocks of that fingerprint (their own lines only).
std::string RemoveFingerprint(std::string_view text, std::string_view fingerprint);

// `text` with `pem` appended on a line of its own.
std::string AppendPem(std::string_view text, std::string_view pem);

// Exactly one trailing newline, as appliances and services expect.
std::string WithOneTrailingNewline(std::string_view text);

}  // namespace pkiform::openssh
