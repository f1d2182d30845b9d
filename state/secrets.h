// The state directory and the repository folders pkiform writes to hold public
// material only (certificates, CSRs, serials, history). This is the one check
// that refuses anything that looks like a private key before it is written.
#pragma once

#include <string>
#include <string_view>

#include "reconciler/util/result.h"

namespace pkiform::state {

// InvalidInput when `content` contains "PRIVATE KEY" (any PEM private key:
// PKCS#8, encrypted, RSA, EC, ...). `what` names the content in the message.
Status RefusePrivateKey(std::string_view what, std::string_view content);

}  // namespace pkiform::state
