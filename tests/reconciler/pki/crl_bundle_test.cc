// CRL bundles: several CRLs in one PEM file, as nginx and HAProxy read them.
#include "reconciler/pki/crl_bundle.h"

#include <catch2/catch.hpp>

#include "pki_test_support.h"

namespace pkiform::pki {
namespace {

using testing::At;
using testing::Must;
using testing::SharedPki;

Crl RootCrl() {
  const auto& pki = SharedPki();
  return Must(CreateCrl(pki.root, pki.rootKey, {"0B"}, At("2026-05-01T00:00:00Z"), At("2026-06-01T00:00:00Z")));
}

Crl IssuingCrl() {
  const auto& pki = SharedPki();
  return Must(CreateCrl(pki.intermediate, pki.intermediateKey, {pki.leaf.SerialHex()}, At("2026-05-02T00:00:00Z"),
                        At("2026-06-02T00:00:00Z")));
}

TEST_CASE("a PEM bundle reads back every CRL in order", "[pki][crl]") {
  const Crl root = RootCrl(), issuing = IssuingCrl();
  // Comments, CRLF line endings and other PEM blocks around the CRLs, as people leave them in files.
  std::string text = "# fleet CRLs\n" + root.ToPem() + "\n" + SharedPki().root.ToPem() + issuing.ToPem();
  std::string crlf;
  for (char c : text) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  for (const std::string& bytes : {text, crlf}) {
    auto crls = Must(ParseCrlBundle(bytes));
    REQUIRE(crls.size() == 2);
    CHECK(crls[0].ToDer() == root.ToDer());
    CHECK(crls[1].ToDer() == issuing.ToDer());
  }
}

TEST_CASE("a DER file is a bundle of one", "[pki][crl]") {
  const Crl root = RootCrl();
  auto crls = Must(ParseCrlBundle(root.ToDer()));
  REQUIRE(crls.size() == 1);
  CHECK(crls[0].ToDer() == root.ToDer());
}

TEST_CASE("CrlBundlePem writes each CRL's normalised PEM, and reads back the same", "[pki][crl]") {
  const std::vector<Crl> crls = {RootCrl(), IssuingCrl()};
  const std::string pem = CrlBundlePem(crls);
  CHECK(pem == crls[0].ToPem() + crls[1].ToPem());
  CHECK(CrlBundlePem(Must(ParseCrlBundle(pem))) == pem);
  CHECK(CrlBundlePem({}).empty());
}

TEST_CASE("ParseCrlBundle refuses text without a CRL and broken blocks, naming the block", "[pki][crl]") {
  CHECK(ParseCrlBundle(SharedPki().root.ToPem()).status().message() ==
        "no CRL in the PEM text (no BEGIN X509 CRL block)");
  std::string second = RootCrl().ToPem();
  second.erase(second.find("-----END"));  // cut short: no END line
  CHECK(ParseCrlBundle(IssuingCrl().ToPem() + second).status().message() ==
        "truncated PEM: block #2 (-----BEGIN X509 CRL-----) has no END line");
  CHECK_THAT(ParseCrlBundle("-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n").status().message(),
             Catch::StartsWith("PEM block #1 is not a valid CRL: "));
  CHECK_THAT(ParseCrlBundle("garbage").status().message(), Catch::StartsWith("not a CRL: no PEM block and not DER"));
}

}  // namespace
}  // namespace pkiform::pki
