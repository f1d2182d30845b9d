// Reading certificate files in every form users have them (one or many PEM
// certificates, DER, PKCS#7 in PEM or DER), and describing a file's form so that
// validators can name the appliance rules it breaks: D1 (PEM only), D2 (nothing
// but one newline after END), D5 (one certificate per file), U4 (DER, PEM and
// PKCS#7 accepted).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "reconciler/pki/certificate.h"
#include "reconciler/util/result.h"

namespace pkiform::pki {

struct CertificateFileInfo {
  enum Format { kPem, kDer, kPkcs7Pem, kPkcs7Der };

  Format format = kPem;
  int certificateCount = 0;
  // PEM only: a '\r' anywhere in the file (rule D2).
  bool hasCarriageReturns = false;
  // PEM only: anything but exactly one "\n" after the last END line, including no
  // newline at all (rule D2).
  bool hasTrailingBlankLines = false;
  // PEM only: labels of blocks that are not certificates ("PRIVATE KEY", ...), in order.
  std::vector<std::string> otherPemBlocks;
};

// "PEM", "DER", "PKCS#7 (PEM)", "PKCS#7 (DER)".
std::string FormatName(CertificateFileInfo::Format format);

// Every certificate in the file, in file order. Non-certificate PEM blocks are
// skipped; a file holding none is an error, as are garbage, truncated PEM and ZIP
// archives (tagged rule D1).
Result<std::vector<Certificate>> ParseCertificates(std::string_view bytes);

// The same parse, returning what the file looks like instead of its certificates.
Result<CertificateFileInfo> InspectCertificateFile(std::string_view bytes);

}  // namespace pkiform::pki
