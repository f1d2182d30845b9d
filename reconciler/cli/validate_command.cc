#include <iostream>

#include "reconciler/cli/commands.h"
#include "reconciler/cli/handlers.h"
#include "reconciler/cli/report_diagnostics.h"
#include "reconciler/diag/render.h"
#include "reconciler/log/log.h"
#include "reconciler/manifest/loader.h"
#include "reconciler/pki/clock.h"
#include "reconciler/render/fleet_summary.h"
#include "reconciler/rules/load_and_check.h"

namespace pkiform::cli {

int RunValidate(const GlobalOptions&, const CommandArgs& args) {
  DiagnosticList diags;
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
  if (!args.now.empty()) {
    auto parsed = pki::ParseRfc3339Utc(args.now);
    if (!parsed.ok()) {
      log::Error({}, "--now: " + parsed.status().message());
      return kExitError;
    }
    now = *parsed;
  }
  pki::FixedClock clock(now);
  LoadedManifests loaded = LoadAndCheck(args.manifests, clock, diags);
  if (args.strict) diags.PromoteWarnings();
  ReportDiagnostics(diags, loaded.sources);
  if (!args.quiet && !diags.has_errors()) std::cout << RenderFleetSummary(loaded);
  log::Progress(diags.has_errors() ? log::Level::kError : log::Level::kInfo, {},
                (diags.has_errors() ? "validation failed: " : "validation passed: ") + DiagnosticSummary(diags) +
                    " in " + std::to_string(loaded.files.size()) + (loaded.files.size() == 1 ? " file" : " files"));
  return diags.has_errors() ? kExitError : kExitOk;
}

}  // namespace pkiform::cli
