// Secrets that unlock private keys: SecretString, which wipes itself so that a
// passphrase or a key's PEM does not linger in freed memory, and ReadPassphrase,
// which takes the passphrase from where a manifest says (passphraseEnv or
// passphraseFile) without ever putting it in a message.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "reconciler/util/result.h"

namespace pkiform::pki {

// OpenSSL's PEM passphrase callbacks cannot take a longer one.
inline constexpr size_t kMaxPassphraseBytes = 1023;

// A string holding a secret (passphrase, private key PEM) that is wiped with
// OPENSSL_cleanse when destroyed. Not copyable, so the secret exists once.
class SecretString {
 public:
  SecretString() = default;
  // Takes the text; the argument's buffer is wiped.
  explicit SecretString(std::string&& text);
  SecretString(SecretString&& other) noexcept;
  SecretString& operator=(SecretString&& other) noexcept;
  SecretString(const SecretString&) = delete;
  SecretString& operator=(const SecretString&) = delete;
  ~SecretString();

  const std::string& str() const { return value_; }
  std::string_view view() const { return value_; }
  bool empty() const { return value_.empty(); }
  size_t size() const { return value_.size(); }

 private:
  void Wipe();
  std::string value_;
};

// The passphrase of an encrypted key, from the environment variable `envName` or the
// file `filePath`; exactly one of the two must be non-empty. One trailing newline
// ("\n" or "\r\n") of the file is not part of the passphrase. Messages never contain
// the secret.
Result<SecretString> ReadPassphrase(const std::string& envName, const std::string& filePath);

}  // namespace pkiform::pki
