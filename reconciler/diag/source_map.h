// SourceMap: the text of every file that diagnostics may point into, so the
// renderer can quote the offending line under the message. Lines are indexed
// once per file: a file with many problems is not rescanned for each one.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pkiform {

class SourceMap {
 public:
  // kNo: the text is kept (for digests) but never quoted, e.g. a manifest that
  // resolves outside the repository through a symbolic link.
  enum class Quote { kYes, kNo };

  void Add(const std::string& file, std::string text, Quote quote = Quote::kYes);
  // The whole text of `file`, or null when it was never added.
  const std::string* Text(const std::string& file) const;
  // The 1-based line of `file` without its line break, if known and quotable.
  std::optional<std::string_view> Line(const std::string& file, int line) const;

 private:
  struct Source {
    std::string text;
    std::vector<size_t> line_starts;  // offset of each line's first byte
    Quote quote = Quote::kYes;
  };
  std::map<std::string, Source> files_;
};

}  // namespace pkiform
