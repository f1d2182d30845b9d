#include "reconciler/status/crl_fetch.h"

#include <mutex>
#include <string_view>

#include "providers/http/curl_handles.h"
#include "reconciler/util/excerpt.h"
#include "reconciler/util/input_limits.h"

namespace pkiform::status {
namespace {

// The answer as it arrives, up to a cap. libcurl takes a plain function as its write
// callback, hence the static trampoline; returning less than it was given stops the transfer.
class CappedBody {
 public:
  explicit CappedBody(size_t cap) : cap_(cap) {}
  static size_t Write(char* data, size_t size, size_t count, void* self) {
    return static_cast<CappedBody*>(self)->Take(std::string_view(data, size * count));
  }
  bool over() const { return over_; }
  size_t cap() const { return cap_; }
  std::string Release() { return std::move(bytes_); }

 private:
  size_t Take(std::string_view part) {
    over_ = over_ || bytes_.size() + part.size() > cap_;
    if (over_) return 0;
    bytes_ += part;
    return part.size();
  }
  std::string bytes_;
  size_t cap_;
  bool over_ = false;
};

bool HttpUrl(const std::string& url) {
  if (url.size() > 2048) return false;
  for (unsigned char c : url)
    if (c <= 0x20 || c >= 0x7f) return false;
  return url.starts_with("http://") || url.starts_with("https://");
}

}  // namespace

Result<std::string> FetchCrl(const std::string& url, const CrlFetchOptions& options) {
  static std::once_flag once;
  static CURLcode init = CURLE_OK;
  std::call_once(once, [] { init = curl_global_init(CURL_GLOBAL_DEFAULT); });
  const std::string shown = Excerpt(url, 200);
  if (!HttpUrl(url)) return Status::InvalidInput(shown + ": only http:// and https:// distribution points are fetched");
  if (init != CURLE_OK) return Status::Failed(shown + ": libcurl cannot start: " + curl_easy_strerror(init));
  http::CurlEasyPtr curl(curl_easy_init());
  if (!curl) return Status::Failed(shown + ": curl_easy_init failed");
  CURL* c = curl.get();
  CappedBody body(options.max_bytes ? options.max_bytes : limits::kCrlFile.bytes);
  char error[CURL_ERROR_SIZE] = {0};
  const bool ok = curl_easy_setopt(c, CURLOPT_URL, url.c_str()) == CURLE_OK &&
                  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https") == CURLE_OK &&
                  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L) == CURLE_OK &&
                  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
                  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error) == CURLE_OK &&
                  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout.count())) ==
                      CURLE_OK &&
                  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options.timeout.count())) == CURLE_OK &&
                  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &CappedBody::Write) == CURLE_OK &&
                  curl_easy_setopt(c, CURLOPT_WRITEDATA, &body) == CURLE_OK;
  if (!ok) return Status::Failed(shown + ": libcurl refused an option");
  const CURLcode rc = curl_easy_perform(c);
  if (body.over())
    return Status::Failed(shown + ": the CRL is larger than " + std::to_string(body.cap()) + " bytes; refused");
  if (rc != CURLE_OK) return Status::Failed(shown + ": " + Excerpt(error[0] ? error : curl_easy_strerror(rc), 300));
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  if (code != 200) return Status::Failed(shown + ": HTTP status " + std::to_string(code) + " (redirects are not followed)");
  return body.Release();
}

}  // namespace pkiform::status
