// Captured transcripts of the VCS CLI contract (docs/platforms/vcs.md, "CLI contract"),
// written from the contract's tables, and the built-in dialect, for the vcs provider's
// unit tests. Answers are as the PTY shows them (CRLF), the `OK` line included.
#pragma once

#include <catch2/catch.hpp>
#include <string>

#include "providers/vcs/dialect.h"

namespace pkiform::vcstest {

inline const vcs::Dialect& TheDialect() {
  const auto& d = vcs::BuiltinDialect();
  if (!d.ok()) FAIL(d.status().ToString());
  return *d;
}

inline const char* const kBanner = "TANDBERG Video Communication Server X8.1.1\r\n\r\n";

inline const char* const kSystemUnit =
    "*s SystemUnit: /\r\n"
    "*s SystemUnit Product: \"TANDBERG VCS\"\r\n"
    "*s SystemUnit Software Version: \"X8.1.1\"\r\n"
    "*s SystemUnit Software Build: \"356551\"\r\n"
    "*s SystemUnit ExpresswaySeries: \"False\"\r\n"
    "*s/end\r\n"
    "OK\r\n";

inline const char* const kAlternates =
    "*c xConfiguration Alternates ClusterName: \"vcs.example.com\"\r\n"
    "*c xConfiguration Alternates Peer 1 Address: \"vcs1.example.com\"\r\n"
    "*c xConfiguration Alternates Peer 2 Address: \"vcs2.example.com\"\r\n"
    "*c xConfiguration Alternates Peer 3 Address: \"\"\r\n"
    "*c xConfiguration Alternates Peer 4 Address: \"\"\r\n"
    "*c xConfiguration Alternates Peer 5 Address: \"\"\r\n"
    "*c xConfiguration Alternates Peer 6 Address: \"\"\r\n"
    "OK\r\n";

inline const char* const kCrlAutomatic =
    "*c xConfiguration Certificates CRL Automatic Mode: On\r\n"
    "*c xConfiguration Certificates CRL Automatic DistributionPoints: \"http://crl.example.com/a.crl "
    "https://crl.example.com/b.crl\"\r\n"
    "*c xConfiguration Certificates CRL Automatic UpdateTime: \"03:30\"\r\n"
    "OK\r\n";

inline const char* const kSipTls =
    "*c xConfiguration SIP TLS CertificateRevocationChecking Mode: On\r\n"
    "*c xConfiguration SIP TLS CertificateRevocationChecking OCSP: Off\r\n"
    "*c xConfiguration SIP TLS CertificateRevocationChecking CRL: On\r\n"
    "*c xConfiguration SIP TLS CertificateRevocationChecking CDP: On\r\n"
    "*c xConfiguration SIP TLS CertificateRevocationChecking FallbackBehavior: NotRevoked\r\n"
    "OK\r\n";

inline const char* const kCsrGenerated =
    "*r CertificatesCSRGenerateResult (status=OK):\r\n"
    "    Generated: \"Dec 06 2026\"\r\n"
    "*r/end\r\n"
    "OK\r\n";

inline const char* const kCsrPending =
    "*r CertificatesCSRGenerateResult (status=Error):\r\n"
    "    Reason: Only one signing request can be in progress at any one time. To discard the current request and "
    "start a new request, use xCommand Certificates CSR Discard\r\n"
    "*r/end\r\n"
    "OK\r\n";

inline const char* const kKeyWhileCsr =
    "*r CertificatesServerUploadResult (status=Error):\r\n"
    "    Reason: You cannot upload a server private key if a certificate signing request is in progress\r\n"
    "*r/end\r\n"
    "OK\r\n";

inline const char* const kUnknownCommand =
    "*r CommandResult (status=Error):\r\n"
    "    Reason: Unknown command\r\n"
    "*r/end\r\n"
    "OK\r\n";

}  // namespace pkiform::vcstest
