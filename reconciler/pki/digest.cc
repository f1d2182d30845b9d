#include "reconciler/pki/digest.h"

#include <openssl/evp.h>

#include <cstdlib>

namespace pkiform::pki {
namespace {

std::string Hex(std::string_view bytes, const char* alphabet, const char* separator) {
  std::string out;
  for (unsigned char byte : bytes) {
    if (!out.empty()) out += separator;
    out += alphabet[byte >> 4];
    out += alphabet[byte & 0x0F];
  }
  return out;
}

std::string Sha256Raw(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  // SHA-256 from the default provider cannot fail short of memory exhaustion, and
  // a digest that silently came out empty would make unrelated keys "match".
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1) std::abort();
  return std::string(reinterpret_cast<const char*>(digest), length);
}

}  // namespace

std::string ToHex(std::string_view bytes) { return Hex(bytes, "0123456789abcdef", ""); }

std::string ToColonHex(std::string_view bytes) { return Hex(bytes, "0123456789ABCDEF", ":"); }

std::string Sha256Hex(std::string_view bytes) { return ToHex(Sha256Raw(bytes)); }

std::string Sha256Fingerprint(std::string_view bytes) { return ToColonHex(Sha256Raw(bytes)); }

}  // namespace pkiform::pki
