#include "reconciler/util/spelling.h"

#include <catch2/catch.hpp>

using namespace pkiform;

TEST_CASE("closest match suggests plausible typos only", "[util]") {
  std::vector<std::string> keys = {"organization", "organizationalUnit", "country", "commonName"};
  CHECK(ClosestMatch("organisation", keys) == "organization");
  CHECK(ClosestMatch("contry", keys) == "country");
  CHECK(ClosestMatch("commonname", keys) == "commonName");
  CHECK(ClosestMatch("zzzzzz", keys) == "");
  CHECK(EditDistance("kitten", "sitting") == 3);
}
