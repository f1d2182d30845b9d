// A time zone for maintenance windows (restarts.timeZone): the UTC offset in force at any
// instant, read from the system's tzdata (/usr/share/zoneinfo, Debian's `tzdata` package).
//
// Why pkiform parses TZif itself: GCC 12's libstdc++ has no std::chrono tzdb, and the
// alternative, localtime_r/mktime with TZ set under a mutex, changes process-wide state
// that other code (spdlog's timestamps, libraries) reads without our mutex. A parsed zone
// is a plain value: pure lookups, safe from any thread, testable with a pinned time.
//
// The zone name comes from the repository (untrusted): it must look like an IANA name
// (letters, digits, `_+-`, `/`-separated parts, no `.`), so it can never leave the zoneinfo
// folder. The file comes from the system but is still read bounded and checked field by
// field (RFC 8536, version 2 or later; the POSIX TZ footer covers times after the last
// transition). "UTC" needs no file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "reconciler/util/result.h"

namespace pkiform::planner {

class TimeZone {
 public:
  // UTC: no transitions, offset 0.
  TimeZone() = default;

  const std::string& name() const { return name_; }
  // Seconds to add to a UTC instant (seconds since the epoch) for the local wall clock.
  int32_t OffsetAt(int64_t utc_seconds) const;
  // The first instant after `utc_seconds` at which the offset may change (INT64_MAX: never);
  // the offset is OffsetAt(utc_seconds) until then.
  int64_t NextChange(int64_t utc_seconds) const;

  // The contents of a TZif file (version 2 or later). `name` is for messages only.
  static Result<TimeZone> FromTzif(std::string_view name, std::string_view data);

  // The POSIX TZ rule of a TZif footer, e.g. "GMT0BST,M3.5.0/1,M10.5.0" (for tests).
  struct Rule {
    int32_t std_offset = 0, dst_offset = 0;  // seconds east of UTC
    bool has_dst = false;
    struct Date {
      char kind = 'M';  // 'J' (1..365, no Feb 29), 'D' (0..365), 'M' (month.week.day)
      int month = 0, week = 0, day = 0;
      int32_t time = 7200;  // seconds after local midnight (may be negative or past 24 h)
    } start, end;
  };
  static Result<Rule> ParseRule(std::string_view text);

 private:
  std::string name_ = "UTC";
  std::vector<int64_t> transitions_;  // ascending UTC instants
  std::vector<uint8_t> type_of_;      // per transition: index into offsets_
  std::vector<int32_t> offsets_;      // per local time type
  bool has_rule_ = false;
  Rule rule_;
};

// Whether `name` looks like an IANA zone name pkiform will look up (see the top comment).
bool IsZoneName(std::string_view name);

// The zone called `name` ("UTC", "Europe/London") from `root` (the zoneinfo folder).
// Errors: InvalidInput for a name that is not a zone name, NotFound for a zone the system
// does not have (with a hint about tzdata), InvalidInput for a file that is not TZif v2+.
Result<TimeZone> LoadTimeZone(const std::string& name, const std::string& root = "/usr/share/zoneinfo");

}  // namespace pkiform::planner
