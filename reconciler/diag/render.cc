#include "reconciler/diag/render.h"

namespace pkiform {

std::string RenderDiagnostic(const Diagnostic& d, const SourceMap& sources) {
  std::string out = d.where.file;
  if (d.where.line > 0) {
    out += ":" + std::to_string(d.where.line);
    if (d.where.column > 0) out += ":" + std::to_string(d.where.column);
  }
  out += d.severity == Severity::kError ? ": error: " : ": warning: ";
  out += d.message;
  if (!d.rule.empty()) out += " [" + d.rule + "]";
  out += "\n";
  if (auto line = sources.Line(d.where.file, d.where.line); line && d.where.column > 0) {
    out += "  " + std::string(*line) + "\n";
    // Keep tabs so the caret lines up under tab-indented text.
    std::string pad;
    for (int i = 0; i < d.where.column - 1 && i < static_cast<int>(line->size()); ++i)
      pad += (*line)[i] == '\t' ? '\t' : ' ';
    out += "  " + pad + "^\n";
  }
  return out;
}

std::string RenderDiagnostics(const DiagnosticList& list, const SourceMap& sources) {
  std::string out;
  for (const auto& d : list.items()) out += RenderDiagnostic(d, sources);
  return out;
}

static std::string Plural(int n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::string DiagnosticSummary(const DiagnosticList& list) {
  if (list.items().empty()) return "no problems";
  return Plural(list.errors(), "error") + ", " + Plural(list.warnings(), "warning");
}

}  // namespace pkiform
