// Small file helpers of the appliance simulator: whole-file reads, atomic writes
// (temp file + rename, so that the TLS daemon never reads half a file while a
// shell writes it), key=value files, and the cluster lock (flock).
#pragma once
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "reconciler/util/result.h"

namespace pkiform::sim {

namespace fs = std::filesystem;

// The whole file, or nullopt when it cannot be read. Files over 4 MiB are refused.
std::optional<std::string> ReadText(const fs::path& path);
// Writes `text` to a temporary sibling, then renames it over `path` (mode applied first).
Status WriteTextAtomic(const fs::path& path, const std::string& text, fs::perms mode = fs::perms(0644));
// "key=value" lines; blank lines and lines starting with '#' are ignored.
std::map<std::string, std::string> ParseKeyValues(const std::string& text);
std::string FormatKeyValues(const std::map<std::string, std::string>& values);
// The integer a key=value file holds as text, or `fallback` when it is empty or no number.
int ToInt(const std::string& text, int fallback);
// Entries of a directory (file names only), sorted; empty when it does not exist.
std::vector<std::string> ListDir(const fs::path& dir);

// An exclusive flock on a file, held for the object's lifetime. The shells of the
// nodes of one cluster take it on CDIR/lock around every command that changes state,
// so that replication (rule U10) never interleaves with another node's change.
class FileLock {
 public:
  explicit FileLock(const fs::path& path);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  bool locked() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

}  // namespace pkiform::sim
