// HttpsClient: one HTTPS request to an appliance's API (libcurl), for what its CLI
// cannot do (Unified CM's platform REST API, rule U15).
//
// Trust is exactly what the caller hands over: the server certificate must chain to one
// of `trusted_pems` (a certificate there may be the server's own leaf, e.g. the node's
// self-signed tomcat identity observed over the host-key-verified SSH session), and its
// name must be `host`; the connection goes to `address` (CURLOPT_RESOLVE) so that the
// FQDN is checked without DNS. No system CA bundle, no redirects, https only, timeouts and
// a cap on the response size. The password goes to libcurl (basic auth), never into a
// URL, argv, a log line or an error message.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "reconciler/pki/passphrase.h"
#include "reconciler/util/result.h"

namespace pkiform::http {

inline constexpr size_t kDefaultMaxResponseBytes = 1024 * 1024;

struct HttpsRequest {
  std::string method = "GET";     // GET or POST
  std::string host;               // the FQDN the certificate must name
  std::string address;            // where to connect; empty: resolve `host`
  int port = 443;
  std::string path;               // "/platformcom/api/v1/...", with any query
  std::string json_body;          // POST: sent as application/json
  std::string user;
  const pki::SecretString* password = nullptr;  // borrowed; null: no authentication
  std::vector<std::string> trusted_pems;        // PEM certificates; at least one
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds timeout{60000};     // the whole request
  size_t max_response_bytes = kDefaultMaxResponseBytes;
};

struct HttpsResponse {
  long status = 0;
  std::string content_type;
  std::string body;  // untrusted: escape before showing it
};

// Performs the request. Any HTTP status is a response; failing to connect, to verify the
// server, the timeout or an oversized answer is an error naming host:port and why.
Result<HttpsResponse> Send(const HttpsRequest& request);

}  // namespace pkiform::http
