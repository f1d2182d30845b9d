#include "reconciler/pki/normalize.h"

namespace pkiform::pki {

std::vector<std::string> OneCertificatePerPem(const std::vector<Certificate>& certificates) {
  std::vector<std::string> files;
  files.reserve(certificates.size());
  for (const auto& certificate : certificates) files.push_back(NormalizePem(certificate.ToPem()));
  return files;
}

std::string NormalizePem(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 1);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\r') {
      out += text[i];
    } else if (i + 1 >= text.size() || text[i + 1] != '\n') {
      out += '\n';  // a lone CR (old Mac line ending) still ends a line
    }
  }
  const size_t last = out.find_last_not_of(" \t\n");
  if (last == std::string::npos) return {};
  out.erase(last + 1);
  out += '\n';
  return out;
}

}  // namespace pkiform::pki
