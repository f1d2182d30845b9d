#include "reconciler/pki/certificate.h"

#include <catch2/catch.hpp>

#include "pki_test_support.h"
#include "reconciler/pki/certificate_file.h"
#include "reconciler/pki/digest.h"

namespace pkiform::pki {
namespace {

using testing::At;
using testing::Must;
using testing::SharedPki;

TEST_CASE("a signed leaf reports its names, usages and issuer", "[pki]") {
  const Certificate& leaf = SharedPki().leaf;
  CHECK(leaf.Subject().ToString() == "CN=vcs1.example.com, O=Example Corp, C=NO");
  CHECK(leaf.Issuer().ToString() == "CN=Test Issuing CA, O=Example Corp, C=NO");
  CHECK(leaf.DnsNames() == std::vector<std::string>{"vcs1.example.com"});
  CHECK(leaf.IpAddresses().empty());
  CHECK(leaf.KeyUsage() == std::set<std::string>{"digitalSignature", "keyEncipherment"});
  CHECK(leaf.ExtendedKeyUsage() == std::set<std::string>{"serverAuth", "clientAuth"});
  CHECK(leaf.Key().ToString() == "ECDSA P-256");
  CHECK(leaf.SignatureKeyAlgorithm() == "ecdsa");
  CHECK_FALSE(leaf.IsCa());
  CHECK_FALSE(leaf.PathLength().has_value());
  CHECK_FALSE(leaf.IsSelfIssued());
  CHECK_FALSE(leaf.IsSelfSigned());
  CHECK(leaf.CrlDistributionPoints().empty());
  CHECK(leaf.OcspUrls().empty());
}

TEST_CASE("validity dates are read as time points", "[pki]") {
  const Certificate& leaf = SharedPki().leaf;
  CHECK(FormatRfc3339Utc(leaf.NotBefore()) == "2026-01-01T00:00:00Z");
  CHECK(FormatRfc3339Utc(leaf.NotAfter()) == "2027-02-02T00:00:00Z");
}

TEST_CASE("the root is a self-signed CA", "[pki]") {
  const Certificate& root = SharedPki().root;
  CHECK(root.IsCa());
  CHECK(root.IsSelfIssued());
  CHECK(root.IsSelfSigned());
  CHECK(root.KeyUsage() == std::set<std::string>{"keyCertSign", "cRLSign"});
  CHECK(SharedPki().intermediate.IsCa());
  CHECK_FALSE(SharedPki().intermediate.IsSelfSigned());
}

TEST_CASE("a certificate matches its own private key and no other", "[pki]") {
  const auto& pki = SharedPki();
  CHECK(pki.leaf.PublicKeyDigest() == pki.leafKey.PublicKeyDigest());
  CHECK(pki.leaf.PublicKeyDigest() != pki.intermediateKey.PublicKeyDigest());
  CHECK(pki.root.PublicKeyDigest() == pki.rootKey.PublicKeyDigest());
}

TEST_CASE("the SHA-256 fingerprint is the colon form of the DER digest", "[pki]") {
  const Certificate& leaf = SharedPki().leaf;
  const std::string fingerprint = leaf.FingerprintSha256();
  CHECK(fingerprint.size() == 32 * 3 - 1);
  std::string expected;
  const std::string hex = Sha256Hex(leaf.ToDer());
  for (size_t i = 0; i < hex.size(); i += 2) {
    if (!expected.empty()) expected += ':';
    expected += static_cast<char>(std::toupper(hex[i]));
    expected += static_cast<char>(std::toupper(hex[i + 1]));
  }
  CHECK(fingerprint == expected);
  CHECK(SharedPki().root.FingerprintSha256() != fingerprint);
}

TEST_CASE("PEM and DER round trips give the same certificate", "[pki]") {
  const Certificate& leaf = SharedPki().leaf;
  const std::string pem = leaf.ToPem();
  CHECK(pem.rfind("-----BEGIN CERTIFICATE-----\n", 0) == 0);
  CHECK(pem.substr(pem.size() - 26) == "-----END CERTIFICATE-----\n");
  CHECK(pem.find('\r') == std::string::npos);
  CHECK(Must(Certificate::FromPem(pem)) == leaf);
  CHECK(Must(Certificate::FromDer(leaf.ToDer())).FingerprintSha256() == leaf.FingerprintSha256());
  CHECK_FALSE(Certificate::FromDer(leaf.ToDer() + "x").ok());
  CHECK_FALSE(Certificate::FromPem("no pem here").ok());
}

TEST_CASE("copies of a Certificate share one X509", "[pki]") {
  Certificate copy = SharedPki().leaf;
  CHECK(copy.get() == SharedPki().leaf.get());
  copy = SharedPki().root;
  CHECK(copy == SharedPki().root);
  CHECK_FALSE(copy == SharedPki().leaf);
}

TEST_CASE("serial numbers print as uppercase hex and parse leniently", "[pki]") {
  Asn1IntegerPtr serial = Must(SerialFromHex("0a:1B:ff"));
  CHECK(SerialToHex(serial.get()) == "0A1BFF");
  CHECK(Must(NormalizeSerialHex("0x00ff")) == "FF");
  CHECK(Must(NormalizeSerialHex("-1")) == "-01");
  CHECK_FALSE(SerialFromHex("xyz").ok());
  CHECK_FALSE(SerialFromHex("").ok());
  const std::string leafSerial = SharedPki().leaf.SerialHex();
  CHECK(leafSerial.size() == 32);  // 16 random bytes, first one in 0x40..0x7F
  CHECK(leafSerial != SharedPki().root.SerialHex());
}

TEST_CASE("an RSA-signed certificate reports rsa as its signature key algorithm", "[pki][rule:U5]") {
  const PrivateKey& rsaKey = testing::SharedRsa2048Key();
  const Certificate rsaRoot = Must(SelfSign(rsaKey, testing::CaPolicy("RSA Root", At("2025-01-01T00:00:00Z"), 365)));
  CHECK(rsaRoot.SignatureKeyAlgorithm() == "rsa");
  CHECK(rsaRoot.Key() == KeySpec::Rsa(2048));
  // An EC leaf signed by the RSA CA: the certified key is ECDSA, the signer RSA.
  const PrivateKey ecKey = testing::NewP256Key();
  const Certificate ecLeaf = Must(SignCsr(testing::CsrFor("ucm.example.com", ecKey), rsaRoot, rsaKey,
                                          testing::LeafPolicy("ucm.example.com", At("2025-02-01T00:00:00Z"), 90)));
  CHECK(ecLeaf.Key().algorithm == KeySpec::kEcdsa);
  CHECK(ecLeaf.SignatureKeyAlgorithm() == "rsa");
  CHECK(SharedPki().leaf.SignatureKeyAlgorithm() == "ecdsa");
}

TEST_CASE("a certificate OpenSSL reads but writes back unreadable is refused; one it writes back readable is kept",
          "[pki]") {
  const PrivateKey& rsaKey = testing::SharedRsa2048Key();
  const Certificate root = Must(SelfSign(rsaKey, testing::CaPolicy("RSA Root", At("2025-01-01T00:00:00Z"), 365)));
  const std::string der = root.ToDer();
  // The algorithm is in the TBS, and after it as the signature's algorithm.
  const size_t outer = der.rfind(testing::kRsaSha256Algorithm);
  REQUIRE(outer != std::string::npos);
  REQUIRE(outer > der.find(testing::kRsaSha256Algorithm));

  // A backup or a trust store written from this certificate would hold an unreadable one.
  std::string hostile = der;
  hostile.replace(outer, 15, testing::kRsaSha256AlgorithmTaggedZero);
  for (const auto& refused :
       {Certificate::FromDer(hostile), Certificate::FromPem(testing::PemBlock("CERTIFICATE", hostile))}) {
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.status().message().find("not a DER certificate: OpenSSL reads it but writes it back") !=
          std::string::npos);
  }
  auto file =
      ParseCertificates(testing::PemBlock("CERTIFICATE", der) + testing::PemBlock("CERTIFICATE", hostile));
  REQUIRE_FALSE(file.ok());
  CHECK(file.status().message().find("not a DER certificate") != std::string::npos);
  CHECK_FALSE(ParseCertificates(hostile).ok());

  // BER that OpenSSL writes back as DER (the outer length in three bytes where two do): the same
  // certificate, in other bytes, that reads back.
  std::string lenient = der;
  REQUIRE(lenient.substr(0, 2) == "\x30\x82");
  lenient.replace(0, 2, std::string("\x30\x83\x00", 3));
  for (const auto& kept :
       {Certificate::FromDer(lenient), Certificate::FromPem(testing::PemBlock("CERTIFICATE", lenient))}) {
    REQUIRE(kept.ok());
    CHECK(*kept == root);
    CHECK(kept->ToDer() == der);
    CHECK(Must(Certificate::FromPem(kept->ToPem())) == root);
  }
}

}  // namespace
}  // namespace pkiform::pki
