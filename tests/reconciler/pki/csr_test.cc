#include "reconciler/pki/csr.h"

#include <catch2/catch.hpp>

#include "pki_test_support.h"

namespace pkiform::pki {
namespace {

using testing::Must;
using testing::NewP256Key;

CsrRequest UcmRequest() {
  CsrRequest request;
  request.subject.commonName = "ucm-pub.example.com";
  request.subject.organization = "Example Corp";
  request.subject.organizationalUnit = "Voice";
  request.subject.country = "NO";
  request.dnsNames = {"ucm-pub.example.com", "ucm-sub1.example.com"};
  request.ipAddresses = {"192.0.2.20"};
  request.keyUsage = {"digitalSignature", "keyEncipherment", "dataEncipherment"};
  request.extendedKeyUsage = {"serverAuth", "clientAuth", "ipsecEndSystem"};
  return request;
}

TEST_CASE("a created CSR carries the requested subject, names and usages", "[pki][rule:U2]") {
  const PrivateKey key = NewP256Key();
  const Csr csr = Must(Csr::Create(UcmRequest(), key));
  CHECK(csr.Subject() == UcmRequest().subject);
  CHECK(csr.DnsNames() == UcmRequest().dnsNames);
  CHECK(csr.IpAddresses() == UcmRequest().ipAddresses);
  CHECK(csr.KeyUsage() == UcmRequest().keyUsage);
  CHECK(csr.ExtendedKeyUsage() == UcmRequest().extendedKeyUsage);
  CHECK_FALSE(csr.RequestsCa());
  CHECK(csr.Key().ToString() == "ECDSA P-256");
  CHECK(csr.PublicKeyDigest() == key.PublicKeyDigest());
  CHECK(csr.VerifySignature().ok());
  CHECK(X509_REQ_get_signature_nid(csr.get()) == NID_ecdsa_with_SHA256);
}

TEST_CASE("an RSA CSR is signed with SHA-256", "[pki]") {
  const Csr csr = Must(Csr::Create(UcmRequest(), testing::SharedRsa2048Key()));
  CHECK(X509_REQ_get_signature_nid(csr.get()) == NID_sha256WithRSAEncryption);
  CHECK(csr.Key() == KeySpec::Rsa(2048));
}

TEST_CASE("a CSR survives PEM output and input", "[pki][rule:U4]") {
  const PrivateKey key = NewP256Key();
  const Csr csr = Must(Csr::Create(UcmRequest(), key));
  const std::string pem = csr.ToPem();
  CHECK(pem.rfind("-----BEGIN CERTIFICATE REQUEST-----\n", 0) == 0);
  CHECK(pem.substr(pem.size() - 34) == "-----END CERTIFICATE REQUEST-----\n");
  const Csr reread = Must(Csr::FromPem(pem));
  CHECK(reread.Subject() == UcmRequest().subject);
  CHECK(reread.DnsNames() == UcmRequest().dnsNames);
  CHECK(reread.KeyUsage().count("dataEncipherment") == 1);
  CHECK(reread.PublicKeyDigest() == key.PublicKeyDigest());
  CHECK(reread.VerifySignature().ok());
  CHECK(reread.ToPem() == pem);
}

TEST_CASE("a CSR without extensions reads as requesting nothing", "[pki]") {
  CsrRequest request;
  request.subject.commonName = "bare";
  const Csr csr = Must(Csr::Create(request, NewP256Key()));
  CHECK(csr.DnsNames().empty());
  CHECK(csr.KeyUsage().empty());
  CHECK(csr.ExtendedKeyUsage().empty());
  CHECK(csr.VerifySignature().ok());
}

TEST_CASE("a tampered CSR fails signature verification", "[pki]") {
  const Csr csr = Must(Csr::Create(UcmRequest(), NewP256Key()));
  // Swap in another key: the request no longer proves possession of it.
  const PrivateKey other = NewP256Key();
  REQUIRE(X509_REQ_set_pubkey(csr.get(), other.get()) == 1);
  const Status status = csr.VerifySignature();
  REQUIRE_FALSE(status.ok());
  CHECK(status.message().rfind("the CSR's signature does not verify with its own public key", 0) == 0);
}

TEST_CASE("a CSR OpenSSL reads but writes back unreadable is refused", "[pki]") {
  const Csr csr = Must(Csr::Create(UcmRequest(), testing::SharedRsa2048Key()));
  unsigned char* bytes = nullptr;
  const int length = i2d_X509_REQ(csr.get(), &bytes);
  REQUIRE(length > 0);
  std::string der(reinterpret_cast<const char*>(bytes), static_cast<size_t>(length));
  OPENSSL_free(bytes);
  REQUIRE(Csr::FromPem(testing::PemBlock("CERTIFICATE REQUEST", der)).ok());
  // A pending request on a host, or one an external issuer's folder holds, written back to a
  // requests folder would be unreadable.
  const size_t outer = der.rfind(testing::kRsaSha256Algorithm);
  REQUIRE(outer != std::string::npos);
  der.replace(outer, 15, testing::kRsaSha256AlgorithmTaggedZero);
  auto refused = Csr::FromPem(testing::PemBlock("CERTIFICATE REQUEST", der));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().message().find("not a DER certificate request: OpenSSL reads it but writes it back") !=
        std::string::npos);
  // The older label reads the same way.
  CHECK_FALSE(Csr::FromPem(testing::PemBlock("NEW CERTIFICATE REQUEST", der)).ok());
}

TEST_CASE("bad CSR input is refused with the reason", "[pki]") {
  CHECK(Csr::FromPem("nope").status().message().rfind("not a PEM certificate request: ", 0) == 0);
  CsrRequest request = UcmRequest();
  request.keyUsage.insert("signEverything");
  CHECK(Csr::Create(request, NewP256Key()).status().message().rfind("unknown key usage 'signEverything'", 0) == 0);
  request = UcmRequest();
  request.subject.country = "Norway";
  CHECK(Csr::Create(request, NewP256Key()).status().message() == "country 'Norway' must be a two-letter code");
}

}  // namespace
}  // namespace pkiform::pki
