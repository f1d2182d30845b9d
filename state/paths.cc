#include "state/paths.h"

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <sys/stat.h>
#include <system_error>

#include "state/atomic_file.h"

namespace pkiform::state {

namespace fs = std::filesystem;

Status ErrnoStatus(std::string_view action, const std::string& path, int err) {
  std::string message = "cannot " + std::string(action) + " " + path + ": " + std::generic_category().message(err);
  return err == ENOENT ? Status::NotFound(std::move(message)) : Status::IoError(std::move(message));
}

Status CheckPathComponent(std::string_view what, std::string_view name) {
  auto refuse = [&](const std::string& why) {
    return Status::InvalidInput(std::string(what) + " '" + std::string(name) + "' " + why);
  };
  if (name.empty()) return Status::InvalidInput(std::string(what) + " name is empty");
  if (name.size() > 255) return refuse("is longer than 255 bytes");
  if (name.front() == '.') return refuse("cannot be used as a file name: it starts with '.'");
  if (name.find('/') != std::string_view::npos) return refuse("cannot be used as a file name: it contains '/'");
  if (name.find('\0') != std::string_view::npos) return refuse("cannot be used as a file name: it contains NUL");
  return Status::Ok();
}

Status MakeDirectories(const std::string& path, mode_t mode) {
  if (path.empty()) return Status::InvalidInput("empty directory path");
  fs::path prefix;
  for (const fs::path& part : fs::path(path)) {
    if (part.empty()) continue;  // the trailing "" of "a/b/"
    prefix /= part;
    const std::string current = prefix.string();
    if (::mkdir(current.c_str(), mode) == 0) {
      const std::string parent = prefix.has_parent_path() ? prefix.parent_path().string() : ".";
      Status synced = SyncDirectory(parent.empty() ? "." : parent);
      if (!synced.ok()) return synced;
      continue;
    }
    const int err = errno;
    struct stat st {};
    if (::stat(current.c_str(), &st) == 0) {
      if (S_ISDIR(st.st_mode)) continue;
      return Status::InvalidInput(current + " exists and is not a directory");
    }
    return ErrnoStatus("create directory", current, err);
  }
  return Status::Ok();
}

Result<std::vector<std::string>> ListDirectory(const std::string& path) {
  std::vector<std::string> names;
  std::error_code ec;
  fs::directory_iterator it(path, ec);
  if (ec == std::errc::no_such_file_or_directory) return names;
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (!name.empty() && name.front() != '.') names.push_back(std::move(name));
  }
  if (ec) return Status::IoError("cannot list " + path + ": " + ec.message());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace pkiform::state
