// Rewriting PEM text into the exact shape strict appliances import: one
// certificate per file (rule D5), LF line endings and exactly one newline after
// the END line (rules D2, V15), PEM rather than DER (rule D1: parse the DER with
// ParseCertificates, then write Certificate::ToPem).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "reconciler/pki/certificate.h"

namespace pkiform::pki {

// Each certificate as its own PEM text: one block, LF only, exactly one trailing "\n".
std::vector<std::string> OneCertificatePerPem(const std::vector<Certificate>& certificates);

// CRLF (and lone CR) become LF, trailing blank lines and whitespace go, and the text
// ends in exactly one "\n". Empty or all-whitespace input gives "".
std::string NormalizePem(std::string_view text);

}  // namespace pkiform::pki
