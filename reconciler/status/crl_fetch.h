// Fetching a CRL from a distribution point (an Issuer's crlDistributionPoints) with
// libcurl: http:// and https:// only (https with the system's CA bundle: the CRL's own
// signature is what pkiform trusts, checked afterwards by crl_check.h), no redirects
// followed, a connect and a total timeout, and at most limits::kCrlFile bytes. The answer
// is untrusted bytes: callers parse and escape.
#pragma once

#include <chrono>
#include <string>

#include "reconciler/util/result.h"

namespace pkiform::status {

struct CrlFetchOptions {
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds timeout{20000};  // the whole transfer
  size_t max_bytes = 0;                      // 0: limits::kCrlFile
};

// The body of a 200 answer. Any other status, a redirect, a timeout, an oversized body or a
// scheme other than http/https is an error naming the URL (cut short) and why.
Result<std::string> FetchCrl(const std::string& url, const CrlFetchOptions& options = {});

}  // namespace pkiform::status
