#include "reconciler/diag/diagnostic.h"

#include <algorithm>
#include <tuple>

namespace pkiform {

void DiagnosticList::Error(SourceLocation where, std::string message, std::string rule) {
  items_.push_back({Severity::kError, std::move(where), std::move(message), std::move(rule)});
}

void DiagnosticList::Warning(SourceLocation where, std::string message, std::string rule) {
  items_.push_back({Severity::kWarning, std::move(where), std::move(message), std::move(rule)});
}

void DiagnosticList::Append(const DiagnosticList& other) {
  items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

int DiagnosticList::errors() const {
  return static_cast<int>(std::count_if(items_.begin(), items_.end(),
                                        [](const Diagnostic& d) { return d.severity == Severity::kError; }));
}

int DiagnosticList::warnings() const { return static_cast<int>(items_.size()) - errors(); }

void DiagnosticList::PromoteWarnings() {
  for (auto& d : items_) d.severity = Severity::kError;
}

void DiagnosticList::Sort() {
  auto key = [](const Diagnostic& d) {
    return std::tie(d.where.file, d.where.line, d.where.column, d.message, d.rule);
  };
  std::stable_sort(items_.begin(), items_.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) {
                     return std::tie(a.where.file, a.where.line, a.where.column) <
                            std::tie(b.where.file, b.where.line, b.where.column);
                   });
  items_.erase(std::unique(items_.begin(), items_.end(),
                           [&](const Diagnostic& a, const Diagnostic& b) {
                             return key(a) == key(b) && a.severity == b.severity;
                           }),
               items_.end());
}

}  // namespace pkiform
