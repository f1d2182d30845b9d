#include "state/secrets.h"

#include "reconciler/pki/key.h"

namespace pkiform::state {

Status RefusePrivateKey(std::string_view what, std::string_view content) {
  if (!pki::ContainsPrivateKeyPem(content)) return Status::Ok();
  return Status::InvalidInput(std::string(what) +
                              " contains a private key; secrets are never written to the state directory");
}

}  // namespace pkiform::state
