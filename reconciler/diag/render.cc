#include "reconciler/diag/render.h"

#include "reconciler/util/terminal_escape.h"

namespace pkiform {
namespace {

// Bounds on what one diagnostic prints, whatever the input holds: messages quote
// values cut short already (util/excerpt.h); these catch the rest.
constexpr size_t kMaxMessageBytes = 1000;
// A long source line is shown as the bytes around the caret only.
constexpr size_t kMaxSourceLineBytes = 160;
constexpr size_t kSourceContextBytes = 60;

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Moves `i` back to the start of the UTF-8 sequence it falls in.
size_t CharStart(std::string_view s, size_t i) {
  while (i > 0 && i < s.size() && IsContinuation(s[i])) --i;
  return i;
}

std::string BoundedMessage(const std::string& message) {
  if (message.size() <= kMaxMessageBytes) return message;
  return message.substr(0, CharStart(message, kMaxMessageBytes)) + "... (message cut short: " +
         std::to_string(message.size()) + " bytes)";
}

// Spaces as wide as the escaped text, keeping its tabs so the caret lines up
// under tab-indented text (one column per character: escaping leaves only
// printable ASCII, tabs and UTF-8).
std::string PadUnder(std::string_view escaped) {
  std::string pad;
  for (char c : escaped)
    if (!IsContinuation(c)) pad += c == '\t' ? '\t' : ' ';
  return pad;
}

// The quoted line and its caret, escaped and, for a long line, cut to the bytes
// around the caret.
std::string QuoteLine(std::string_view line, int column) {
  size_t caret = std::min(static_cast<size_t>(column - 1), line.size());
  size_t begin = 0, end = line.size();
  if (line.size() > kMaxSourceLineBytes) {
    begin = CharStart(line, caret > kSourceContextBytes ? caret - kSourceContextBytes : 0);
    end = CharStart(line, std::min(line.size(), caret + kSourceContextBytes));
    if (end <= caret) end = std::min(line.size(), caret + 1);
  }
  const std::string before = (begin > 0 ? "..." : "") +
                             EscapeForTerminal(line.substr(begin, caret - begin), Backslash::kKeep);
  const std::string after = EscapeForTerminal(line.substr(caret, end - caret), Backslash::kKeep) +
                            (end < line.size() ? "..." : "");
  return "  " + before + after + "\n  " + PadUnder(before) + "^\n";
}

}  // namespace

std::string RenderDiagnostic(const Diagnostic& d, const SourceMap& sources) {
  std::string out = EscapeForTerminal(d.where.file, Backslash::kKeep);
  if (d.where.line > 0) {
    out += ":" + std::to_string(d.where.line);
    if (d.where.column > 0) out += ":" + std::to_string(d.where.column);
  }
  out += d.severity == Severity::kError ? ": error: " : ": warning: ";
  out += EscapeForTerminal(BoundedMessage(d.message), Backslash::kKeep);
  if (d.repeats > 1) out += " (this value is used " + std::to_string(d.repeats) + " times, through YAML aliases)";
  if (!d.rule.empty()) out += " [" + EscapeForTerminal(d.rule) + "]";
  out += "\n";
  if (auto line = sources.Line(d.where.file, d.where.line); line && d.where.column > 0)
    out += QuoteLine(*line, d.where.column);
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
