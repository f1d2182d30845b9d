// Walking the PEM blocks of a text in order (certificate files, CRL bundles):
// OpenSSL's PEM_read_bio block by block, with the block's label and DER bytes
// handed to a visitor, and the same messages everywhere for a malformed block or
// a BEGIN line without its END line.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "reconciler/util/result.h"

namespace pkiform::pki {

// Receives one block: its label ("CERTIFICATE", "X509 CRL"), its DER bytes and its
// number (from 1). Returning an error stops the walk with that error.
using PemBlockVisitor = std::function<Status(std::string_view label, std::string_view der, int block)>;

// Visits every block of `text`; Ok at the end of the text. Fails with "truncated
// PEM: block #N (-----BEGIN X-----) has no END line" or "malformed PEM block #N: ...".
Status ForEachPemBlock(std::string_view text, const PemBlockVisitor& visit);

// The DER of the first block of `text` whose label OpenSSL reads as `openssl_label`
// (PEM_STRING_X509 also takes "X509 CERTIFICATE", PEM_STRING_X509_REQ "NEW CERTIFICATE
// REQUEST"), found as PEM_read_bio_X509 and its kin find it; the error is OpenSSL's reason.
// Readers keep the DER to check that what they decoded writes back (writes_back.h).
Result<std::string> FirstPemBlockDer(std::string_view text, const char* openssl_label);

}  // namespace pkiform::pki
