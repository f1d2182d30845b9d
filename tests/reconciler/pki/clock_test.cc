#include "reconciler/pki/clock.h"

#include <catch2/catch.hpp>

#include "pki_test_support.h"

namespace pkiform::pki {
namespace {

using std::chrono::hours;
using std::chrono::seconds;
using testing::At;
using testing::Must;

TEST_CASE("RFC 3339 UTC times parse and format back", "[pki]") {
  const TimePoint t = At("2026-11-22T13:00:00Z");
  CHECK(t.time_since_epoch() == seconds(1795352400));
  CHECK(FormatRfc3339Utc(t) == "2026-11-22T13:00:00Z");
  CHECK(FormatDate(t) == "2026-11-22");
  CHECK(FormatRfc3339Utc(At("1969-12-31T23:59:59Z")) == "1969-12-31T23:59:59Z");
  CHECK(At("2024-02-29T00:00:00+00:00") == At("2024-02-29T00:00:00Z"));
  CHECK(At("2026-11-22T13:00:00.750Z") == t);
}

TEST_CASE("malformed or non-UTC RFC 3339 times are refused", "[pki]") {
  for (const char* bad : {"2026-11-22", "2026-11-22T13:00:00", "2026-11-22T13:00:00+01:00", "2026-02-30T00:00:00Z",
                          "2026-13-01T00:00:00Z", "2026-11-22T24:00:00Z", "2026-11-22 13:00:00Z", "",
                          "2026-11-22T13:00:00.Z", "2026-11-22T13:00:00Zjunk"}) {
    INFO(bad);
    Result<TimePoint> parsed = ParseRfc3339Utc(bad);
    CHECK_FALSE(parsed.ok());
    CHECK(parsed.status().code() == Status::Code::kInvalidInput);
  }
  CHECK(ParseRfc3339Utc("2026-11-22T13:00:00+01:00").status().message().find("only UTC") != std::string::npos);
}

TEST_CASE("FixedClock returns the pinned time until moved", "[pki]") {
  FixedClock clock(At("2026-01-01T00:00:00Z"));
  const Clock& asClock = clock;
  CHECK(FormatRfc3339Utc(asClock.Now()) == "2026-01-01T00:00:00Z");
  clock.Advance(hours(36));
  CHECK(FormatRfc3339Utc(asClock.Now()) == "2026-01-02T12:00:00Z");
  clock.Set(At("2030-05-05T05:05:05Z"));
  CHECK(FormatRfc3339Utc(asClock.Now()) == "2030-05-05T05:05:05Z");
}

TEST_CASE("SystemClock is close to the real time", "[pki]") {
  const SystemClock clock;
  const auto difference = clock.Now() - std::chrono::system_clock::now();
  CHECK(std::chrono::abs(difference) < seconds(5));
}

TEST_CASE("ASN1_TIME conversion uses UTCTime before 2050 and GeneralizedTime after", "[pki]") {
  Asn1TimePtr utc = Must(Asn1FromTimePoint(At("2049-12-31T23:59:59Z")));
  CHECK(ASN1_STRING_type(utc.get()) == V_ASN1_UTCTIME);
  CHECK(Must(TimePointFromAsn1(utc.get())) == At("2049-12-31T23:59:59Z"));
  Asn1TimePtr generalized = Must(Asn1FromTimePoint(At("2050-01-01T00:00:00Z")));
  CHECK(ASN1_STRING_type(generalized.get()) == V_ASN1_GENERALIZEDTIME);
  CHECK(Must(TimePointFromAsn1(generalized.get())) == At("2050-01-01T00:00:00Z"));
  CHECK_FALSE(TimePointFromAsn1(nullptr).ok());
}

// Found by fuzz_vcs_output: a certificate dated in the year 2901 overflowed the nanoseconds
// of a TimePoint (undefined behaviour). RFC 5280's "no expiration" date is 99991231235959Z.
TEST_CASE("certificate times beyond what a TimePoint holds are kept at its edges, never overflowed", "[pki]") {
  auto asn1 = [](const char* generalized) {
    Asn1TimePtr t(ASN1_TIME_new());
    REQUIRE(ASN1_TIME_set_string(t.get(), generalized) == 1);
    return t;
  };
  CHECK(Must(TimePointFromAsn1(asn1("99991231235959Z").get())) == At("2150-12-31T23:59:59Z"));
  CHECK(Must(TimePointFromAsn1(asn1("29010101000000Z").get())) == At("2150-12-31T23:59:59Z"));
  CHECK(Must(TimePointFromAsn1(asn1("00010101000000Z").get())) == At("1700-01-01T00:00:00Z"));
  CHECK(Must(TimePointFromAsn1(asn1("21501231235959Z").get())) == At("2150-12-31T23:59:59Z"));
  // A time typed by a user (--now) outside those years is refused, not wrapped.
  CHECK_FALSE(ParseRfc3339Utc("2901-01-01T00:00:00Z").ok());
  CHECK_FALSE(ParseRfc3339Utc("1600-01-01T00:00:00Z").ok());
  CHECK(ParseRfc3339Utc("2150-06-01T00:00:00Z").ok());
}

}  // namespace
}  // namespace pkiform::pki
