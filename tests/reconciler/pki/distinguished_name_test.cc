#include "reconciler/pki/distinguished_name.h"

#include <catch2/catch.hpp>

#include "pki_test_support.h"

namespace pkiform::pki {
namespace {

using testing::Must;

DistinguishedName Full() {
  DistinguishedName name;
  name.commonName = "vcs1.example.com";
  name.organization = "Example, Inc.";
  name.organizationalUnit = "Video";
  name.locality = "Oslo";
  name.state = "Oslo";
  name.country = "NO";
  return name;
}

TEST_CASE("ToString writes RFC 4514 order with escaping and skips empty attributes", "[pki]") {
  CHECK(Full().ToString() == "CN=vcs1.example.com, OU=Video, O=Example\\, Inc., L=Oslo, ST=Oslo, C=NO");
  DistinguishedName name;
  name.commonName = "#lead+trail ";
  name.organization = " spaced";
  name.country = "GB";
  CHECK(name.ToString() == "CN=\\#lead\\+trail\\ , O=\\ spaced, C=GB");
  CHECK(DistinguishedName{}.ToString().empty());
  CHECK(DistinguishedName{}.empty());
  CHECK_FALSE(name.empty());
}

TEST_CASE("a DistinguishedName survives the trip through X509_NAME, UTF-8 included", "[pki]") {
  DistinguishedName name = Full();
  name.locality = "Tromsø";
  name.organizationalUnit = "Vidéo 東京";
  X509NamePtr x509Name = Must(ToX509Name(name));
  CHECK(X509_NAME_entry_count(x509Name.get()) == 6);
  CHECK(FromX509Name(x509Name.get()) == name);
  // Built in C, ST, L, O, OU, CN order: the first entry is the country.
  CHECK(OBJ_obj2nid(X509_NAME_ENTRY_get_object(X509_NAME_get_entry(x509Name.get(), 0))) == NID_countryName);
}

TEST_CASE("attributes left empty are not written", "[pki]") {
  DistinguishedName name;
  name.commonName = "only-cn";
  X509NamePtr x509Name = Must(ToX509Name(name));
  CHECK(X509_NAME_entry_count(x509Name.get()) == 1);
  CHECK(FromX509Name(x509Name.get()) == name);
  CHECK(FromX509Name(nullptr) == DistinguishedName{});
}

TEST_CASE("a country that is not two characters is refused", "[pki]") {
  DistinguishedName name;
  name.commonName = "x";
  name.country = "NOR";
  Result<X509NamePtr> x509Name = ToX509Name(name);
  REQUIRE_FALSE(x509Name.ok());
  CHECK(x509Name.status().code() == Status::Code::kInvalidInput);
  CHECK(x509Name.status().message() == "country 'NOR' must be a two-letter code");
}

}  // namespace
}  // namespace pkiform::pki
