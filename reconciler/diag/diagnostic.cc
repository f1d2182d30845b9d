#include "reconciler/diag/diagnostic.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace pkiform {

void DiagnosticList::Error(SourceLocation where, std::string message, std::string rule) {
  items_.push_back({Severity::kError, std::move(where), std::move(message), std::move(rule)});
}

void DiagnosticList::Warning(SourceLocation where, std::string message, std::string rule) {
  items_.push_back({Severity::kWarning, std::move(where), std::move(message), std::move(rule)});
}

void DiagnosticList::AddRepeat(size_t index) { ++items_.at(index).repeats; }

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
  auto position = [](const Diagnostic& d) { return std::tie(d.where.file, d.where.line, d.where.column); };
  std::stable_sort(items_.begin(), items_.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) { return position(a) < position(b); });
  // Within one position, the same problem (however interleaved with others) collapses
  // into its first occurrence: two checks that see the same mistake say it once.
  std::vector<Diagnostic> kept;
  std::map<std::tuple<Severity, std::string, std::string>, size_t> at_position;
  for (auto& d : items_) {
    if (kept.empty() || position(kept.back()) != position(d)) at_position.clear();
    auto [it, fresh] = at_position.emplace(std::make_tuple(d.severity, d.message, d.rule), kept.size());
    if (!fresh) {
      kept[it->second].repeats = std::max(kept[it->second].repeats, d.repeats);
      continue;
    }
    kept.push_back(std::move(d));
  }
  items_ = std::move(kept);
}

}  // namespace pkiform
