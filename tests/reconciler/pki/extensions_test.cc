#include "reconciler/pki/extensions.h"

#include <catch2/catch.hpp>

#include "pki_test_support.h"

namespace pkiform::pki {
namespace {

using testing::Must;

// The extension's value decoded back into OpenSSL's structure.
template <typename Handle>
Handle Decode(const X509ExtensionPtr& extension) {
  return Handle(static_cast<typename Handle::element_type*>(X509V3_EXT_d2i(extension.get())));
}

TEST_CASE("key usage names map to the RFC 5280 bits and back", "[pki][rule:U2]") {
  const std::set<std::string> usages = {"digitalSignature", "keyEncipherment", "dataEncipherment"};
  X509ExtensionPtr extension = Must(MakeKeyUsageExtension(usages));
  CHECK(X509_EXTENSION_get_critical(extension.get()) == 1);
  Asn1BitStringPtr bits = Decode<Asn1BitStringPtr>(extension);
  CHECK(ASN1_BIT_STRING_get_bit(bits.get(), 0) == 1);
  CHECK(ASN1_BIT_STRING_get_bit(bits.get(), 1) == 0);
  CHECK(ASN1_BIT_STRING_get_bit(bits.get(), 3) == 1);
  CHECK(KeyUsageOf(bits.get()) == usages);
  const std::set<std::string> all(KeyUsageNames().begin(), KeyUsageNames().end());
  CHECK(KeyUsageOf(Decode<Asn1BitStringPtr>(Must(MakeKeyUsageExtension(all))).get()) == all);
  CHECK(KeyUsageOf(nullptr).empty());
}

TEST_CASE("unknown or empty key usages are refused", "[pki]") {
  Result<X509ExtensionPtr> typo = MakeKeyUsageExtension({"digitalSignature", "dataEncypherment"});
  REQUIRE_FALSE(typo.ok());
  CHECK(typo.status().message().rfind("unknown key usage 'dataEncypherment'", 0) == 0);
  CHECK_FALSE(MakeKeyUsageExtension({}).ok());
}

TEST_CASE("extended key usages round-trip, unknown OIDs as dotted text", "[pki]") {
  const std::set<std::string> usages = {"serverAuth", "clientAuth", "ipsecUser", "1.3.6.1.4.1.311.20.2.2"};
  X509ExtensionPtr extension = Must(MakeExtendedKeyUsageExtension(usages));
  CHECK(X509_EXTENSION_get_critical(extension.get()) == 0);
  CHECK(ExtendedKeyUsageOf(Decode<ExtendedKeyUsagePtr>(extension).get()) == usages);
  const std::set<std::string> named(ExtendedKeyUsageNames().begin(), ExtendedKeyUsageNames().end());
  CHECK(named.size() == 9);
  CHECK(ExtendedKeyUsageOf(Decode<ExtendedKeyUsagePtr>(Must(MakeExtendedKeyUsageExtension(named))).get()) == named);
}

TEST_CASE("extended key usage names must be known or dotted OIDs", "[pki]") {
  for (const char* bad : {"commonName", "TLS Web Server Authentication", "1..2", "server auth"}) {
    INFO(bad);
    Result<X509ExtensionPtr> extension = MakeExtendedKeyUsageExtension({bad});
    REQUIRE_FALSE(extension.ok());
    CHECK(extension.status().message().rfind(std::string("unknown extended key usage '") + bad + "'", 0) == 0);
  }
}

TEST_CASE("subject alternative names keep DNS names and IPv4/IPv6 addresses", "[pki]") {
  X509ExtensionPtr extension =
      Must(MakeSubjectAltNameExtension({"vcs1.example.com", "vcs.example.com"}, {"192.0.2.10", "2001:DB8::1"}));
  const SubjectAltNames names = SubjectAltNamesOf(Decode<GeneralNamesPtr>(extension).get());
  CHECK(names.dnsNames == std::vector<std::string>{"vcs1.example.com", "vcs.example.com"});
  CHECK(names.ipAddresses == std::vector<std::string>{"192.0.2.10", "2001:db8::1"});
}

TEST_CASE("invalid SAN values are refused by name", "[pki]") {
  CHECK(MakeSubjectAltNameExtension({}, {"300.1.1.1"}).status().message() == "invalid IP address '300.1.1.1'");
  CHECK(MakeSubjectAltNameExtension({"has space.example.com"}, {})
            .status()
            .message()
            .rfind("invalid DNS name 'has space.example.com'", 0) == 0);
  CHECK_FALSE(MakeSubjectAltNameExtension({""}, {}).ok());
}

TEST_CASE("basic constraints carry CA-ness and path length", "[pki]") {
  BasicConstraintsPtr ca = Decode<BasicConstraintsPtr>(Must(MakeBasicConstraintsExtension(true, 0)));
  CHECK(ca->ca != 0);
  REQUIRE(ca->pathlen != nullptr);
  CHECK(ASN1_INTEGER_get(ca->pathlen) == 0);
  BasicConstraintsPtr leaf = Decode<BasicConstraintsPtr>(Must(MakeBasicConstraintsExtension(false, 3)));
  CHECK(leaf->ca == 0);
  CHECK(leaf->pathlen == nullptr);
}

TEST_CASE("CRL distribution points and OCSP URIs round-trip", "[pki]") {
  const std::vector<std::string> crls = {"http://crl.example.com/root.crl", "http://backup.example.com/root.crl"};
  CHECK(CrlUrisOf(Decode<CrlDistPointsPtr>(Must(MakeCrlDistributionPointsExtension(crls))).get()) == crls);
  const std::vector<std::string> ocsp = {"http://ocsp.example.com"};
  CHECK(OcspUrisOf(Decode<AuthorityInfoAccessPtr>(Must(MakeOcspAccessExtension(ocsp))).get()) == ocsp);
}

TEST_CASE("a key identifier is the 20-byte SHA-1 of the public key bits", "[pki]") {
  const PrivateKey key = testing::NewP256Key();
  const std::string id = Must(KeyIdentifierOf(key.get()));
  CHECK(id.size() == 20);
  CHECK(Must(KeyIdentifierOf(key.get())) == id);
  CHECK(Must(KeyIdentifierOf(testing::NewP256Key().get())) != id);
  Asn1OctetStringPtr ski = Decode<Asn1OctetStringPtr>(Must(MakeSubjectKeyIdentifierExtension(id)));
  CHECK(std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(ski.get())), ASN1_STRING_length(ski.get())) ==
        id);
}

}  // namespace
}  // namespace pkiform::pki
