// Maintenance windows (restarts.window, restarts.timeZone): the syntax, its refusals, and when
// a window is open, opens and closes, across midnight, the week's end, daylight saving in
// Europe/London and Australia/Sydney (read from the system's tzdata), and lists of windows.
#include "reconciler/planner/maintenance_window.h"

#include <catch2/catch.hpp>

#include "reconciler/pki/clock.h"
#include "reconciler/util/file_reader.h"

using namespace pkiform;
using namespace pkiform::planner;

namespace {

WindowTime T(const char* text) {
  Result<pki::TimePoint> t = pki::ParseRfc3339Utc(text);
  REQUIRE(t.ok());
  return *t;
}

int64_t Seconds(WindowTime t) { return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count(); }

std::string Text(WindowTime t) { return t == WindowTime::max() ? "never" : pki::FormatRfc3339Utc(t); }

Window Parse(const char* text, const TimeZone& zone = TimeZone()) {
  Result<Window> w = ParseWindow(text, zone);
  INFO(text << ": " << w.status().ToString());
  REQUIRE(w.ok());
  return *w;
}

std::string Refusal(const char* text) {
  Result<Window> w = ParseWindow(text, TimeZone());
  REQUIRE_FALSE(w.ok());
  return w.status().message();
}

TimeZone Zone(const char* name) {
  Result<TimeZone> z = LoadTimeZone(name);
  INFO(z.status().ToString());
  REQUIRE(z.ok());
  return *z;
}

}  // namespace

TEST_CASE("window: syntax", "[window]") {
  Window w = Parse("Sat 01:00-05:00");
  REQUIRE(w.spans.size() == 1);
  CHECK(w.spans[0].days == 1 << 5);
  CHECK(w.spans[0].start == 60);
  CHECK(w.spans[0].end == 300);
  CHECK(Parse("daily 22:00-02:00").spans[0].days == 0x7f);
  CHECK(Parse("Mon-Fri 00:00-01:00").spans[0].days == 0x1f);
  CHECK(Parse("Sat|Sun 00:00-01:00").spans[0].days == 0x60);
  CHECK(Parse("Mon-Wed|Fri 00:00-01:00").spans[0].days == 0x17);
  CHECK(Parse("Fri-Mon 00:00-01:00").spans[0].days == 0x71);  // wraps past Sunday
  Window list = Parse("Mon-Fri 22:00-02:00, Sat|Sun  03:00-07:00");
  REQUIRE(list.spans.size() == 2);
  CHECK(list.spans[1].days == 0x60);
  CHECK(list.spans[1].start == 180);
}

TEST_CASE("window: refusals name the part that is wrong", "[window]") {
  CHECK_THAT(Refusal("Sta 01:00-05:00"), Catch::Contains("'Sta' is not a day"));
  CHECK_THAT(Refusal("sat 01:00-05:00"), Catch::Contains("did you mean 'Sat'?"));
  CHECK_THAT(Refusal("Mon-Fry 01:00-05:00"), Catch::Contains("'Fry' is not a day"));
  CHECK_THAT(Refusal("Sat 24:00-05:00"), Catch::Contains("'24:00' is not a time: hours go from 00 to 23"));
  CHECK_THAT(Refusal("Sat 01:60-05:00"), Catch::Contains("'01:60' is not a time"));
  CHECK_THAT(Refusal("Sat 1:00-05:00"), Catch::Contains("'1:00' is not a time: write HH:MM"));
  CHECK_THAT(Refusal("Sat 01:00"), Catch::Contains("'01:00' is not a time range"));
  CHECK_THAT(Refusal("Sat 01:00-01:00"), Catch::Contains("starts and ends at the same time"));
  // The old comma-separated days: the comma now separates windows.
  CHECK_THAT(Refusal("Sat,Sun 01:00-05:00"), Catch::Contains("'Sat' has no times") && Catch::Contains("'Sat|Sun'"));
  CHECK_THAT(Refusal("01:00-05:00"), Catch::Contains("has no days: write them first, e.g. 'daily 01:00-05:00'"));
  CHECK_THAT(Refusal(""), Catch::Contains("no window"));
  CHECK_THAT(Refusal("Sat 01:00-05:00,"), Catch::Contains("no window between two commas"));
  CHECK_THAT(Refusal(std::string(1100, 'x').c_str()), Catch::Contains("longer than 1024 bytes"));
  std::string many;
  for (int i = 0; i < 33; ++i) many += "Sat 01:00-02:00,";
  many.pop_back();
  CHECK_THAT(Refusal(many.c_str()), Catch::Contains("more than 32 windows"));
}

