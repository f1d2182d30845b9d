#include "reconciler/pki/crl.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include "pki_test_support.h"
#include "reconciler/pki/crl_bundle.h"

namespace pkiform::pki {
namespace {

using testing::At;
using testing::Must;
using testing::SharedPki;

Crl IssuingCaCrl() {
  const auto& pki = SharedPki();
  return Must(CreateCrl(pki.intermediate, pki.intermediateKey, {pki.leaf.SerialHex(), "0a"}, At("2026-05-01T00:00:00Z"),
                        At("2026-05-08T00:00:00Z")));
}

std::vector<std::string> Sorted(std::vector<std::string> values) {
  std::sort(values.begin(), values.end());
  return values;
}

TEST_CASE("a created CRL reports its issuer, times and revoked serials", "[pki]") {
  const Crl crl = IssuingCaCrl();
  CHECK(crl.Issuer() == SharedPki().intermediate.Subject());
  CHECK(FormatRfc3339Utc(crl.ThisUpdate()) == "2026-05-01T00:00:00Z");
  REQUIRE(crl.NextUpdate().has_value());
  CHECK(FormatRfc3339Utc(*crl.NextUpdate()) == "2026-05-08T00:00:00Z");
  CHECK(Sorted(crl.RevokedSerials()) == Sorted({SharedPki().leaf.SerialHex(), "0A"}));
  CHECK(X509_CRL_get_version(crl.get()) == X509_CRL_VERSION_2);
}

TEST_CASE("a CRL parses back from PEM and DER", "[pki][rule:V10][rule:V11]") {
  const Crl crl = IssuingCaCrl();
  const std::string pem = crl.ToPem();
  CHECK(pem.rfind("-----BEGIN X509 CRL-----\n", 0) == 0);
  CHECK(pem.substr(pem.size() - 23) == "-----END X509 CRL-----\n");
  for (const std::string& bytes : {pem, crl.ToDer()}) {
    const Crl parsed = Must(Crl::Parse(bytes));
    CHECK(parsed.ToDer() == crl.ToDer());
    CHECK(Sorted(parsed.RevokedSerials()) == Sorted(crl.RevokedSerials()));
    CHECK(parsed.NextUpdate() == crl.NextUpdate());
  }
}

TEST_CASE("a CRL's signature verifies with its issuer only", "[pki]") {
  const auto& pki = SharedPki();
  const Crl crl = IssuingCaCrl();
  CHECK(crl.VerifySignature(pki.intermediate).ok());
  CHECK(crl.VerifySignature(pki.root).message() ==
        "the CRL's issuer 'CN=Test Issuing CA, O=Example Corp, C=NO' is not 'CN=Test Root CA, O=Example Corp, C=NO'");
  const Certificate impostor =
      Must(SelfSign(testing::NewP256Key(), testing::CaPolicy("Test Issuing CA", At("2025-01-01T00:00:00Z"), 3650)));
  const Status forged = crl.VerifySignature(impostor);
  REQUIRE_FALSE(forged.ok());
  CHECK(forged.message().rfind(
            "the CRL's signature does not verify with the key of 'CN=Test Issuing CA, O=Example Corp, C=NO'", 0) == 0);
}

TEST_CASE("an empty CRL has no revoked serials", "[pki]") {
  const auto& pki = SharedPki();
  const Crl crl = Must(CreateCrl(pki.root, pki.rootKey, {}, At("2026-01-01T00:00:00Z"), At("2026-02-01T00:00:00Z")));
  CHECK(crl.RevokedSerials().empty());
  CHECK(crl.VerifySignature(pki.root).ok());
}

TEST_CASE("a CRL without nextUpdate reads as having none", "[pki][rule:V12]") {
  const auto& pki = SharedPki();
  // CreateCrl always sets nextUpdate; some CAs do not, so build one by hand.
  X509CrlPtr raw(X509_CRL_new());
  REQUIRE(raw);
  REQUIRE(X509_CRL_set_issuer_name(raw.get(), X509_get_subject_name(pki.root.get())) == 1);
  Asn1TimePtr thisUpdate = Must(Asn1FromTimePoint(At("2026-01-01T00:00:00Z")));
  REQUIRE(X509_CRL_set1_lastUpdate(raw.get(), thisUpdate.get()) == 1);
  REQUIRE(X509_CRL_sign(raw.get(), pki.rootKey.get(), EVP_sha256()) > 0);
  const Crl crl = Must(Crl::Parse(Must(Crl::Adopt(std::move(raw))).ToPem()));
  CHECK_FALSE(crl.NextUpdate().has_value());
  CHECK(FormatRfc3339Utc(crl.ThisUpdate()) == "2026-01-01T00:00:00Z");
  CHECK(crl.VerifySignature(pki.root).ok());
}

TEST_CASE("a CRL's number reads in decimal; a CRL without one has none", "[pki]") {
  // CreateCrl numbers a CRL by the seconds of its thisUpdate.
  CHECK(IssuingCaCrl().Number() == std::to_string(std::chrono::floor<std::chrono::seconds>(
                                                      At("2026-05-01T00:00:00Z")).time_since_epoch().count()));
  const auto& pki = SharedPki();
  X509CrlPtr raw(X509_CRL_new());
  REQUIRE(raw);
  REQUIRE(X509_CRL_set_issuer_name(raw.get(), X509_get_subject_name(pki.root.get())) == 1);
  Asn1TimePtr thisUpdate = Must(Asn1FromTimePoint(At("2026-01-01T00:00:00Z")));
  REQUIRE(X509_CRL_set1_lastUpdate(raw.get(), thisUpdate.get()) == 1);
  REQUIRE(X509_CRL_sign(raw.get(), pki.rootKey.get(), EVP_sha256()) > 0);
  CHECK_FALSE(Must(Crl::Adopt(std::move(raw))).Number().has_value());
}

// A CRL of `ca` with thisUpdate `at` and, when `number` is not negative, that CRL number.
Crl HandMadeCrl(const Certificate& ca, const PrivateKey& key, const char* at, long number) {
  X509CrlPtr raw(X509_CRL_new());
  REQUIRE(raw);
  REQUIRE(X509_CRL_set_version(raw.get(), X509_CRL_VERSION_2) == 1);
  REQUIRE(X509_CRL_set_issuer_name(raw.get(), X509_get_subject_name(ca.get())) == 1);
  Asn1TimePtr thisUpdate = Must(Asn1FromTimePoint(At(at)));
  REQUIRE(X509_CRL_set1_lastUpdate(raw.get(), thisUpdate.get()) == 1);
  if (number >= 0) {
    Asn1IntegerPtr n(ASN1_INTEGER_new());
    REQUIRE(ASN1_INTEGER_set(n.get(), number) == 1);
    REQUIRE(X509_CRL_add1_ext_i2d(raw.get(), NID_crl_number, n.get(), 0, 0) == 1);
  }
  REQUIRE(X509_CRL_sign(raw.get(), key.get(), EVP_sha256()) > 0);
  return Must(Crl::Adopt(std::move(raw)));
}

TEST_CASE("CompareCrlAge: CRL numbers decide when both have one, else thisUpdate", "[pki]") {
  const auto& pki = SharedPki();
  const Crl early5 = HandMadeCrl(pki.root, pki.rootKey, "2026-01-01T00:00:00Z", 5);
  const Crl late3 = HandMadeCrl(pki.root, pki.rootKey, "2026-02-01T00:00:00Z", 3);
  const Crl lateNone = HandMadeCrl(pki.root, pki.rootKey, "2026-02-01T00:00:00Z", -1);
  CHECK(early5.Number() == "5");
  CHECK(CompareCrlAge(early5, late3) > 0);  // a re-dated CRL with a smaller number is the older one
  CHECK(CompareCrlAge(late3, early5) < 0);
  CHECK(CompareCrlAge(early5, lateNone) < 0);  // no number on one side: thisUpdate
  CHECK(CompareCrlAge(lateNone, early5) > 0);
  CHECK(CompareCrlAge(late3, lateNone) == 0);
  CHECK(CompareCrlAge(early5, early5) == 0);
}

TEST_CASE("SameIssuer compares issuer names, not who signed", "[pki]") {
  const auto& pki = SharedPki();
  const Crl root = HandMadeCrl(pki.root, pki.rootKey, "2026-01-01T00:00:00Z", 1);
  CHECK(root.SameIssuer(HandMadeCrl(pki.root, pki.rootKey, "2026-02-01T00:00:00Z", 2)));
  CHECK_FALSE(root.SameIssuer(IssuingCaCrl()));
}

TEST_CASE("CreateCrl and Parse refuse bad input", "[pki]") {
  const auto& pki = SharedPki();
  CHECK(
      CreateCrl(pki.root, pki.rootKey, {}, At("2026-02-01T00:00:00Z"), At("2026-01-01T00:00:00Z")).status().message() ==
      "CRL nextUpdate must be after thisUpdate");
  CHECK(CreateCrl(pki.root, pki.intermediateKey, {}, At("2026-01-01T00:00:00Z"), At("2026-02-01T00:00:00Z"))
            .status()
            .message() == "the CA key does not belong to the CA certificate 'CN=Test Root CA, O=Example Corp, C=NO'");
  CHECK(CreateCrl(pki.root, pki.rootKey, {"zz"}, At("2026-01-01T00:00:00Z"), At("2026-02-01T00:00:00Z"))
            .status()
            .message() == "serial 'zz' is not hexadecimal");
  CHECK(Crl::Parse("garbage").status().message().rfind("not a CRL: no PEM block and not DER", 0) == 0);
  CHECK(Crl::Parse(std::string("PK\x03\x04zip", 7)).status().message() == "a ZIP archive, not a CRL: extract it first");
  CHECK(Crl::Parse(SharedPki().leaf.ToPem()).status().message().rfind("not a PEM CRL", 0) == 0);
}

TEST_CASE("a CRL OpenSSL reads but writes back unreadable is refused", "[pki]") {
  const PrivateKey& rsaKey = testing::SharedRsa2048Key();
  const Certificate ca = Must(SelfSign(rsaKey, testing::CaPolicy("RSA CRL CA", At("2026-01-01T00:00:00Z"), 365)));
  const Crl crl = Must(CreateCrl(ca, rsaKey, {"0a"}, At("2026-05-01T00:00:00Z"), At("2026-05-08T00:00:00Z")));
  std::string der = crl.ToDer();
  // pkiform installs CRLs on hosts as it writes them: an unreadable one would break the service's reload.
  const size_t outer = der.rfind(testing::kRsaSha256Algorithm);
  REQUIRE(outer != std::string::npos);
  REQUIRE(outer > der.find(testing::kRsaSha256Algorithm));
  der.replace(outer, 15, testing::kRsaSha256AlgorithmTaggedZero);
  const std::string pem = testing::PemBlock("X509 CRL", der);
  for (const auto& refused : {Crl::Parse(der), Crl::Parse(pem)}) {
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.status().message().find("not a DER CRL: OpenSSL reads it but writes it back") != std::string::npos);
  }
  CHECK_FALSE(ParseCrlBundle(crl.ToPem() + pem).ok());
  CHECK(ParseCrlBundle(crl.ToPem()).ok());
}

}  // namespace
}  // namespace pkiform::pki
