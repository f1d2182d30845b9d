#include "reconciler/pki/signer.h"

#include <openssl/pem.h>

#include <catch2/catch.hpp>

#include "pki_test_support.h"
#include "reconciler/pki/chain.h"
#include "reconciler/pki/extensions.h"

namespace pkiform::pki {
namespace {

using testing::At;
using testing::CaPolicy;
using testing::Days;
using testing::LeafPolicy;
using testing::Must;
using testing::NewP256Key;
using testing::SharedPki;

// A CSR asking for everything a careless CA might copy: cA=TRUE, codeSigning, extra names.
Csr GreedyCsr(const PrivateKey& key) {
  X509ReqPtr request(X509_REQ_new());
  REQUIRE(request);
  X509NamePtr name = Must(ToX509Name(testing::Name("greedy.example.com")));
  REQUIRE(X509_REQ_set_subject_name(request.get(), name.get()) == 1);
  REQUIRE(X509_REQ_set_pubkey(request.get(), key.get()) == 1);
  StackOfX509ExtensionPtr extensions(sk_X509_EXTENSION_new_null());
  std::vector<X509ExtensionPtr> wishes;
  wishes.push_back(Must(MakeBasicConstraintsExtension(true, -1)));
  wishes.push_back(Must(MakeExtendedKeyUsageExtension({"codeSigning", "serverAuth"})));
  wishes.push_back(Must(MakeSubjectAltNameExtension({"evil.example.org"}, {})));
  for (auto& extension : wishes) REQUIRE(sk_X509_EXTENSION_push(extensions.get(), extension.release()) > 0);
  REQUIRE(X509_REQ_add_extensions(request.get(), extensions.get()) == 1);
  REQUIRE(X509_REQ_sign(request.get(), key.get(), EVP_sha256()) > 0);
  BioPtr bio(BIO_new(BIO_s_mem()));
  REQUIRE(PEM_write_bio_X509_REQ(bio.get(), request.get()) == 1);
  return Must(Csr::FromPem(BioContents(bio.get())));
}

TEST_CASE("the signer ignores what the CSR asks for beyond the policy", "[pki]") {
  const auto& pki = SharedPki();
  const PrivateKey key = NewP256Key();
  const Csr csr = GreedyCsr(key);
  REQUIRE(csr.RequestsCa());
  REQUIRE(csr.ExtendedKeyUsage().count("codeSigning") == 1);
  SigningPolicy policy = LeafPolicy("greedy.example.com", At("2026-01-01T00:00:00Z"), 30);
  policy.subject.organizationalUnit = "Set By Policy";
  const Certificate cert = Must(SignCsr(csr, pki.intermediate, pki.intermediateKey, policy));
  CHECK_FALSE(cert.IsCa());
  CHECK(cert.ExtendedKeyUsage() == std::set<std::string>{"serverAuth", "clientAuth"});
  CHECK(cert.DnsNames() == std::vector<std::string>{"greedy.example.com"});
  CHECK(cert.Subject().organizationalUnit == "Set By Policy");
  CHECK(cert.PublicKeyDigest() == key.PublicKeyDigest());
}

TEST_CASE("key usage including dataEncipherment survives CA signing", "[pki][rule:U2]") {
  const auto& pki = SharedPki();
  const PrivateKey key = NewP256Key();
  CsrRequest request;
  request.subject = testing::Name("ucm-pub.example.com");
  request.keyUsage = {"digitalSignature", "keyEncipherment", "dataEncipherment"};
  request.extendedKeyUsage = {"serverAuth", "clientAuth", "ipsecEndSystem"};
  const Csr csr = Must(Csr::Create(request, key));
  SigningPolicy policy = LeafPolicy("ucm-pub.example.com", At("2026-01-01T00:00:00Z"), 30);
  policy.keyUsage = csr.KeyUsage();
  policy.extendedKeyUsage = csr.ExtendedKeyUsage();
  const Certificate cert = Must(SignCsr(csr, pki.intermediate, pki.intermediateKey, policy));
  CHECK(cert.KeyUsage() == std::set<std::string>{"digitalSignature", "keyEncipherment", "dataEncipherment"});
  CHECK(cert.ExtendedKeyUsage() == std::set<std::string>{"serverAuth", "clientAuth", "ipsecEndSystem"});
}

TEST_CASE("a signed certificate links to its CA by key identifiers", "[pki]") {
  const auto& pki = SharedPki();
  CHECK(pki.leaf.SubjectKeyIdentifier() == Must(KeyIdentifierOf(pki.leafKey.get())));
  const ASN1_OCTET_STRING* authority = X509_get0_authority_key_id(pki.leaf.get());
  REQUIRE(authority != nullptr);
  CHECK(std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(authority)), ASN1_STRING_length(authority)) ==
        pki.intermediate.SubjectKeyIdentifier());
  CHECK(X509_get_signature_nid(pki.leaf.get()) == NID_ecdsa_with_SHA256);
  CHECK(IsIssuedBy(pki.leaf, pki.intermediate));
}

