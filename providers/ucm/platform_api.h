// PlatformApi: the calls the ucm provider makes to a node's platform REST API
// (certificate management, release 14 and later) where the CLI cannot make the change:
// a CSR with more names than `set web-security` carries, and from 14SU2 the upload of a
// multi-SAN identity (rule U15). The API is per node ("use the subscriber's host name
// for the subscriber", developer.cisco.com certificate-management), HTTPS with basic auth.
//
//   POST /platformcom/api/v1/certmgr/config/csr
//        {service, distribution: "this-server", commonName, keyType, keyLength,
//         hashAlgorithm: "SHA256", altNames} -> {"csr": PEM}
//   POST /platformcom/api/v1/certmgr/config/identity/certificates
//        {service, certificates: [leaf, chain...]}
// A refusal is the HTTP status and the answer's "message" (quoted, cut short).
// docs/platforms/ucm.md says which parts of these shapes are confirmed and which ASSUMED.
#pragma once

#include <string>
#include <vector>

#include "providers/http/https_client.h"
#include "reconciler/pki/key.h"
#include "reconciler/pki/passphrase.h"
#include "reconciler/util/result.h"

namespace pkiform::ucm {

inline constexpr const char* kApiCsrPath = "/platformcom/api/v1/certmgr/config/csr";
inline constexpr const char* kApiIdentityPath = "/platformcom/api/v1/certmgr/config/identity/certificates";

// Where and as whom: the node's FQDN (what its tomcat certificate names), its address,
// the HTTPS port, the CLI's administrator and the certificates to trust (tls_trust).
struct ApiEndpoint {
  std::string fqdn;
  std::string address;
  int port = 443;
  std::string user;
  const pki::SecretString* password = nullptr;  // borrowed
  std::vector<std::string> trusted_pems;
};

struct ApiCsr {
  std::string service;      // the unit: tomcat, CallManager, ...
  std::string common_name;  // the node's FQDN (distribution this-server)
  pki::KeySpec key;         // rule U5: RSA for the RSA purposes, EC for the -ECDSA ones
  std::vector<std::string> alt_names;  // besides the node's FQDN
};

// The request body of a CSR (for tests and the docs: exactly what is sent).
Result<std::string> CsrRequestBody(const ApiCsr& csr);

// Makes the node's pending CSR for `csr.service` (rule U9: it replaces any other) and
// returns it (PEM, not yet checked against the request: the caller does that).
Result<std::string> ApiGenerateCsr(const ApiEndpoint& endpoint, const ApiCsr& csr);

// Installs `certificate_pems` (leaf first, then its chain) as the identity of `service`.
Status ApiUploadIdentity(const ApiEndpoint& endpoint, const std::string& service,
                         const std::vector<std::string>& certificate_pems);

}  // namespace pkiform::ucm
