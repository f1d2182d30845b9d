// WritesBack: whether OpenSSL's encoding of a certificate or request it decoded reads back.
//
// What pkiform writes of a certificate or a CSR (backups, trust stores, requests folders,
// plans) is OpenSSL's encoding of the object, not the bytes it was read from. OpenSSL decodes
// some fields leniently and re-encodes them as it understood them: an algorithm's parameters
// tagged [UNIVERSAL 0] constructed come back as end-of-contents octets, which no parser reads
// (found by fuzz_certificate). Objects whose encoding does not read back are refused when
// read, so that pkiform never writes what neither it nor anything else can read.
#pragma once

#include <openssl/err.h>

#include <string>
#include <string_view>

#include "reconciler/pki/handles.h"
#include "reconciler/util/result.h"

namespace pkiform::pki {

// `object` was decoded from `decoded_from` (its DER; empty when the caller does not have it,
// as for a certificate taken from a TLS handshake or a PKCS#7 bundle). DER writes back to its
// own bytes: one encoding, no second parse. Anything else must read back and encode the same
// again. `what` names the object in the refusal ("certificate").
template <typename T>
Status WritesBack(const T* object, std::string_view decoded_from, int (*i2d)(const T*, unsigned char**),
                  T* (*d2i)(T**, const unsigned char**, long), void (*free_object)(T*), std::string_view what) {
  unsigned char* written = nullptr;
  const int length = i2d(object, &written);
  OpensslBytesPtr owned(written);
  if (length > 0) {
    const std::string_view bytes(reinterpret_cast<const char*>(written), static_cast<size_t>(length));
    if (bytes == decoded_from) return Status::Ok();
    const unsigned char* cursor = written;
    T* again = d2i(nullptr, &cursor, length);
    if (again != nullptr) {
      unsigned char* rewritten = nullptr;
      const int relength = cursor == written + length ? i2d(again, &rewritten) : -1;
      OpensslBytesPtr reowned(rewritten);
      free_object(again);
      if (relength == length && std::string_view(reinterpret_cast<const char*>(rewritten), relength) == bytes)
        return Status::Ok();
    }
  }
  ERR_clear_error();
  return Status::InvalidInput("not a DER " + std::string(what) + ": OpenSSL reads it but writes it back as bytes " +
                              "that do not read as a " + std::string(what) + " (RFC 5280 and RFC 2986 ask for DER)");
}

}  // namespace pkiform::pki
