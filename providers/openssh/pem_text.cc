#include "providers/openssh/pem_text.h"

#include <cctype>

namespace pkiform::openssh {
namespace {

constexpr std::string_view kBegin = "-----BEGIN CERTIFICATE-----";
constexpr std::string_view kEnd = "-----END CERTIFICATE-----";

}  // namespace

std::vector<PemCertificate> FindCertificates(std::string_view text) {
  std::vector<PemCertificate> found;
  size_t pos = 0;
  // The END line the last search found: after a truncated block the next BEGIN
  // still ends there, so the text is searched for END lines once in all, not once
  // per BEGIN line (hosts' files are untrusted; that was quadratic).
  size_t endMarker = std::string_view::npos;
  while (true) {
    size_t begin = text.find(kBegin, pos);
    if (begin == std::string_view::npos) break;
    if (endMarker == std::string_view::npos || endMarker < begin + kBegin.size())
      endMarker = text.find(kEnd, begin + kBegin.size());
    if (endMarker == std::string_view::npos) break;
    size_t end = endMarker + kEnd.size();
    size_t nl = text.find('\n', end);
    end = nl == std::string_view::npos ? text.size() : nl + 1;
    // A second BEGIN before this END means the first block was truncated: skip it.
    size_t nested = text.find(kBegin, begin + kBegin.size());
    if (nested != std::string_view::npos && nested < endMarker) {
      pos = nested;
      continue;
    }
    auto certificate = pki::Certificate::FromPem(text.substr(begin, end - begin));
    if (certificate.ok()) found.push_back(PemCertificate{begin, end, std::move(certificate).value()});
    pos = end;
  }
  return found;
}

std::vector<std::string> CertificatePems(std::string_view text) {
  std::vector<std::string> pems;
  for (const auto& c : FindCertificates(text)) pems.push_back(c.certificate.ToPem());
  return pems;
}

std::string NormalizeFingerprint(std::string_view fingerprint) {
  std::string out;
  for (char c : fingerprint) {
    if (c == ':' || c == ' ') continue;
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

bool ContainsFingerprint(std::string_view text, std::string_view fingerprint) {
  const std::string wanted = NormalizeFingerprint(fingerprint);
  for (const auto& c : FindCertificates(text))
    if (NormalizeFingerprint(c.certificate.FingerprintSha256()) == wanted) return true;
  return false;
}

std::string RemoveFingerprint(std::string_view text, std::string_view fingerprint) {
  const std::string wanted = NormalizeFingerprint(fingerprint);
  std::string out;
  size_t copied = 0;
  for (const auto& c : FindCertificates(text)) {
    if (NormalizeFingerprint(c.certificate.FingerprintSha256()) != wanted) continue;
    // From the start of the BEGIN line (it normally starts one).
    size_t lineStart = c.begin;
    while (lineStart > copied && text[lineStart - 1] != '\n') --lineStart;
    out.append(text.substr(copied, lineStart - copied));
    copied = c.end;
  }
  out.append(text.substr(copied));
  return out;
}

std::string AppendPem(std::string_view text, std::string_view pem) {
  std::string out(text);
  if (!out.empty() && out.back() != '\n') out += '\n';
  out += WithOneTrailingNewline(pem);
  return out;
}

std::string WithOneTrailingNewline(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  std::string out;
  out.reserve(text.size() + 1);  // one allocation: a private key leaves no stray copy behind
  out.append(text).append(1, '\n');
  return out;
}

}  // namespace pkiform::openssh