TEST_CASE("a P-384 CA signs with SHA-384", "[pki]") {
  const PrivateKey caKey = Must(PrivateKey::Generate(KeySpec::Ecdsa("P-384")));
  const Certificate ca = Must(SelfSign(caKey, CaPolicy("P-384 Root", At("2025-01-01T00:00:00Z"), 3650)));
  CHECK(X509_get_signature_nid(ca.get()) == NID_ecdsa_with_SHA384);
  const PrivateKey key = NewP256Key();
  const Certificate leaf = Must(SignCsr(testing::CsrFor("a.example.com", key), ca, caKey,
                                        LeafPolicy("a.example.com", At("2025-06-01T00:00:00Z"), 90)));
  CHECK(X509_get_signature_nid(leaf.get()) == NID_ecdsa_with_SHA384);
}

TEST_CASE("notAfter is capped at the CA's notAfter", "[pki]") {
  const auto& pki = SharedPki();
  const PrivateKey key = NewP256Key();
  // The intermediate ends 2029-12-31 (1826 days from 2025-01-01); ask for 10 years.
  const Certificate cert = Must(SignCsr(testing::CsrFor("long.example.com", key), pki.intermediate, pki.intermediateKey,
                                        LeafPolicy("long.example.com", At("2026-01-01T00:00:00Z"), 3650)));
  CHECK(cert.NotAfter() == pki.intermediate.NotAfter());
  CHECK(FormatRfc3339Utc(cert.NotAfter()) == "2030-01-01T00:00:00Z");
  Result<Certificate> late = SignCsr(testing::CsrFor("late.example.com", key), pki.intermediate, pki.intermediateKey,
                                     LeafPolicy("late.example.com", At("2031-01-01T00:00:00Z"), 30));
  REQUIRE_FALSE(late.ok());
  CHECK(late.status().message() ==
        "the CA certificate expires (2030-01-01T00:00:00Z) before the new certificate's notBefore "
        "(2031-01-01T00:00:00Z)");
}

TEST_CASE("policy extras: serial, path length, IP SANs, CRL and OCSP addresses", "[pki]") {
  const auto& pki = SharedPki();
  const PrivateKey key = NewP256Key();
  SigningPolicy policy = CaPolicy("Sub CA", At("2026-01-01T00:00:00Z"), 365);
  policy.pathLength = 0;
  policy.serialHex = "0123456789abcdef";
  policy.ipAddresses = {"198.51.100.7"};
  policy.crlDistributionPoints = {"http://crl.example.com/issuing.crl"};
  policy.ocspUrls = {"http://ocsp.example.com"};
  const Certificate cert =
      Must(SignCsr(testing::CaCsrFor("Sub CA", key), pki.intermediate, pki.intermediateKey, policy));
  CHECK(cert.IsCa());
  CHECK(cert.PathLength() == std::optional<int>(0));
  CHECK(cert.SerialHex() == "0123456789ABCDEF");
  CHECK(cert.IpAddresses() == std::vector<std::string>{"198.51.100.7"});
  CHECK(cert.CrlDistributionPoints() == std::vector<std::string>{"http://crl.example.com/issuing.crl"});
  CHECK(cert.OcspUrls() == std::vector<std::string>{"http://ocsp.example.com"});
}

