#include "providers/ucm/platform_api.h"

#include <nlohmann/json.hpp>

#include "reconciler/util/excerpt.h"

namespace pkiform::ucm {
namespace {

using nlohmann::json;

constexpr size_t kMaxAnswerBytes = 256 * 1024;  // a CSR or a message; never megabytes

http::HttpsRequest Post(const ApiEndpoint& e, const char* path, std::string body) {
  http::HttpsRequest r;
  r.method = "POST";
  r.host = e.fqdn;
  r.address = e.address;
  r.port = e.port;
  r.path = path;
  r.json_body = std::move(body);
  r.user = e.user;
  r.password = e.password;
  r.trusted_pems = e.trusted_pems;
  r.max_response_bytes = kMaxAnswerBytes;
  return r;
}

// The JSON object of an answer, or why not. Bounded: the client capped the size.
Result<json> ParseAnswer(const http::HttpsResponse& response, const std::string& what) {
  json j = json::parse(response.body, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return Status::Failed(what + ": HTTP " + std::to_string(response.status) + " with a body that is not a JSON "
                          "object: " + Excerpt(response.body));
  return j;
}

// A refusal names the status and the node's own message (untrusted: cut short).
Status Refused(const http::HttpsResponse& response, const std::string& what) {
  std::string message;
  json j = json::parse(response.body, nullptr, false);
  if (!j.is_discarded() && j.is_object() && j.contains("message") && j["message"].is_string())
    message = j["message"].get<std::string>();
  else
    message = response.body;
  std::string hint;
  if (response.status == 401)
    hint = " (the API takes the CLI administrator's user and password: check the connection's password)";
  return Status::Failed(what + ": the node answered HTTP " + std::to_string(response.status) + ": " +
                        Excerpt(message, 300) + hint);
}

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

Result<std::string> CsrRequestBody(const ApiCsr& csr) {
  std::string type;
  if (csr.key.algorithm == pki::KeySpec::kRsa) type = "RSA";
  else if (csr.key.algorithm == pki::KeySpec::kEcdsa) type = "EC";
  else return Status::Unsupported("the platform API makes RSA or EC keys, not " + csr.key.ToString());
  json names = json::array();
  for (const auto& n : csr.alt_names) names.push_back(n);
  return Dump(json{{"service", csr.service},
                   {"distribution", "this-server"},
                   {"commonName", csr.common_name},
                   {"keyType", type},
                   {"keyLength", csr.key.bits},
                   {"hashAlgorithm", "SHA256"},
                   {"altNames", names}});
}

Result<std::string> ApiGenerateCsr(const ApiEndpoint& endpoint, const ApiCsr& csr) {
  const std::string what = std::string("POST ") + kApiCsrPath;
  auto body = CsrRequestBody(csr);
  if (!body.ok()) return body.status();
  auto response = http::Send(Post(endpoint, kApiCsrPath, *body));
  if (!response.ok()) return Status(response.status()).WithContext(what);
  if (response->status != 200 && response->status != 201) return Refused(*response, what);
  auto j = ParseAnswer(*response, what);
  if (!j.ok()) return j.status();
  if (!j->contains("csr") || !(*j)["csr"].is_string())
    return Status::Failed(what + ": the answer has no \"csr\": " + Excerpt(response->body));
  return (*j)["csr"].get<std::string>();
}

Status ApiUploadIdentity(const ApiEndpoint& endpoint, const std::string& service,
                         const std::vector<std::string>& certificate_pems) {
  const std::string what = std::string("POST ") + kApiIdentityPath;
  json certs = json::array();
  for (const auto& pem : certificate_pems) certs.push_back(pem);
  auto response = http::Send(Post(endpoint, kApiIdentityPath, Dump(json{{"service", service}, {"certificates", certs}})));
  if (!response.ok()) return Status(response.status()).WithContext(what);
  if (response->status != 200 && response->status != 201) return Refused(*response, what);
  return Status::Ok();
}

}  // namespace pkiform::ucm
