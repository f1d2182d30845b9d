// Diagnostic: one problem found in the user's input, located at file:line:col.
//
// Loading and validating manifests never stops at the first problem: every
// check appends Diagnostics to a DiagnosticList, and the CLI prints them all
// with one renderer (`file:line:col: error: message [rule]`, the source line
// and a caret), as Ninja does for its manifests. Line and column are 1-based;
// 0 means "the whole file".
#pragma once

#include <string>
#include <vector>

namespace pkiform {

enum class Severity { kError, kWarning };

struct SourceLocation {
  std::string file;  // as the user named it (relative paths stay relative)
  int line = 0;
  int column = 0;
};

struct Diagnostic {
  Severity severity = Severity::kError;
  SourceLocation where;
  std::string message;
  std::string rule;  // SEED-RULES.md id ("V3") or a pkiform check id ("schema", "ref"); may be empty
  // How many places use the value this problem is about: a node shared through
  // YAML aliases is validated and reported once, with this count.
  int repeats = 1;
};

class DiagnosticList {
 public:
  void Error(SourceLocation where, std::string message, std::string rule = "");
  void Warning(SourceLocation where, std::string message, std::string rule = "");
  void Add(Diagnostic d) { items_.push_back(std::move(d)); }
  void Append(const DiagnosticList& other);
  // One more place uses the value that items()[index] is about.
  void AddRepeat(size_t index);

  const std::vector<Diagnostic>& items() const { return items_; }
  int errors() const;
  int warnings() const;
  bool has_errors() const { return errors() > 0; }
  // --strict: every warning becomes an error.
  void PromoteWarnings();
  // Sorted by file, line, column (stable for equal positions), duplicates removed.
  void Sort();

 private:
  std::vector<Diagnostic> items_;
};

}  // namespace pkiform
