#include "providers/http/https_client.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <mutex>

#include "providers/http/curl_handles.h"
#include "reconciler/pki/certificate_file.h"
#include "reconciler/util/excerpt.h"

namespace pkiform::http {
namespace {

struct Sink {
  std::string body;
  size_t max = 0;
  bool overflow = false;
};

size_t Collect(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const size_t n = size * count;
  if (sink->body.size() + n > sink->max) {
    sink->overflow = true;
    return 0;  // libcurl stops with CURLE_WRITE_ERROR
  }
  sink->body.append(data, n);
  return n;
}

// The server must chain to exactly these certificates; a leaf among them is a trust
// anchor by itself (partial chain), so a node's self-signed or observed identity works.
CURLcode InstallTrust(CURL*, void* sslctx, void* user) {
  const auto* certs = static_cast<const std::vector<pki::Certificate>*>(user);
  X509_STORE* store = X509_STORE_new();
  if (!store) return CURLE_OUT_OF_MEMORY;
  for (const auto& c : *certs) X509_STORE_add_cert(store, c.get());
  X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN);
  SSL_CTX_set_cert_store(static_cast<SSL_CTX*>(sslctx), store);  // the context owns it now
  ERR_clear_error();
  return CURLE_OK;
}

bool PlainPath(const std::string& p) {
  return p.starts_with("/") && p.size() < 2048 &&
         std::none_of(p.begin(), p.end(), [](unsigned char c) { return c <= 0x20 || c == 0x7f; });
}

bool PlainHost(const std::string& h) {
  return !h.empty() && h.size() <= 253 && std::all_of(h.begin(), h.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '.';
  });
}

bool Ipv6(const std::string& a) {
  return a.find(':') != std::string::npos && a.size() <= 45 &&
         std::all_of(a.begin(), a.end(), [](unsigned char c) { return std::isxdigit(c) || c == ':' || c == '.'; });
}

}  // namespace

Result<HttpsResponse> Send(const HttpsRequest& r) {
  static std::once_flag once;
  static CURLcode global = CURLE_OK;
  std::call_once(once, [] { global = curl_global_init(CURL_GLOBAL_DEFAULT); });
  const std::string where = "https://" + Excerpt(r.host) + ":" + std::to_string(r.port);
  if (global != CURLE_OK) return Status::Failed(where + ": libcurl cannot start: " + curl_easy_strerror(global));
  if (!PlainHost(r.host)) return Status::InvalidInput(where + ": not a host name");
  if (!r.address.empty() && !PlainHost(r.address) && !Ipv6(r.address))
    return Status::InvalidInput(where + ": not an address: " + Excerpt(r.address));
  if (r.port < 1 || r.port > 65535) return Status::InvalidInput(where + ": port out of range");
  if (!PlainPath(r.path)) return Status::InvalidInput(where + ": not a request path: " + Excerpt(r.path));
  if (r.method != "GET" && r.method != "POST") return Status::InvalidInput(where + ": method " + r.method);
  std::vector<pki::Certificate> trusted;
  for (const auto& pem : r.trusted_pems) {
    auto certs = pki::ParseCertificates(pem);
    if (!certs.ok()) return Status(certs.status()).WithContext(where + ": a trusted certificate");
    trusted.insert(trusted.end(), certs->begin(), certs->end());
  }
  if (trusted.empty())
    return Status::InvalidInput(where + ": no certificate to trust; refusing to connect unverified");

  CurlEasyPtr curl(curl_easy_init());
  if (!curl) return Status::Failed(where + ": curl_easy_init failed");
  CURL* c = curl.get();
  char error[CURL_ERROR_SIZE] = {0};
  Sink sink;
  sink.max = r.max_response_bytes;
  const std::string url = "https://" + r.host + ":" + std::to_string(r.port) + r.path;
  CurlSlistPtr resolve;
  if (!r.address.empty()) {
    // The FQDN is what the certificate must name; the address is where the node is.
    const std::string address = Ipv6(r.address) ? "[" + r.address + "]" : r.address;  // libcurl 7.57+: brackets
    resolve.reset(curl_slist_append(nullptr, (r.host + ":" + std::to_string(r.port) + ":" + address).c_str()));
    if (!resolve) return Status::Failed(where + ": out of memory");
  }
  CurlSlistPtr headers(curl_slist_append(nullptr, "Accept: application/json"));
  if (headers && r.method == "POST")
    headers.reset(curl_slist_append(headers.release(), "Content-Type: application/json"));
  if (!headers) return Status::Failed(where + ": out of memory");

  bool ok = curl_easy_setopt(c, CURLOPT_URL, url.c_str()) == CURLE_OK &&
            curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https") == CURLE_OK &&
            curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L) == CURLE_OK &&
            curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
            curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error) == CURLE_OK &&
            curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(r.connect_timeout.count())) == CURLE_OK &&
            curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(r.timeout.count())) == CURLE_OK &&
            curl_easy_setopt(c, CURLOPT_SSLVERSION, CURL_SSLVERSION_TLSv1_2) == CURLE_OK &&
            curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L) == CURLE_OK &&
            curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L) == CURLE_OK &&
            // No system bundle: only what InstallTrust puts in the store.
            curl_easy_setopt(c, CURLOPT_CAINFO, nullptr) == CURLE_OK &&
            curl_easy_setopt(c, CURLOPT_CAPATH, nullptr) == CURLE_OK &&
            curl_easy_setopt(c, CURLOPT_SSL_CTX_FUNCTION, &InstallTrust) == CURLE_OK &&
            curl_easy_setopt(c, CURLOPT_SSL_CTX_DATA, &trusted) == CURLE_OK &&
            curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get()) == CURLE_OK &&
            curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &Collect) == CURLE_OK &&
            curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink) == CURLE_OK;
  if (ok && resolve) ok = curl_easy_setopt(c, CURLOPT_RESOLVE, resolve.get()) == CURLE_OK;
  if (ok && r.password) {
    ok = curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC) == CURLE_OK &&
         curl_easy_setopt(c, CURLOPT_USERNAME, r.user.c_str()) == CURLE_OK &&
         curl_easy_setopt(c, CURLOPT_PASSWORD, r.password->str().c_str()) == CURLE_OK;
  }
  if (ok && r.method == "POST") {
    ok = curl_easy_setopt(c, CURLOPT_POST, 1L) == CURLE_OK &&
         curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(r.json_body.size())) == CURLE_OK &&
         curl_easy_setopt(c, CURLOPT_POSTFIELDS, r.json_body.c_str()) == CURLE_OK;
  }
  if (!ok) return Status::Failed(where + ": libcurl refused an option (built without https or OpenSSL?)");

  CURLcode rc = curl_easy_perform(c);
  if (sink.overflow)
    return Status::Failed(where + r.path + ": the answer is larger than " + std::to_string(r.max_response_bytes) +
                          " bytes; refused");
  if (rc != CURLE_OK) {
    std::string why = error[0] ? error : curl_easy_strerror(rc);
    return Status::Failed(where + r.path + ": " + Excerpt(why, 300));
  }
  HttpsResponse out;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out.status);
  char* type = nullptr;
  if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type) out.content_type = Excerpt(type, 100);
  out.body = std::move(sink.body);
  return out;
}

}  // namespace pkiform::http
