// The manifests' diagnostics on stderr, for validate, plan and apply: in text the
// Ninja-style block people know (diag/render.h: quoted source line and caret); with
// `--log-format json` one log line per diagnostic (its first line as msg, at its
// severity), so that stderr holds nothing but JSON objects.
#pragma once

#include "reconciler/diag/diagnostic.h"
#include "reconciler/diag/source_map.h"

namespace pkiform::cli {

void ReportDiagnostics(const DiagnosticList& list, const SourceMap& sources);

}  // namespace pkiform::cli
