#include "reconciler/pki/key_file.h"

#include <algorithm>

namespace pkiform::pki {

Result<PrivateKey> LoadPrivateKey(std::string_view pem, const std::string& passphrase_env,
                                  const std::string& passphrase_file) {
  if (!PrivateKey::IsEncryptedPem(pem)) return PrivateKey::FromPem(pem, nullptr);
  if (passphrase_env.empty() && passphrase_file.empty())
    return Status::InvalidInput("private key is encrypted; set passphraseEnv or passphraseFile");
  auto secret = ReadPassphrase(passphrase_env, passphrase_file);
  if (!secret.ok()) return secret.status();
  std::string pass(secret->view());
  auto key = PrivateKey::FromPem(pem, &pass);
  std::fill(pass.begin(), pass.end(), '\0');  // the copy must not outlive its use either
  return key;
}

}  // namespace pkiform::pki
