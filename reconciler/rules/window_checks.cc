// A cluster's maintenance window (restarts.window) and the time zone it is read in
// (restarts.timeZone): both are checked before anything runs on a schedule, so that a
// window that does not parse is an error at validate, not a reconcile that never applies.
// Every problem is reported at once, at the value that holds it (rule `window`).
#include "reconciler/planner/maintenance_window.h"
#include "reconciler/rules/check_util.h"

namespace pkiform {

void CheckWindows(const CheckContext& ctx, DiagnosticList& out) {
  for (const auto& c : ctx.desired().clusters) {
    const RestartPolicy& r = c.restarts;
    planner::TimeZone zone;  // UTC, for the window's own syntax when the zone is refused
    if (r.time_zone != "UTC") {
      Result<planner::TimeZone> loaded = planner::LoadTimeZone(r.time_zone);
      if (loaded.ok())
        zone = *loaded;
      else
        out.Error(r.at("timeZone"), "restarts.timeZone: " + loaded.status().message(), "window");
    }
    if (r.window.empty()) continue;
    Result<planner::Window> window = planner::ParseWindow(r.window, zone);
    if (!window.ok()) out.Error(r.at("window"), "restarts.window: " + window.status().message(), "window");
  }
}

}  // namespace pkiform
