#include "tests/sim/admin_credentials.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <string>
#include <vector>

#include "tests/sim/sim_files.h"

namespace pkiform::sim {
namespace {

constexpr int kIterations = 20000;  // one check per REST request: cheap enough, not free

std::string Hex(const unsigned char* data, size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out += digits[data[i] >> 4];
    out += digits[data[i] & 15];
  }
  return out;
}

bool Derive(const std::string& password, const std::string& saltHex, int iterations, std::string& out) {
  unsigned char hash[32];
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(saltHex.data()), static_cast<int>(saltHex.size()),
                        iterations, EVP_sha256(), sizeof(hash), hash) != 1)
    return false;
  out = Hex(hash, sizeof(hash));
  OPENSSL_cleanse(hash, sizeof(hash));
  return true;
}

}  // namespace

Status SaveAdminCredentials(const std::filesystem::path& dir, const std::string& user, const std::string& password) {
  if (user.empty() || user.find_first_of(":\r\n") != std::string::npos)
    return Status::InvalidInput("the administrator user name must be non-empty without ':' or line ends");
  unsigned char salt[16];
  if (RAND_bytes(salt, sizeof(salt)) != 1) return Status::Failed("no random bytes for the salt");
  std::string saltHex = Hex(salt, sizeof(salt)), hash;
  if (!Derive(password, saltHex, kIterations, hash)) return Status::Failed("PBKDF2 failed");
  return WriteTextAtomic(dir / "admin-credentials",
                         FormatKeyValues({{"user", user},
                                          {"salt", saltHex},
                                          {"iterations", std::to_string(kIterations)},
                                          {"pbkdf2-sha256", hash}}),
                         std::filesystem::perms(0600));
}

bool CheckAdminCredentials(const std::filesystem::path& dir, const std::string& user, const std::string& password) {
  auto text = ReadText(dir / "admin-credentials");
  if (!text) return false;
  auto kv = ParseKeyValues(*text);
  int iterations = 0;
  try {
    iterations = std::stoi(kv["iterations"]);
  } catch (...) {
    return false;
  }
  if (iterations < 1 || iterations > 10000000 || kv["salt"].empty()) return false;
  std::string hash;
  if (!Derive(password, kv["salt"], iterations, hash)) return false;
  const std::string& want = kv["pbkdf2-sha256"];
  bool sameHash = want.size() == hash.size() && CRYPTO_memcmp(want.data(), hash.data(), hash.size()) == 0;
  return sameHash && user == kv["user"];
}

}  // namespace pkiform::sim