TEST_CASE("window: across midnight and the end of the week (UTC)", "[window]") {
  // 2026-12-04 is a Friday.
  const Window fri = Parse("Fri 22:00-02:00");
  CHECK_FALSE(IsOpen(fri, T("2026-12-04T21:59:59Z")));
  CHECK(IsOpen(fri, T("2026-12-04T22:00:00Z")));
  CHECK(IsOpen(fri, T("2026-12-05T01:59:59Z")));  // Saturday morning: still Friday's window
  CHECK_FALSE(IsOpen(fri, T("2026-12-05T02:00:00Z")));
  CHECK(Text(NextOpening(fri, T("2026-12-04T12:00:00Z"))) == "2026-12-04T22:00:00Z");
  CHECK(Text(NextOpening(fri, T("2026-12-05T01:00:00Z"))) == "2026-12-05T01:00:00Z");  // open: now
  CHECK(Text(NextOpening(fri, T("2026-12-05T02:00:00Z"))) == "2026-12-11T22:00:00Z");
  CHECK(Text(ClosesAt(fri, T("2026-12-04T23:00:00Z"))) == "2026-12-05T02:00:00Z");
  CHECK(Text(ClosesAt(fri, T("2026-12-05T03:00:00Z"))) == "2026-12-12T02:00:00Z");  // closed: the next one's close

  // Sunday night into Monday: the week wraps.
  const Window sun = Parse("Sun 23:00-01:00");
  CHECK(IsOpen(sun, T("2026-12-07T00:30:00Z")));  // Monday
  CHECK_FALSE(IsOpen(sun, T("2026-12-07T01:00:00Z")));
  CHECK(Text(NextOpening(sun, T("2026-12-07T01:00:00Z"))) == "2026-12-13T23:00:00Z");
  const Window wrap = Parse("Sat-Mon 10:00-11:00");
  CHECK(IsOpen(wrap, T("2026-12-07T10:30:00Z")));  // Monday
  CHECK_FALSE(IsOpen(wrap, T("2026-12-08T10:30:00Z")));  // Tuesday
  CHECK(Text(NextOpening(wrap, T("2026-12-07T11:00:00Z"))) == "2026-12-12T10:00:00Z");
}

TEST_CASE("window: a list of windows", "[window]") {
  const Window w = Parse("Mon-Fri 22:00-02:00, Sat|Sun 03:00-07:00");
  CHECK(IsOpen(w, T("2026-12-05T01:00:00Z")));  // Saturday 01:00: Friday night's
  CHECK_FALSE(IsOpen(w, T("2026-12-05T02:30:00Z")));
  CHECK(Text(NextOpening(w, T("2026-12-05T02:30:00Z"))) == "2026-12-05T03:00:00Z");
  CHECK(Text(ClosesAt(w, T("2026-12-06T05:00:00Z"))) == "2026-12-06T07:00:00Z");
  CHECK(Text(NextOpening(w, T("2026-12-06T07:00:00Z"))) == "2026-12-07T22:00:00Z");  // Monday night
  // Windows that touch close as one.
  const Window chained = Parse("Fri 22:00-02:00, Sat 02:00-04:00");
  CHECK(Text(ClosesAt(chained, T("2026-12-04T23:00:00Z"))) == "2026-12-05T04:00:00Z");
  // Windows that cover the whole week never close.
  const Window always = Parse("daily 00:00-12:00, daily 12:00-00:00");
  CHECK(IsOpen(always, T("2026-12-05T12:00:00Z")));
  CHECK(ClosesAt(always, T("2026-12-05T12:00:00Z")) == WindowTime::max());
}

