#include "reconciler/pki/passphrase.h"

#include <openssl/crypto.h>

#include <cstdlib>
#include <cstring>

#include "reconciler/util/file_reader.h"

namespace pkiform::pki {
namespace {

// Wipes a buffer that held a secret on every way out of a function.
class WipeOnExit {
 public:
  explicit WipeOnExit(std::string& secret) : secret_(secret) {}
  ~WipeOnExit() { OPENSSL_cleanse(secret_.data(), secret_.size()); }
  WipeOnExit(const WipeOnExit&) = delete;
  WipeOnExit& operator=(const WipeOnExit&) = delete;

 private:
  std::string& secret_;
};

Result<SecretString> ReadPassphraseFile(const std::string& path) {
  // A regular file only: a FIFO named here would block the run forever.
  auto file = RegularFile::Open(path);
  if (!file.ok() && file.status().code() == Status::Code::kInvalidInput)
    return Status::InvalidInput("passphrase file '" + path + "' " + file.status().message());
  if (!file.ok()) return Status::IoError("cannot open passphrase file '" + path + "': " + file.status().message());
  // Sized once up front: growing a std::string would leave copies of the secret in
  // freed memory.
  std::string buffer(kMaxPassphraseBytes + 3, '\0');
  WipeOnExit wipe(buffer);
  auto read = file->ReadUpTo(buffer.data(), buffer.size());
  if (!read.ok()) return Status::IoError("cannot read passphrase file '" + path + "': " + read.status().message());
  size_t total = *read;
  if (total > 0 && buffer[total - 1] == '\n') --total;
  if (total > 0 && buffer[total - 1] == '\r') --total;
  if (total > kMaxPassphraseBytes) return Status::InvalidInput("passphrase file '" + path + "' is too long");
  if (total == 0) return Status::InvalidInput("passphrase file '" + path + "' is empty");
  return SecretString(std::string(buffer.data(), total));
}

}  // namespace

SecretString::SecretString(std::string&& text) : value_(text) {
  OPENSSL_cleanse(text.data(), text.size());
  text.clear();
}

// Copy-then-wipe rather than std::move: a moved-from short string keeps its bytes
// in the small-string buffer, where nothing would wipe them.
SecretString::SecretString(SecretString&& other) noexcept : value_(other.value_) { other.Wipe(); }

SecretString& SecretString::operator=(SecretString&& other) noexcept {
  if (this != &other) {
    Wipe();
    value_ = other.value_;
    other.Wipe();
  }
  return *this;
}

SecretString::~SecretString() { Wipe(); }

void SecretString::Wipe() {
  OPENSSL_cleanse(value_.data(), value_.size());
  value_.clear();
}

Result<SecretString> ReadPassphrase(const std::string& envName, const std::string& filePath) {
  if (envName.empty() == filePath.empty()) {
    return Status::InvalidInput("set exactly one of passphraseEnv and passphraseFile");
  }
  if (!filePath.empty()) return ReadPassphraseFile(filePath);
  const char* value = std::getenv(envName.c_str());
  if (value == nullptr) return Status::NotFound("environment variable " + envName + " is not set");
  if (*value == '\0') return Status::InvalidInput("environment variable " + envName + " is empty");
  if (std::strlen(value) > kMaxPassphraseBytes) {
    return Status::InvalidInput("environment variable " + envName + " is too long for a passphrase");
  }
  return SecretString(std::string(value));
}

}  // namespace pkiform::pki
