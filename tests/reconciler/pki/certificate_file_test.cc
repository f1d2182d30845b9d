#include "reconciler/pki/certificate_file.h"

#include <openssl/pem.h>
#include <openssl/pkcs7.h>

#include <catch2/catch.hpp>

#include "pki_test_support.h"

namespace pkiform::pki {
namespace {

using testing::Must;
using testing::SharedPki;

enum class Encoding { kPem, kDer };

// A "certs-only" PKCS#7 bundle, as `openssl crl2pkcs7 -nocrl` writes it.
std::string Pkcs7Bundle(const std::vector<Certificate>& certificates, Encoding encoding) {
  Pkcs7Ptr bundle(PKCS7_new());
  REQUIRE(bundle);
  REQUIRE(PKCS7_set_type(bundle.get(), NID_pkcs7_signed) == 1);
  REQUIRE(PKCS7_content_new(bundle.get(), NID_pkcs7_data) == 1);
  for (const auto& certificate : certificates) REQUIRE(PKCS7_add_certificate(bundle.get(), certificate.get()) == 1);
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (encoding == Encoding::kPem) {
    REQUIRE(PEM_write_bio_PKCS7(bio.get(), bundle.get()) == 1);
  } else {
    REQUIRE(i2d_PKCS7_bio(bio.get(), bundle.get()) == 1);
  }
  return BioContents(bio.get());
}

std::vector<std::string> Fingerprints(const std::vector<Certificate>& certificates) {
  std::vector<std::string> out;
  for (const auto& certificate : certificates) out.push_back(certificate.FingerprintSha256());
  return out;
}

TEST_CASE("a single clean PEM certificate is reported as such", "[pki][rule:D1][rule:D2][rule:D5]") {
  const CertificateFileInfo info = Must(InspectCertificateFile(SharedPki().leaf.ToPem()));
  CHECK(info.format == CertificateFileInfo::kPem);
  CHECK(info.certificateCount == 1);
  CHECK_FALSE(info.hasCarriageReturns);
  CHECK_FALSE(info.hasTrailingBlankLines);
  CHECK(info.otherPemBlocks.empty());
}

TEST_CASE("several certificates in one file are counted in order", "[pki][rule:D5]") {
  const auto& pki = SharedPki();
  const std::string bundle = pki.leaf.ToPem() + pki.intermediate.ToPem() + pki.root.ToPem();
  CHECK(Must(InspectCertificateFile(bundle)).certificateCount == 3);
  CHECK(Fingerprints(Must(ParseCertificates(bundle))) == Fingerprints({pki.leaf, pki.intermediate, pki.root}));
}

TEST_CASE("CRLF line endings are reported", "[pki][rule:D2]") {
  std::string pem = SharedPki().leaf.ToPem();
  std::string crlf;
  for (char c : pem) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  const CertificateFileInfo info = Must(InspectCertificateFile(crlf));
  CHECK(info.hasCarriageReturns);
  CHECK(info.hasTrailingBlankLines);  // "\r\n" is not exactly "\n" after END
  CHECK(Must(ParseCertificates(crlf)).front() == SharedPki().leaf);
}

TEST_CASE("trailing blank lines after END are reported", "[pki][rule:D2]") {
  const std::string pem = SharedPki().leaf.ToPem();
  CHECK(Must(InspectCertificateFile(pem + "\n")).hasTrailingBlankLines);
  CHECK(Must(InspectCertificateFile(pem + "  \n")).hasTrailingBlankLines);
  CHECK(Must(InspectCertificateFile(pem.substr(0, pem.size() - 1))).hasTrailingBlankLines);  // no newline at all
  CHECK_FALSE(Must(InspectCertificateFile(pem)).hasCarriageReturns);
  CHECK_FALSE(Must(InspectCertificateFile(pem)).hasTrailingBlankLines);
}

TEST_CASE("a DER certificate parses to the same fingerprint as its PEM", "[pki][rule:D1][rule:U4]") {
  const Certificate& leaf = SharedPki().leaf;
  const std::string der = leaf.ToDer();
  const CertificateFileInfo info = Must(InspectCertificateFile(der));
  CHECK(info.format == CertificateFileInfo::kDer);
  CHECK(FormatName(info.format) == "DER");
  CHECK(info.certificateCount == 1);
  CHECK(Fingerprints(Must(ParseCertificates(der))) == Fingerprints(Must(ParseCertificates(leaf.ToPem()))));
}

TEST_CASE("PKCS#7 bundles in PEM and DER give their certificates", "[pki][rule:D1][rule:U4]") {
  const auto& pki = SharedPki();
  const std::vector<Certificate> chain = {pki.leaf, pki.intermediate};
  const std::string pem = Pkcs7Bundle(chain, Encoding::kPem);
  REQUIRE(pem.rfind("-----BEGIN PKCS7-----", 0) == 0);
  const CertificateFileInfo pemInfo = Must(InspectCertificateFile(pem));
  CHECK(pemInfo.format == CertificateFileInfo::kPkcs7Pem);
  CHECK(pemInfo.certificateCount == 2);
  CHECK(Fingerprints(Must(ParseCertificates(pem))) == Fingerprints(chain));

  const std::string der = Pkcs7Bundle(chain, Encoding::kDer);
  const CertificateFileInfo derInfo = Must(InspectCertificateFile(der));
  CHECK(derInfo.format == CertificateFileInfo::kPkcs7Der);
  CHECK(FormatName(derInfo.format) == "PKCS#7 (DER)");
  CHECK(Fingerprints(Must(ParseCertificates(der))) == Fingerprints(chain));
}

TEST_CASE("a ZIP archive is refused under rule D1", "[pki][rule:D1]") {
  const std::string zip = std::string("PK\x03\x04", 4) + std::string(40, '\0');
  Result<CertificateFileInfo> info = InspectCertificateFile(zip);
  REQUIRE_FALSE(info.ok());
  CHECK(info.status().rule() == "D1");
  CHECK(info.status().message() == "a ZIP archive, not a PEM certificate: extract it first");
  CHECK(ParseCertificates(zip).status().rule() == "D1");
}

TEST_CASE("garbage, empty and truncated input give clear errors", "[pki]") {
  CHECK(ParseCertificates("hello world").status().message() == "not a certificate: no PEM block and not DER");
  CHECK(ParseCertificates("").status().message() == "empty file, not a certificate");
  CHECK(ParseCertificates(std::string("\x30\x03\x02\x01\x01", 5))
            .status()
            .message()
            .rfind("not a certificate: no PEM block and not DER", 0) == 0);
  const std::string pem = SharedPki().leaf.ToPem();
  const std::string truncated = pem.substr(0, pem.size() / 2);
  Result<std::vector<Certificate>> parsed = ParseCertificates(truncated);
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.status().message() == "truncated PEM: block #1 (-----BEGIN CERTIFICATE-----) has no END line");
  CHECK(ParseCertificates(pem + truncated).status().message() ==
        "truncated PEM: block #2 (-----BEGIN CERTIFICATE-----) has no END line");
  std::string corrupt = pem;
  corrupt[100] = '!';
  CHECK(ParseCertificates(corrupt).status().message() == "malformed PEM block #1: bad base64 decode");
}

TEST_CASE("non-certificate PEM blocks are skipped but listed", "[pki]") {
  const auto& pki = SharedPki();
  const std::string keyPem = Must(pki.leafKey.ToPem()).str();
  const std::string combined = pki.leaf.ToPem() + keyPem;
  const CertificateFileInfo info = Must(InspectCertificateFile(combined));
  CHECK(info.certificateCount == 1);
  CHECK(info.otherPemBlocks == std::vector<std::string>{"PRIVATE KEY"});
  Result<std::vector<Certificate>> onlyKey = ParseCertificates(keyPem);
  REQUIRE_FALSE(onlyKey.ok());
  CHECK(onlyKey.status().message() == "no certificate in the PEM file (found: PRIVATE KEY)");
}

}  // namespace
}  // namespace pkiform::pki
