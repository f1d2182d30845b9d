#include "reconciler/manifest/manifest_paths.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <utility>

#include "reconciler/util/input_limits.h"

namespace fs = std::filesystem;

namespace pkiform {
namespace {

bool IsHidden(const fs::path& p) {
  std::string name = p.filename().string();
  return !name.empty() && name[0] == '.' && name != "." && name != "..";
}

bool IsWithin(const fs::path& p, const fs::path& dir) {
  const fs::path rel = p.lexically_relative(dir);
  return !rel.empty() && *rel.begin() != "..";
}

std::string DisplayPath(const std::string& p) { return fs::path(p).lexically_normal().string(); }

std::string Describe(const std::error_code& ec) {
  return ec == std::errc::no_such_file_or_directory ? "no such file or directory" : "cannot read: " + ec.message();
}

// The Git work tree holding `start` (a folder), or `start` itself.
std::string RepositoryRoot(const fs::path& start) {
  std::error_code ec;
  const fs::path absolute = fs::absolute(start.empty() ? fs::path(".") : start, ec).lexically_normal();
  if (ec) return start.string();
  for (fs::path dir = absolute;; dir = dir.parent_path()) {
    if (fs::exists(fs::symlink_status(dir / ".git", ec))) return dir.string();
    if (dir == dir.root_path() || dir.parent_path() == dir) break;
  }
  return absolute.string();
}

class DirectoryWalk {
 public:
  DirectoryWalk(std::vector<std::string>& found, DiagnosticList& diags) : found_(found), diags_(diags) {}

  // Every *.yaml below `top`; false once the file limit stops the walk.
  bool Walk(const fs::path& top) {
    std::vector<fs::path> pending = {top};
    while (!pending.empty()) {
      const fs::path dir = std::move(pending.back());
      pending.pop_back();
      if (!FirstVisit(dir)) continue;
      std::error_code ec;
      fs::directory_iterator it(dir, ec), end;
      if (ec) diags_.Error({DisplayPath(dir.string()), 0, 0}, Describe(ec));
      std::vector<fs::path> subdirs;
      for (; !ec && it != end; it.increment(ec)) {
        const fs::path& p = it->path();
        if (IsHidden(p)) continue;
        std::error_code st_ec;
        const fs::file_status link = it->symlink_status(st_ec);
        if (!st_ec && fs::is_directory(link)) {
          subdirs.push_back(p);
          continue;
        }
        if (p.extension() != ".yaml") continue;
        // A *.yaml entry is meant to be read: whatever stands in the way is reported.
        const fs::file_status target = fs::status(p, st_ec);
        if (st_ec) {
          diags_.Error({DisplayPath(p.string()), 0, 0}, Describe(st_ec));
        } else if (fs::is_directory(target)) {
          continue;  // a link to a folder: not descended
        } else {
          if (found_.size() == limits::kManifestFiles) {
            diags_.Error({DisplayPath(top.string()), 0, 0},
                         "more than " + std::to_string(limits::kManifestFiles) +
                             " *.yaml files below this folder; is it the manifest folder? (none is read)", "limit");
            return false;
          }
          found_.push_back(p.string());  // a FIFO or device is refused when it is read
        }
      }
      if (ec) diags_.Error({DisplayPath(dir.string()), 0, 0}, "stopped reading this folder: " + ec.message());
      // Sorted and pushed in reverse, so folders are walked in name order.
      std::sort(subdirs.rbegin(), subdirs.rend());
      for (auto& d : subdirs) pending.push_back(std::move(d));
    }
    return true;
  }

 private:
  // False for a folder already walked (bind mounts can make a tree a graph).
  bool FirstVisit(const fs::path& dir) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) return true;  // the iterator reports why
    return visited_.insert({st.st_dev, st.st_ino}).second;
  }

  std::vector<std::string>& found_;
  DiagnosticList& diags_;
  std::set<std::pair<dev_t, ino_t>> visited_;
};

}  // namespace

std::vector<std::string> DefaultManifestPaths() {
  std::error_code ec;
  if (fs::exists(fs::status("pkiform.yaml", ec))) return {"pkiform.yaml"};
  return {"manifests"};
}

std::vector<ManifestFile> ExpandManifestPaths(const std::vector<std::string>& args, DiagnosticList& diags) {
  std::vector<ManifestFile> files;
  std::set<std::string> seen;
  const auto add = [&](const std::string& path, const std::string& root) {
    // A file named twice (directly and through its folder) is read once.
    std::string shown = DisplayPath(path);
    if (seen.insert(shown).second) files.push_back({std::move(shown), root});
  };
  for (const auto& arg : args) {
    std::error_code ec;
    const fs::file_status st = fs::status(arg, ec);
    if (ec || !fs::exists(st)) {
      diags.Error({arg, 0, 0}, Describe(ec ? ec : std::make_error_code(std::errc::no_such_file_or_directory)));
    } else if (fs::is_directory(st)) {
      std::vector<std::string> found;
      // Past the file limit this is no manifest folder (-f / ?): nothing of it is read.
      if (!DirectoryWalk(found, diags).Walk(arg)) continue;
      std::sort(found.begin(), found.end());
      if (found.empty()) diags.Error({arg, 0, 0}, "no *.yaml manifest in this directory");
      const std::string root = RepositoryRoot(arg);
      for (const auto& f : found) add(f, root);
    } else {
      add(arg, RepositoryRoot(fs::path(arg).parent_path()));
    }
  }
  return files;
}

bool ResolvesOutside(const std::string& path, const std::string& root) {
  std::error_code ec;
  const fs::path written = fs::absolute(path, ec).lexically_normal();
  if (ec) return false;
  const fs::path top = fs::absolute(root, ec).lexically_normal();
  if (ec || !IsWithin(written, top)) return false;  // written outside: the manifest says so openly
  const fs::path real = fs::canonical(written, ec);
  if (ec) return false;
  const fs::path real_top = fs::canonical(top, ec);
  return !ec && !IsWithin(real, real_top);
}

}  // namespace pkiform
