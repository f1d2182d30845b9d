#include "reconciler/pki/digest.h"

#include <catch2/catch.hpp>

namespace pkiform::pki {
namespace {

TEST_CASE("Sha256Hex matches the FIPS 180-2 test vectors", "[pki]") {
  CHECK(Sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(Sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("Sha256Fingerprint is the same digest in colon form", "[pki]") {
  CHECK(Sha256Fingerprint("abc") ==
        "BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD");
}

TEST_CASE("hex helpers print bytes in lower case and in colon form", "[pki]") {
  const std::string bytes("\x0a\xff\x00", 3);
  CHECK(ToHex(bytes) == "0aff00");
  CHECK(ToColonHex(bytes) == "0A:FF:00");
  CHECK(ToColonHex("") == "");
}

}  // namespace
}  // namespace pkiform::pki
