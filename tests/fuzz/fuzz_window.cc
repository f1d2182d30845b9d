// Fuzz target: maintenance windows (planner/maintenance_window.h) and the TZif files they are
// read in (planner/time_zone.h). First byte even: the rest is a restarts.window text, read in
// UTC; a window that parses is open at its next opening, closed before it (or open all along),
// and closes after it opens. First byte odd: the rest is a zone file; one that parses gives
// offsets within a day of UTC at any instant, and a window read in it keeps the same promises.
#include "reconciler/planner/maintenance_window.h"
#include "tests/fuzz/fuzz_input.h"

using pkiform::fuzz::Expect;
namespace planner = pkiform::planner;

namespace {

void CheckWindow(const planner::Window& w) {
  for (int64_t s : {int64_t{0}, int64_t{1'790'000'000}, int64_t{2'500'000'000}, int64_t{-86'400}}) {
    const planner::WindowTime at{std::chrono::seconds(s)};
    const planner::WindowTime next = planner::NextOpening(w, at);
    if (next == planner::WindowTime::max()) continue;  // a zone whose every opening is skipped
    Expect(next >= at, "the next opening is not in the past");
    Expect(planner::IsOpen(w, next), "the window is open when it opens");
    const planner::WindowTime closes = planner::ClosesAt(w, at);
    Expect(closes > next, "a window closes after it opens");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view rest = pkiform::fuzz::AsText(data + 1, size - 1);
  if (data[0] % 2 == 0) {
    const auto w = planner::ParseWindow(rest, planner::TimeZone());
    if (w.ok()) CheckWindow(*w);
    return 0;
  }
  const auto zone = planner::TimeZone::FromTzif("fuzz", rest);
  if (!zone.ok()) return 0;
  for (int64_t s = -4'000'000'000; s < 8'000'000'000; s += 123'456'789) {
    const int32_t offset = zone->OffsetAt(s);
    Expect(offset > -26 * 3600 && offset < 26 * 3600, "an offset is within a day of UTC");
  }
  const auto w = planner::ParseWindow("Sun 01:00-03:00, Mon-Fri 22:00-02:00", *zone);
  Expect(w.ok(), "a valid window parses in any zone");
  CheckWindow(*w);
  return 0;
}
