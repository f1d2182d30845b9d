// A temporary directory for a test, removed with everything in it at the end.
#pragma once

#include <filesystem>
#include <string>

namespace pkiform::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Writes `text` to `relative` (folders created) and returns the full path.
  std::string Write(const std::string& relative, const std::string& text) const;

 private:
  std::filesystem::path path_;
};

}  // namespace pkiform::testing
