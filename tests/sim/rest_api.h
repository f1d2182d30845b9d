// The platform REST API of a simulated Unified CM / IM and Presence node (certificate
// management, release 14 and later), served by `pkiform-sim tls` on the node's HTTPS port
// beside the Tomcat page, over the identities Tomcat *runs* with (tomcat, tomcat-ECDSA),
// with HTTP basic auth against the node's administrator (admin_credentials.h).
//
//   POST /platformcom/api/v1/certmgr/config/csr
//        {service, distribution, commonName, keyType, keyLength, hashAlgorithm, altNames}
//        -> 200 {"csr": PEM}                              the unit's pending CSR (rule U9)
//   GET  /platformcom/api/v1/certmgr/config/trust/certificates[?service=UNIT]
//        -> 200 {"certificates": [{service, name, description, certificate}]}
//   POST /platformcom/api/v1/certmgr/config/trust/certificates
//        {service: [UNIT...], certificates: [PEM...], description}   replicated (rule U10)
//   POST /platformcom/api/v1/certmgr/config/identity/certificates
//        {service, certificates: [leaf, chain...]}   the CLI's checks (U2, U6, U7, U8) but
//        multi-SAN certificates are taken on 14SU2+ (rule U15); served after a restart (U13)
//
// Refusals: an HTTP status and {"status": N, "message": TEXT} (ASSUMED shape; see
// docs/platforms/ucm.md). Bodies over kMaxRestBodyBytes are refused (413).
#pragma once
#include <filesystem>
#include <memory>
#include <string>

#include "reconciler/util/result.h"

namespace pkiform::sim {

inline constexpr size_t kMaxRestBodyBytes = 256 * 1024;

// Answers one request (what the HTTPS server calls; tests may call it directly).
struct RestReply {
  int status = 200;
  std::string body;  // JSON (or the Tomcat page's text for GET /)
  std::string contentType = "application/json";
};
RestReply HandleRestRequest(const std::filesystem::path& dir, const std::string& method, const std::string& path,
                            const std::string& query_service, const std::string& authorization,
                            const std::string& body);

// One node's HTTPS server (cpp-httplib) on ADDRESS:PORT; stops when destroyed.
class RestServer {
 public:
  static Result<std::unique_ptr<RestServer>> Start(const std::filesystem::path& dir, const std::string& address,
                                                   int port);
  ~RestServer();
  RestServer(const RestServer&) = delete;
  RestServer& operator=(const RestServer&) = delete;

  struct Impl;

 private:
  explicit RestServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace pkiform::sim
