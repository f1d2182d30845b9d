#include "state/secrets.h"

namespace pkiform::state {

Status RefusePrivateKey(std::string_view what, std::string_view content) {
  if (content.find("PRIVATE KEY") == std::string_view::npos) return Status::Ok();
  return Status::InvalidInput(std::string(what) +
                              " contains a private key; secrets are never written to the state directory");
}

}  // namespace pkiform::state
