#include "reconciler/planner/maintenance_window.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

#include "reconciler/util/excerpt.h"

namespace pkiform::planner {
namespace {

constexpr std::array<std::string_view, 7> kDays = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr int64_t kDay = 86400;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

std::string Quote(std::string_view s) { return "'" + Excerpt(s) + "'"; }

Result<int> ParseDay(std::string_view s) {
  for (size_t i = 0; i < kDays.size(); ++i)
    if (s == kDays[i]) return int(i);
  std::string hint;
  for (size_t i = 0; i < kDays.size() && s.size() == 3; ++i)
    if (std::equal(s.begin(), s.end(), kDays[i].begin(),
                   [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == std::tolower(b); }))
      hint = " (did you mean '" + std::string(kDays[i]) + "'?)";
  return Status::InvalidInput(Quote(s) + " is not a day: write Mon, Tue, Wed, Thu, Fri, Sat or Sun" + hint);
}

// "Sat", "Mon-Fri", "Sat|Sun", "daily": the bit set of days.
Result<uint8_t> ParseDays(std::string_view s) {
  if (s == "daily") return uint8_t(0x7f);
  uint8_t days = 0;
  while (true) {
    const size_t bar = s.find('|');
    const std::string_view part = s.substr(0, bar);
    const size_t dash = part.find('-');
    Result<int> first = ParseDay(part.substr(0, dash));
    if (!first.ok()) return first.status();
    int last = *first;
    if (dash != std::string_view::npos) {
      Result<int> to = ParseDay(part.substr(dash + 1));
      if (!to.ok()) return to.status();
      last = *to;
    }
    for (int d = *first;; d = (d + 1) % 7) {  // a range may wrap past Sunday
      days |= uint8_t(1u << d);
      if (d == last) break;
    }
    if (bar == std::string_view::npos) return days;
    s.remove_prefix(bar + 1);
  }
}

// "HH:MM" in minutes.
Result<int> ParseClock(std::string_view s) {
  const auto digit = [&](size_t i) { return s[i] >= '0' && s[i] <= '9'; };
  if (s.size() != 5 || !digit(0) || !digit(1) || s[2] != ':' || !digit(3) || !digit(4))
    return Status::InvalidInput(Quote(s) + " is not a time: write HH:MM on the 24-hour clock, e.g. 01:00");
  const int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h > 23 || m > 59)
    return Status::InvalidInput(Quote(s) + " is not a time: hours go from 00 to 23, minutes from 00 to 59");
  return h * 60 + m;
}

Result<WindowSpan> ParseSpan(std::string_view text) {
  if (text.empty())
    return Status::InvalidInput("no window between two commas, or after the last: write DAYS HH:MM-HH:MM, e.g. "
                                "'Sat 01:00-05:00'");
  const size_t space = text.find(' ');
  if (space == std::string_view::npos) {
    const bool looks_like_times = text.find(':') != std::string_view::npos;
    return Status::InvalidInput(Quote(text) + (looks_like_times
                                                   ? " has no days: write them first, e.g. 'daily " +
                                                         Excerpt(text) + "' or 'Sat " + Excerpt(text) + "'"
                                                   : " has no times: write DAYS HH:MM-HH:MM, e.g. 'Sat 01:00-05:00' "
                                                     "(several days are joined with '|': 'Sat|Sun')"));
  }
  WindowSpan span;
  Result<uint8_t> days = ParseDays(text.substr(0, space));
  if (!days.ok()) return days.status();
  span.days = *days;
  const std::string_view times = Trim(text.substr(space + 1));
  const size_t dash = times.find('-');
  if (dash == std::string_view::npos)
    return Status::InvalidInput(Quote(times) + " is not a time range: write HH:MM-HH:MM, e.g. 01:00-05:00");
  Result<int> start = ParseClock(times.substr(0, dash));
  if (!start.ok()) return start.status();
  Result<int> end = ParseClock(times.substr(dash + 1));
  if (!end.ok()) return end.status();
  if (*start == *end)
    return Status::InvalidInput(Quote(times) + " starts and ends at the same time: a window of no time or of 24 "
                                               "hours is ambiguous (for all day, write 00:00-23:59)");
  span.start = *start;
  span.end = *end;
  return span;
}

int64_t Seconds(WindowTime t) {
  return std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count();
}
WindowTime FromSeconds(int64_t s) { return WindowTime(std::chrono::seconds(s)); }
int64_t FloorDiv(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

// The UTC instant at which the local clock first shows `local` (seconds since the epoch on
// the local clock) or a later time: the first showing of a time shown twice (fall back), the
// moment of the jump past a time the clock skips (spring forward). The clock runs in pieces of
// one offset each; the first piece that reaches `local` answers.
int64_t FirstShowing(const TimeZone& zone, int64_t local) {
  // Offsets are under 26 h (time_zone.cc), so the clock shows `local` after this instant, and
  // shows an earlier time at it.
  int64_t t = local - 27 * 3600;
  for (int piece = 0; piece < 64; ++piece) {  // real zones: one or two pieces in 54 h
    const int32_t offset = zone.OffsetAt(t);
    if (t + offset >= local) return t;  // the clock jumped past `local` at t
    const int64_t end = zone.NextChange(t);
    if (local - offset < end) return local - offset;
    t = end;
  }
  return t;  // more than 64 changes in 54 h: not tzdata; an answer, not a hang
}

struct Interval {
  int64_t open, close;
};

// Every opening that starts on a local day from three before `at` to 15 after, by opening time.
std::vector<Interval> IntervalsAround(const Window& w, int64_t at) {
  const int64_t today = FloorDiv(at + w.zone.OffsetAt(at), kDay);
  std::vector<Interval> out;
  // From three days back: a jump of the clock (up to two days, the offsets' bounds) can put
  // an opening on a later local day than the day it belongs to.
  for (int64_t day = today - 3; day <= today + 15; ++day) {
    const int weekday = int((day % 7 + 7 + 3) % 7);  // 1970-01-01 was a Thursday; 0 is Monday
    for (const WindowSpan& s : w.spans) {
      if (!(s.days & (1u << weekday))) continue;
      const int64_t open = FirstShowing(w.zone, day * kDay + s.start * 60);
      const int64_t close = FirstShowing(w.zone, (day + (s.end <= s.start ? 1 : 0)) * kDay + s.end * 60);
      if (close > open) out.push_back({open, close});  // empty: wholly inside a skipped hour
    }
  }
  std::sort(out.begin(), out.end(), [](const Interval& a, const Interval& b) { return a.open < b.open; });
  return out;
}

std::optional<int64_t> NextOpen(const std::vector<Interval>& intervals, int64_t t) {
  for (const Interval& i : intervals)
    if (i.open <= t && t < i.close) return t;
  for (const Interval& i : intervals)
    if (i.open > t) return i.open;
  return std::nullopt;
}

}  // namespace

Result<Window> ParseWindow(std::string_view text, const TimeZone& zone) {
  if (text.size() > kMaxWindowText)
    return Status::InvalidInput("the window text is longer than " + std::to_string(kMaxWindowText) + " bytes");
  if (Trim(text).empty()) return Status::InvalidInput("no window: write DAYS HH:MM-HH:MM, e.g. 'Sat 01:00-05:00'");
  Window w;
  w.zone = zone;
  while (true) {
    const size_t comma = text.find(',');
    if (w.spans.size() == kMaxWindowSpans)
      return Status::InvalidInput("more than " + std::to_string(kMaxWindowSpans) + " windows");
    Result<WindowSpan> span = ParseSpan(Trim(text.substr(0, comma)));
    if (!span.ok()) return span.status();
    w.spans.push_back(*span);
    if (comma == std::string_view::npos) return w;
    text.remove_prefix(comma + 1);
  }
}

bool IsOpen(const Window& window, WindowTime at) {
  const int64_t t = Seconds(at);
  for (const Interval& i : IntervalsAround(window, t))
    if (i.open <= t && t < i.close) return true;
  return false;
}

WindowTime NextOpening(const Window& window, WindowTime at) {
  if (IsOpen(window, at)) return at;
  std::optional<int64_t> next = NextOpen(IntervalsAround(window, Seconds(at)), Seconds(at));
  return next ? FromSeconds(*next) : WindowTime::max();
}

WindowTime ClosesAt(const Window& window, WindowTime at) {
  const int64_t t = Seconds(at);
  const std::vector<Interval> intervals = IntervalsAround(window, t);
  std::optional<int64_t> open = NextOpen(intervals, t);
  if (!open) return WindowTime::max();
  // Sorted by opening: one pass joins the chain of windows that touch or overlap.
  int64_t close = *open;
  for (const Interval& i : intervals) {
    if (i.open > close) break;
    close = std::max(close, i.close);
  }
  // Open for more than a week straight: the windows cover every moment of every week.
  if (close - *open > 8 * kDay) return WindowTime::max();
  return FromSeconds(close);
}

}  // namespace pkiform::planner
