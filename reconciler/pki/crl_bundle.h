// CRL bundles: several CRLs in one PEM file, one after the other, the way
// nginx (`ssl_crl`), HAProxy (`crl-file`) and OpenSSL's X509_load_cert_crl_file
// read them. Reading a bundle (or a single DER CRL) and writing one in the
// normalised form pkiform installs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "reconciler/pki/crl.h"
#include "reconciler/util/result.h"

namespace pkiform::pki {

// Every CRL of `bytes` in order: each "X509 CRL" block of PEM text (other PEM
// blocks are skipped), or the one CRL of a DER file. Fails on a malformed or
// truncated block, naming its number, and when there is no CRL at all.
Result<std::vector<Crl>> ParseCrlBundle(std::string_view bytes);

// The bundle as pkiform writes it: each CRL's PEM (Crl::ToPem: LF line endings,
// one newline after each END line), concatenated in the given order.
std::string CrlBundlePem(const std::vector<Crl>& crls);

}  // namespace pkiform::pki
