// Reads a private key whose passphrase, when it is encrypted, comes from an
// environment variable or a file named in a manifest (never from argv, never
// prompted): the one place where manifests' key settings meet PrivateKey.
#pragma once

#include <string>
#include <string_view>

#include "reconciler/pki/key.h"

namespace pkiform::pki {

Result<PrivateKey> LoadPrivateKey(std::string_view pem, const std::string& passphrase_env,
                                  const std::string& passphrase_file);

}  // namespace pkiform::pki
