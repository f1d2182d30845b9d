#include "reconciler/pki/normalize.h"

#include <catch2/catch.hpp>

#include "pki_test_support.h"
#include "reconciler/pki/certificate_file.h"

namespace pkiform::pki {
namespace {

using testing::Must;
using testing::SharedPki;

TEST_CASE("NormalizePem converts CRLF and strips trailing blank lines", "[pki][rule:D2]") {
  CHECK(NormalizePem("-----BEGIN X-----\r\nAAAA\r\n-----END X-----\r\n\r\n\r\n") ==
        "-----BEGIN X-----\nAAAA\n-----END X-----\n");
  CHECK(NormalizePem("a\rb") == "a\nb\n");
  CHECK(NormalizePem("-----END X-----") == "-----END X-----\n");
  CHECK(NormalizePem("-----END X-----\n \t\n") == "-----END X-----\n");
  CHECK(NormalizePem("") == "");
  CHECK(NormalizePem("\n\r\n") == "");
}

TEST_CASE("a normalized dirty file passes the D2 inspection", "[pki][rule:D2]") {
  std::string dirty;
  for (char c : SharedPki().leaf.ToPem()) dirty += c == '\n' ? std::string("\r\n") : std::string(1, c);
  dirty += "\r\n\r\n";
  REQUIRE(Must(InspectCertificateFile(dirty)).hasTrailingBlankLines);
  const CertificateFileInfo info = Must(InspectCertificateFile(NormalizePem(dirty)));
  CHECK_FALSE(info.hasCarriageReturns);
  CHECK_FALSE(info.hasTrailingBlankLines);
  CHECK(NormalizePem(dirty) == SharedPki().leaf.ToPem());
}

TEST_CASE("OneCertificatePerPem splits a bundle into clean single-certificate files", "[pki][rule:D5][rule:D1]") {
  const auto& pki = SharedPki();
  // DER input is turned into PEM on the way (rule D1).
  std::vector<Certificate> certificates = Must(ParseCertificates(pki.leaf.ToDer()));
  const std::vector<Certificate> more =
      Must(ParseCertificates(pki.intermediate.ToPem() + "\r\n\r\n" + pki.root.ToPem()));
  certificates.insert(certificates.end(), more.begin(), more.end());
  const std::vector<std::string> files = OneCertificatePerPem(certificates);
  REQUIRE(files.size() == 3);
  CHECK(files[0] == pki.leaf.ToPem());
  CHECK(files[1] == pki.intermediate.ToPem());
  CHECK(files[2] == pki.root.ToPem());
  for (const auto& file : files) {
    const CertificateFileInfo info = Must(InspectCertificateFile(file));
    CHECK(info.format == CertificateFileInfo::kPem);
    CHECK(info.certificateCount == 1);
    CHECK_FALSE(info.hasCarriageReturns);
    CHECK_FALSE(info.hasTrailingBlankLines);
  }
}

}  // namespace
}  // namespace pkiform::pki
