// Diagnostics on stderr (report_diagnostics.h).
#include "reconciler/cli/report_diagnostics.h"

#include <iostream>

#include "reconciler/diag/render.h"
#include "reconciler/log/log.h"

namespace pkiform::cli {

void ReportDiagnostics(const DiagnosticList& list, const SourceMap& sources) {
  if (log::CurrentFormat() == log::Format::kText) {
    // Written as one block, not through the logger: the renderer has escaped it already,
    // keeping backslashes as the file has them, and its quoted lines have no level.
    std::cerr << RenderDiagnostics(list, sources);
    return;
  }
  for (const auto& d : list.items()) {
    std::string first = RenderDiagnostic(d, sources);
    first = first.substr(0, first.find('\n'));
    log::Log(d.severity == Severity::kError ? log::Level::kError : log::Level::kWarn, {}, first);
  }
}

}  // namespace pkiform::cli
