#include "reconciler/manifest/duration.h"

#include <catch2/catch.hpp>

using namespace pkiform;
using std::chrono::seconds;

TEST_CASE("durations combine units", "[manifest][duration]") {
  CHECK(ParseDuration("30d")->length == seconds(30 * 86400));
  CHECK(ParseDuration("12h")->length == seconds(12 * 3600));
  CHECK(ParseDuration("1d12h")->length == seconds(36 * 3600));
  CHECK(ParseDuration("2w")->length == seconds(14 * 86400));
  CHECK(ParseDuration("1y")->length == seconds(365 * 86400));
  CHECK_FALSE(ParseDuration("30d")->whole_months.has_value());
}

TEST_CASE("months-only durations keep their month count", "[manifest][duration][rule:D8]") {
  auto d = ParseDuration("24mo");
  REQUIRE(d);
  CHECK(d->whole_months == 24);
  CHECK(d->length == seconds(24LL * 30 * 86400));
  CHECK_FALSE(ParseDuration("1y2mo")->whole_months.has_value());
}

TEST_CASE("malformed durations are refused", "[manifest][duration]") {
  CHECK_FALSE(ParseDuration(""));
  CHECK_FALSE(ParseDuration("30"));
  CHECK_FALSE(ParseDuration("d30"));
  CHECK_FALSE(ParseDuration("30x"));
  CHECK_FALSE(ParseDuration("99999999999d"));
}

TEST_CASE("durations format to their shortest exact form", "[manifest][duration]") {
  CHECK(FormatDuration(seconds(36 * 3600)) == "1d12h");
  CHECK(FormatDuration(seconds(90)) == "1m30s");
  CHECK(FormatDuration(seconds(0)) == "0s");
}

TEST_CASE("durations longer than 100 years are refused, however they add up", "[manifest][duration]") {
  CHECK(ParseDuration("100y")->length == seconds(100LL * 365 * 86400));
  CHECK_FALSE(ParseDuration("100y1s"));
  CHECK_FALSE(ParseDuration("240y"));
  CHECK_FALSE(ParseDuration("1217mo"));  // 36,510 days
  // Terms that would overflow 64 bits once summed.
  std::string many;
  for (int i = 0; i < 400; ++i) many += "999999999y";
  CHECK_FALSE(ParseDuration(many));
}
