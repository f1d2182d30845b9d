// A cluster's maintenance window (restarts.window, read on the clock of restarts.timeZone):
// when a change that restarts services may be applied. Pure: text in, instants out; the
// caller supplies "now" (a pinned clock in tests and `plan --at`).
//
// Syntax (docs/manifest.md): one or more windows separated by `,`, each `DAYS HH:MM-HH:MM`.
// DAYS is `daily`, or days and ranges joined by `|`: `Sat`, `Mon-Fri`, `Sat|Sun`, `Mon-Wed|Fri`
// (a range may wrap: `Fri-Mon`). An end at or before the start crosses midnight: `Fri 22:00-02:00`
// opens Friday 22:00 and closes Saturday 02:00. A start equal to the end (24 hours) is refused
// as ambiguous.
//
// Daylight saving: a window opens the first time the local clock shows its start and closes
// the first time after that it shows its end. A time the clock skips (spring forward) counts as
// the moment of the jump; a time it shows twice (fall back) counts at its first showing. So
// `Sun 01:00-03:00` opens exactly once on both nights clocks change in Europe/London; a window
// wholly inside the skipped hour does not open that night.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "reconciler/planner/time_zone.h"
#include "reconciler/util/result.h"

namespace pkiform::planner {

using WindowTime = std::chrono::system_clock::time_point;

struct WindowSpan {
  uint8_t days = 0;  // bit 0 Monday ... bit 6 Sunday: the days the span opens on
  int start = 0;     // minutes after local midnight
  int end = 0;       // minutes after local midnight; <= start: the next day
};

struct Window {
  std::vector<WindowSpan> spans;
  TimeZone zone;
};

// Limits on the text (it comes from the repository).
inline constexpr size_t kMaxWindowText = 1024;
inline constexpr size_t kMaxWindowSpans = 32;

// InvalidInput naming the part that is wrong ("'Sta' is not a day: ...").
Result<Window> ParseWindow(std::string_view text, const TimeZone& zone);

bool IsOpen(const Window& window, WindowTime at);
// `at` when the window is open then, else the next moment it opens (WindowTime::max() for a
// window that never opens, which ParseWindow does not produce).
WindowTime NextOpening(const Window& window, WindowTime at);
// When the window is open at `at`: the moment it closes, windows that touch or overlap taken
// as one; when it is closed: when its next opening closes. WindowTime::max() when it never
// closes (windows that together cover the whole week).
WindowTime ClosesAt(const Window& window, WindowTime at);

}  // namespace pkiform::planner
