#include "reconciler/pki/handles.h"

#include <openssl/err.h>

#include <climits>
#include <vector>

namespace pkiform::pki {

std::string OpensslErrorString() {
  std::vector<std::string> reasons;
  unsigned long code = 0;
  const char* data = nullptr;
  int flags = 0;
  while ((code = ERR_get_error_all(nullptr, nullptr, nullptr, &data, &flags)) != 0) {
    // The reason text alone reads better in a user-facing message than the full
    // "error:0480006C:PEM routines::..." form; fall back to the latter if unknown.
    std::string text;
    if (const char* reason = ERR_reason_error_string(code)) {
      text = reason;
    } else {
      char buffer[256];
      ERR_error_string_n(code, buffer, sizeof buffer);
      text = buffer;
    }
    if ((flags & ERR_TXT_STRING) && data != nullptr && *data != '\0') text += std::string(" (") + data + ")";
    bool seen = false;
    for (const auto& r : reasons) seen = seen || r == text;
    if (!seen) reasons.push_back(std::move(text));
  }
  if (reasons.empty()) return "no detail from OpenSSL";
  std::string joined;
  for (const auto& r : reasons) joined += (joined.empty() ? "" : "; ") + r;
  return joined;
}

Status CryptoFailure(const std::string& what) { return Status::Crypto(what + ": " + OpensslErrorString()); }

Result<BioPtr> ReadOnlyBio(std::string_view bytes) {
  if (bytes.size() > static_cast<size_t>(INT_MAX)) return Status::InvalidInput("input larger than 2 GiB");
  BioPtr bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
  if (!bio) return CryptoFailure("cannot create a memory BIO");
  return bio;
}

std::string BioContents(BIO* bio) {
  char* data = nullptr;
  long length = BIO_get_mem_data(bio, &data);
  if (length <= 0 || data == nullptr) return {};
  return std::string(data, static_cast<size_t>(length));
}

}  // namespace pkiform::pki
