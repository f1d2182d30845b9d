// Cisco release trains, used for release-bound catalogue facts (rules U13, U15).
#include "reconciler/catalogue/release.h"

#include <catch2/catch.hpp>

namespace pkiform::catalogue {
namespace {

TEST_CASE("release trains parse and order", "[catalogue][rule:U15]") {
  auto su2 = ParseRelease("14SU2");
  REQUIRE(su2.ok());
  CHECK(su2->train == std::vector<int>{14});
  CHECK(su2->service_update == 2);
  CHECK(ParseRelease("12.5su3")->ToString() == "12.5SU3");
  CHECK(CompareReleases(*ParseRelease("14"), *ParseRelease("14SU1")) < 0);
  CHECK(CompareReleases(*ParseRelease("12.5SU3"), *ParseRelease("14")) < 0);
  CHECK(CompareReleases(*ParseRelease("14"), *ParseRelease("14.0")) == 0);
  CHECK(CompareReleases(*ParseRelease("15"), *ParseRelease("14SU3")) > 0);
  for (const char* bad : {"", "SU2", "14SU", "14.0.1.12900", "14-SU1", "v14", "14SU2x"}) {
    INFO(bad);
    CHECK_FALSE(ParseRelease(bad).ok());
  }
}

TEST_CASE("release ranges: since inclusive, before exclusive, unknown release inside",
          "[catalogue][rule:U13]") {
  ReleaseRange r{*ParseRelease("14"), *ParseRelease("14SU1")};
  CHECK(r.Contains(*ParseRelease("14")));
  CHECK_FALSE(r.Contains(*ParseRelease("14SU1")));
  CHECK_FALSE(r.Contains(*ParseRelease("12.5")));
  CHECK(r.Contains(std::nullopt));
  CHECK(ReleaseRange{}.Contains(*ParseRelease("9")));
}

}  // namespace
}  // namespace pkiform::catalogue
