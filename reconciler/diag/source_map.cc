#include "reconciler/diag/source_map.h"

namespace pkiform {

void SourceMap::Add(const std::string& file, std::string text, Quote quote) {
  Source s{std::move(text), {0}, quote};
  for (size_t i = s.text.find('\n'); i != std::string::npos; i = s.text.find('\n', i + 1))
    s.line_starts.push_back(i + 1);
  files_[file] = std::move(s);
}

const std::string* SourceMap::Text(const std::string& file) const {
  auto it = files_.find(file);
  return it == files_.end() ? nullptr : &it->second.text;
}

std::optional<std::string_view> SourceMap::Line(const std::string& file, int line) const {
  auto it = files_.find(file);
  if (it == files_.end() || it->second.quote == Quote::kNo || line < 1) return std::nullopt;
  const Source& s = it->second;
  if (static_cast<size_t>(line) > s.line_starts.size()) return std::nullopt;
  std::string_view text = s.text;
  const size_t start = s.line_starts[line - 1];
  if (start > text.size()) return std::nullopt;
  size_t end = text.find('\n', start);
  std::string_view l = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
  if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
  return l;
}

}  // namespace pkiform
