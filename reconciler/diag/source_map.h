// SourceMap: the text of every file that diagnostics may point into, so the
// renderer can quote the offending line under the message.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace pkiform {

class SourceMap {
 public:
  void Add(const std::string& file, std::string text) { files_[file] = std::move(text); }
  // The whole text of `file`, or null when it was never added.
  const std::string* Text(const std::string& file) const;
  // The 1-based line of `file` without its newline, if known.
  std::optional<std::string_view> Line(const std::string& file, int line) const;

 private:
  std::map<std::string, std::string> files_;
};

}  // namespace pkiform