TEST_CASE("SelfSign makes a self-signed certificate from the policy", "[pki]") {
  const PrivateKey key = NewP256Key();
  SigningPolicy policy = LeafPolicy("dms.example.com", At("2026-03-01T12:00:00Z"), 365);
  const Certificate cert = Must(SelfSign(key, policy));
  CHECK(cert.IsSelfSigned());
  CHECK_FALSE(cert.IsCa());
  CHECK(cert.Subject() == policy.subject);
  CHECK(cert.Issuer() == policy.subject);
  CHECK(FormatRfc3339Utc(cert.NotBefore()) == "2026-03-01T12:00:00Z");
  CHECK(FormatRfc3339Utc(cert.NotAfter()) == "2027-03-01T12:00:00Z");
  CHECK(cert.PublicKeyDigest() == key.PublicKeyDigest());
  CHECK(cert.SubjectKeyIdentifier() == Must(KeyIdentifierOf(key.get())));
}

TEST_CASE("the signer refuses a bad policy, a wrong CA key, a non-CA and a forged CSR", "[pki]") {
  const auto& pki = SharedPki();
  const PrivateKey key = NewP256Key();
  const Csr csr = testing::CsrFor("x.example.com", key);
  const SigningPolicy good = LeafPolicy("x.example.com", At("2026-01-01T00:00:00Z"), 30);

  SigningPolicy noStart = good;
  noStart.notBefore = TimePoint{};
  CHECK(SelfSign(key, noStart).status().message() == "signing policy: notBefore is not set");
  SigningPolicy noValidity = good;
  noValidity.validity = std::chrono::seconds(0);
  CHECK(SelfSign(key, noValidity).status().message() == "signing policy: validity must be positive");
  SigningPolicy noSubject = good;
  noSubject.subject = {};
  CHECK(SelfSign(key, noSubject).status().message() == "signing policy: the subject is empty");
  SigningPolicy badSerial = good;
  badSerial.serialHex = "-05";
  CHECK(SelfSign(key, badSerial).status().message().rfind("signing policy: serial -05 must be positive", 0) == 0);

  CHECK(SignCsr(csr, pki.intermediate, pki.rootKey, good).status().message() ==
        "the CA key does not belong to the CA certificate 'CN=Test Issuing CA, O=Example Corp, C=NO'");
  CHECK(SignCsr(csr, pki.leaf, pki.leafKey, good).status().message() ==
        "'CN=vcs1.example.com, O=Example Corp, C=NO' is not a CA certificate (basicConstraints cA is not TRUE)");

  const Csr forged = testing::CsrFor("forged.example.com", key);
  REQUIRE(X509_REQ_set_pubkey(forged.get(), NewP256Key().get()) == 1);
  CHECK(SignCsr(forged, pki.intermediate, pki.intermediateKey, good)
            .status()
            .message()
            .rfind("the CSR's signature does not verify", 0) == 0);
}

TEST_CASE("random serials are positive and distinct", "[pki]") {
  const PrivateKey key = NewP256Key();
  const SigningPolicy policy = LeafPolicy("s.example.com", At("2026-01-01T00:00:00Z"), 1);
  const std::string first = Must(SelfSign(key, policy)).SerialHex();
  const std::string second = Must(SelfSign(key, policy)).SerialHex();
  CHECK(first.size() == 32);
  CHECK(first != second);
  CHECK(first.front() >= '4');
  CHECK(first.front() <= '7');
}

TEST_CASE("RandomSerialHex: the same serials, for signing elsewhere", "[pki]") {
  const std::string a = Must(RandomSerialHex());
  const std::string b = Must(RandomSerialHex());
  CHECK(a.size() == 32);
  CHECK(a != b);
  CHECK(a.find_first_not_of("0123456789ABCDEF") == std::string::npos);
  CHECK(std::string("4567").find(a[0]) != std::string::npos);  // top bit clear, next bit set
}

}  // namespace
}  // namespace pkiform::pki