TEST_CASE("window: Europe/London, the night clocks go forward", "[window]") {
  // 2026-03-29 01:00 GMT becomes 02:00 BST: 01:00-02:00 is never shown.
  const Window w = Parse("Sun 01:00-03:00", Zone("Europe/London"));
  CHECK(Text(NextOpening(w, T("2026-03-28T12:00:00Z"))) == "2026-03-29T01:00:00Z");  // the jump
  CHECK(Text(ClosesAt(w, T("2026-03-28T12:00:00Z"))) == "2026-03-29T02:00:00Z");    // 03:00 BST
  CHECK_FALSE(IsOpen(w, T("2026-03-29T00:59:59Z")));
  CHECK(IsOpen(w, T("2026-03-29T01:00:00Z")));
  CHECK(IsOpen(w, T("2026-03-29T01:59:59Z")));
  CHECK_FALSE(IsOpen(w, T("2026-03-29T02:00:00Z")));
  // Once: the next opening is a week later, 01:00 BST.
  CHECK(Text(NextOpening(w, T("2026-03-29T02:00:00Z"))) == "2026-04-05T00:00:00Z");
  // A window wholly inside the skipped hour does not open that night.
  const Window skipped = Parse("Sun 01:15-01:45", Zone("Europe/London"));
  CHECK(Text(NextOpening(skipped, T("2026-03-28T12:00:00Z"))) == "2026-04-05T00:15:00Z");
}

TEST_CASE("window: Europe/London, the night clocks go back", "[window]") {
  // 2026-10-25 02:00 BST becomes 01:00 GMT: 01:00-02:00 is shown twice.
  const Window w = Parse("Sun 01:00-03:00", Zone("Europe/London"));
  CHECK(Text(NextOpening(w, T("2026-10-24T12:00:00Z"))) == "2026-10-25T00:00:00Z");  // 01:00 BST
  CHECK(Text(ClosesAt(w, T("2026-10-24T12:00:00Z"))) == "2026-10-25T03:00:00Z");    // 03:00 GMT
  CHECK(IsOpen(w, T("2026-10-25T01:30:00Z")));  // 01:30 GMT, the second showing: still open
  CHECK(Text(NextOpening(w, T("2026-10-25T03:00:00Z"))) == "2026-11-01T01:00:00Z");
  // A window inside the repeated hour opens once, at its first showing.
  const Window twice = Parse("Sun 01:15-01:45", Zone("Europe/London"));
  CHECK(Text(NextOpening(twice, T("2026-10-24T12:00:00Z"))) == "2026-10-25T00:15:00Z");
  CHECK(Text(ClosesAt(twice, T("2026-10-24T12:00:00Z"))) == "2026-10-25T00:45:00Z");
  CHECK_FALSE(IsOpen(twice, T("2026-10-25T01:30:00Z")));
  CHECK(Text(NextOpening(twice, T("2026-10-25T00:45:00Z"))) == "2026-11-01T01:15:00Z");
}

TEST_CASE("time zone: offsets from tzdata, past the last transition too", "[window]") {
  const TimeZone london = Zone("Europe/London");
  const auto at = [](const TimeZone& z, const char* t) { return z.OffsetAt(Seconds(T(t))); };
  CHECK(at(london, "2026-01-15T12:00:00Z") == 0);
  CHECK(at(london, "2026-07-15T12:00:00Z") == 3600);
  // 2045: beyond the transitions of a "slim" file, read from the footer rule.
  CHECK(at(london, "2045-03-26T00:59:59Z") == 0);
  CHECK(at(london, "2045-03-26T01:00:00Z") == 3600);
  CHECK(at(london, "2045-10-29T00:59:59Z") == 3600);
  CHECK(at(london, "2045-10-29T01:00:00Z") == 0);
  // Southern hemisphere: daylight time spans the new year.
  const TimeZone sydney = Zone("Australia/Sydney");
  CHECK(at(sydney, "2045-01-15T00:00:00Z") == 11 * 3600);
  CHECK(at(sydney, "2045-04-01T15:59:59Z") == 11 * 3600);
  CHECK(at(sydney, "2045-04-01T16:00:00Z") == 10 * 3600);
  CHECK(at(sydney, "2045-09-30T15:59:59Z") == 10 * 3600);
  CHECK(at(sydney, "2045-09-30T16:00:00Z") == 11 * 3600);
  CHECK(at(TimeZone(), "2045-07-15T00:00:00Z") == 0);
  CHECK(Zone("UTC").name() == "UTC");
}

