// Time for pkiform's PKI code: an injectable Clock (tests and plans pin "now"),
// RFC 3339 UTC text, and conversion to and from the ASN1_TIME of certificates and CRLs.
//
// Everything is UTC. Times are whole seconds: X.509 cannot carry more.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "reconciler/pki/handles.h"
#include "reconciler/util/result.h"

namespace pkiform::pki {

using TimePoint = std::chrono::system_clock::time_point;

// The source of "now". Code that decides validity takes a Clock (or a time) so
// that tests and `plan --at` can ask "what would happen at time T".
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
};

class FixedClock final : public Clock {
 public:
  explicit FixedClock(TimePoint now) : now_(now) {}
  TimePoint Now() const override { return now_; }
  void Set(TimePoint now) { now_ = now; }
  void Advance(std::chrono::seconds by) { now_ += by; }

 private:
  TimePoint now_;
};

// The years a TimePoint is used for: its 64-bit nanoseconds hold 1678 to 2262, and the
// margin keeps sums of a time and a manifest's durations (at most 100 years) in range.
inline constexpr int kEarliestYear = 1700;
inline constexpr int kLatestYear = 2150;

// "2026-11-22T13:00:00Z". Also accepts fractional seconds (dropped) and a "+00:00"
// offset; any other offset is refused rather than silently converted. A year outside
// kEarliestYear..kLatestYear is refused.
Result<TimePoint> ParseRfc3339Utc(std::string_view text);
// "2026-11-22T13:00:00Z" (fraction of a second dropped).
std::string FormatRfc3339Utc(TimePoint time);
// "2026-11-22" (UTC date).
std::string FormatDate(TimePoint time);

// ASN1_TIME (UTCTime or GeneralizedTime) to a time point. A certificate time after
// kLatestYear (RFC 5280's 99991231235959Z, "no expiration") is held as the last second of
// kLatestYear, one before kEarliestYear as its first second.
Result<TimePoint> TimePointFromAsn1(const ASN1_TIME* time);
// A time point as ASN1_TIME: UTCTime up to 2049, GeneralizedTime after, as RFC 5280 asks.
Result<Asn1TimePtr> Asn1FromTimePoint(TimePoint time);

}  // namespace pkiform::pki
