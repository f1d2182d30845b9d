// Renders diagnostics for people, one format everywhere (Ninja style):
//
//   manifests/vcs.yaml:12:7: error: wildcard in subject CN '*.example.com' [V2]
//     commonName: "*.example.com"
//                 ^
//
// The quoted line and caret appear when the source text is known.
#pragma once

#include <string>

#include "reconciler/diag/diagnostic.h"
#include "reconciler/diag/source_map.h"

namespace pkiform {

std::string RenderDiagnostic(const Diagnostic& d, const SourceMap& sources);
std::string RenderDiagnostics(const DiagnosticList& list, const SourceMap& sources);
// "2 errors, 1 warning" (or "no problems").
std::string DiagnosticSummary(const DiagnosticList& list);

}  // namespace pkiform
