#include "reconciler/pki/clock.h"

#include <cstdio>
#include <ctime>
#include <string>

namespace pkiform::pki {
namespace {

using std::chrono::days;
using std::chrono::seconds;

struct CivilTime {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
};

Result<TimePoint> FromCivil(const CivilTime& c) {
  const std::chrono::year_month_day date{std::chrono::year{c.year}, std::chrono::month{unsigned(c.month)},
                                         std::chrono::day{unsigned(c.day)}};
  // second == 60 (a leap second) is refused: X.509 forbids it and chrono cannot represent it.
  if (!date.ok() || c.hour < 0 || c.hour > 23 || c.minute < 0 || c.minute > 59 || c.second < 0 || c.second > 59) {
    return Status::InvalidInput("date or time out of range");
  }
  // A TimePoint counts nanoseconds in 64 bits: it holds 1678 to 2262. Outside, the conversion
  // below would overflow (a fuzzed certificate found it); such a date is an error here, and
  // TimePointFromAsn1 keeps certificates' far dates inside kEarliestYear..kLatestYear first.
  if (c.year < kEarliestYear || c.year > kLatestYear)
    return Status::InvalidInput("the year " + std::to_string(c.year) + " is outside " + std::to_string(kEarliestYear) +
                                " to " + std::to_string(kLatestYear) + ", the times pkiform holds");
  return TimePoint(std::chrono::sys_days(date)) + std::chrono::hours(c.hour) + std::chrono::minutes(c.minute) +
         seconds(c.second);
}

CivilTime ToCivil(TimePoint time) {
  const auto whole = std::chrono::floor<seconds>(time);
  const auto day = std::chrono::floor<days>(whole);
  const std::chrono::year_month_day date(day);
  const std::chrono::hh_mm_ss clock(whole - day);
  return {int(date.year()),           int(unsigned(date.month())),  int(unsigned(date.day())),
          int(clock.hours().count()), int(clock.minutes().count()), int(clock.seconds().count())};
}

// Reads exactly `width` decimal digits at text[pos].
bool ReadDigits(std::string_view text, size_t pos, size_t width, int* out) {
  if (pos + width > text.size()) return false;
  int value = 0;
  for (size_t i = pos; i < pos + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  *out = value;
  return true;
}

bool Expect(std::string_view text, size_t pos, char wanted) {
  return pos < text.size() && (text[pos] == wanted || (wanted == 'T' && text[pos] == 't'));
}

}  // namespace

Result<TimePoint> ParseRfc3339Utc(std::string_view text) {
  const auto fail = [&](const std::string& why) {
    return Status::InvalidInput("invalid RFC 3339 time '" + std::string(text) + "': " + why +
                                " (expected e.g. 2026-11-22T13:00:00Z)");
  };
  CivilTime c;
  if (!ReadDigits(text, 0, 4, &c.year) || !Expect(text, 4, '-') || !ReadDigits(text, 5, 2, &c.month) ||
      !Expect(text, 7, '-') || !ReadDigits(text, 8, 2, &c.day) || !Expect(text, 10, 'T') ||
      !ReadDigits(text, 11, 2, &c.hour) || !Expect(text, 13, ':') || !ReadDigits(text, 14, 2, &c.minute) ||
      !Expect(text, 16, ':') || !ReadDigits(text, 17, 2, &c.second)) {
    return fail("not in the form YYYY-MM-DDTHH:MM:SSZ");
  }
  size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    const size_t digitsStart = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    if (pos == digitsStart) return fail("empty fraction of a second");
  }
  const std::string_view zone = text.substr(pos);
  if (zone != "Z" && zone != "z" && zone != "+00:00") {
    return fail(zone.empty() ? "missing time zone (add Z)" : "only UTC (Z) is accepted");
  }
  Result<TimePoint> time = FromCivil(c);
  if (!time.ok()) return fail(time.status().message());
  return time;
}

std::string FormatRfc3339Utc(TimePoint time) {
  const CivilTime c = ToCivil(time);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year, c.month, c.day, c.hour, c.minute,
                c.second);
  return buffer;
}

std::string FormatDate(TimePoint time) {
  const CivilTime c = ToCivil(time);
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", c.year, c.month, c.day);
  return buffer;
}

Result<TimePoint> TimePointFromAsn1(const ASN1_TIME* time) {
  std::tm parts{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &parts) != 1) {
    return CryptoFailure("unreadable ASN.1 time");
  }
  CivilTime c{parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec};
  // RFC 5280 (4.1.2.5): 99991231235959Z means "no well-defined expiration date", and a
  // certificate may also claim to start before 1700: such times are held at the edges.
  if (c.year > kLatestYear) c = {kLatestYear, 12, 31, 23, 59, 59};
  if (c.year < kEarliestYear) c = {kEarliestYear, 1, 1, 0, 0, 0};
  return FromCivil(c);
}

Result<Asn1TimePtr> Asn1FromTimePoint(TimePoint time) {
  const auto secondsSinceEpoch = std::chrono::floor<seconds>(time).time_since_epoch().count();
  Asn1TimePtr asn1(ASN1_TIME_set(nullptr, static_cast<time_t>(secondsSinceEpoch)));
  if (!asn1) return CryptoFailure("cannot encode time " + FormatRfc3339Utc(time));
  return asn1;
}

}  // namespace pkiform::pki