TEST_CASE("time zone: the footer's POSIX rule", "[window]") {
  Result<TimeZone::Rule> r = TimeZone::ParseRule("GMT0BST,M3.5.0/1,M10.5.0");
  REQUIRE(r.ok());
  CHECK(r->std_offset == 0);
  CHECK(r->dst_offset == 3600);
  CHECK(r->start.month == 3);
  CHECK(r->start.week == 5);
  CHECK(r->start.time == 3600);
  CHECK(r->end.time == 7200);
  Result<TimeZone::Rule> tehran = TimeZone::ParseRule("<+0330>-3:30");
  REQUIRE(tehran.ok());
  CHECK(tehran->std_offset == 3 * 3600 + 1800);
  CHECK_FALSE(tehran->has_dst);
  Result<TimeZone::Rule> ny = TimeZone::ParseRule("EST5EDT,M3.2.0,M11.1.0");
  REQUIRE(ny.ok());
  CHECK(ny->std_offset == -5 * 3600);
  CHECK(ny->dst_offset == -4 * 3600);
  CHECK(TimeZone::ParseRule("<-03>3<-02>,M3.5.0/-2,M10.5.0/-1").ok());  // America/Nuuk: negative times
  CHECK_FALSE(TimeZone::ParseRule("GMT0BST").ok());  // daylight time without a rule: not guessed
  CHECK_FALSE(TimeZone::ParseRule("GMT0BST,M13.5.0,M10.5.0").ok());
  CHECK_FALSE(TimeZone::ParseRule("G0").ok());
  CHECK_FALSE(TimeZone::ParseRule("GMT0 trailing").ok());
}

TEST_CASE("time zone: names and files refused", "[window]") {
  Result<TimeZone> unknown = LoadTimeZone("Europe/Atlantis");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.status().code() == Status::Code::kNotFound);
  CHECK_THAT(unknown.status().message(), Catch::Contains("unknown time zone 'Europe/Atlantis'"));
  for (const char* name : {"../../etc/passwd", "Europe/../../etc/passwd", "/etc/passwd", "Europe//London",
                           "Europe/London/", "-rf", "Europe/ London", ""}) {
    INFO(name);
    Result<TimeZone> z = LoadTimeZone(name);
    REQUIRE_FALSE(z.ok());
    CHECK(z.status().code() == Status::Code::kInvalidInput);
  }
  // A folder of zoneinfo is not a zone.
  CHECK_FALSE(LoadTimeZone("Europe").ok());

  // Every cut of a real file is refused, never misread (the file comes from the system,
  // but is read as if it were hostile).
  Result<std::string> data = ReadBoundedFile("/usr/share/zoneinfo/Europe/London", limits::kZoneFile);
  REQUIRE(data.ok());
  REQUIRE(TimeZone::FromTzif("Europe/London", *data).ok());
  for (size_t n = 0; n < data->size(); ++n) {
    Result<TimeZone> cut = TimeZone::FromTzif("cut", std::string_view(*data).substr(0, n));
    INFO(n);
    CHECK_FALSE(cut.ok());
  }
  // Version 1 files (no 64-bit times, no footer) are refused.
  std::string v1 = *data;
  v1[4] = '\0';
  CHECK_THAT(TimeZone::FromTzif("old", v1).status().message(), Catch::Contains("version 1"));
  // Counts past any real zone are refused before anything is read.
  std::string huge = *data;
  huge[32] = '\x7f';  // timecnt's top byte
  CHECK_FALSE(TimeZone::FromTzif("huge", huge).ok());
}

TEST_CASE("a UTC offset of 26 hours or more is refused", "[window]") {
  // What fuzz_window found: a local time type exactly 26 h east of UTC (RFC 8536: less than
  // 26 h). The fuzz input's first byte picks the zone branch; the file is the rest.
  Result<std::string> found = ReadBoundedFile(
      PKIFORM_SOURCE_DIR "/tests/fuzz/crashes/fuzz_window/crash-6d214c4696ef5f8f6529f1f4be4e5a2847f75355",
      limits::kZoneFile);
  REQUIRE(found.ok());
  Result<TimeZone> zone = TimeZone::FromTzif("fuzzed", std::string_view(*found).substr(1));
  REQUIRE_FALSE(zone.ok());
  CHECK_THAT(zone.status().message(), Catch::Contains("UTC offset out of range"));
}
