// Where an external issuer's files live in the repository: one CSR per slot
// of each peer under the issuer's `requests` folder, and the signed certificate
// someone commits for it under its `certificates` folder, at the same place:
//
//   <requests>/<cluster>/<peer>/<slot>.csr
//   <certificates>/<cluster>/<peer>/<slot>.pem
//
// The state store writes the first, the planner reads both; this is the one
// place that spells the layout.
#pragma once

#include <string>

namespace pkiform {

inline std::string ExternalRequestPath(const std::string& requests_dir, const std::string& cluster,
                                       const std::string& peer, const std::string& slot) {
  return requests_dir + "/" + cluster + "/" + peer + "/" + slot + ".csr";
}

inline std::string ExternalCertificatePath(const std::string& certificates_dir, const std::string& cluster,
                                           const std::string& peer, const std::string& slot) {
  return certificates_dir + "/" + cluster + "/" + peer + "/" + slot + ".pem";
}

}  // namespace pkiform
