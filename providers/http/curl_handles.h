// RAII handles for libcurl, with the exact free function of each (as pki/handles.h does
// for OpenSSL and ssh/handles.h for libssh).
#pragma once

#include <curl/curl.h>

#include <memory>

namespace pkiform::http {

struct CurlEasyDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
using CurlEasyPtr = std::unique_ptr<CURL, CurlEasyDeleter>;

struct CurlSlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using CurlSlistPtr = std::unique_ptr<curl_slist, CurlSlistDeleter>;

}  // namespace pkiform::http
