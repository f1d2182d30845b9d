#include "state/manifest_commit.h"

#include <filesystem>
#include <optional>
#include <string_view>
#include <system_error>

#include "reconciler/util/file_reader.h"
#include "reconciler/util/input_limits.h"

namespace pkiform::state {

namespace fs = std::filesystem;

namespace {

// The repository's own folder: where HEAD lives (`git_dir`) and where shared refs
// live (`common_dir`, different for a linked worktree).
struct GitDirs {
  fs::path git_dir;
  fs::path common_dir;
};

// The repository is untrusted like the manifests: HEAD may be a FIFO or
// /dev/zero, packed-refs may be huge. Such a file names no commit.
std::optional<std::string> ReadText(const fs::path& path) {
  Result<std::string> content = ReadBoundedFile(path.string(), limits::kGitRefFile);
  if (!content.ok()) return std::nullopt;
  return std::move(content).value();
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

bool IsObjectId(std::string_view s) {
  if (s.size() != 40 && s.size() != 64) return false;  // SHA-1 or SHA-256 repositories
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

// A ref name that stays inside the repository folder.
bool IsSafeRefName(std::string_view ref) {
  if (ref.empty() || ref.front() == '/') return false;
  for (const fs::path& part : fs::path(std::string(ref)))
    if (part == "..") return false;
  return true;
}

std::optional<GitDirs> FindGitDirs(const fs::path& start) {
  std::error_code ec;
  fs::path dir = fs::weakly_canonical(fs::absolute(start, ec), ec);
  if (ec) return std::nullopt;
  while (true) {
    const fs::path dot_git = dir / ".git";
    if (fs::is_directory(dot_git, ec)) return GitDirs{dot_git, dot_git};
    if (fs::is_regular_file(dot_git, ec)) {
      // "gitdir: <path>", relative to the folder holding the .git file.
      std::optional<std::string> text = ReadText(dot_git);
      if (!text) return std::nullopt;
      std::string_view line = Trim(*text);
      if (line.substr(0, 7) != "gitdir:") return std::nullopt;
      fs::path git_dir = fs::path(std::string(Trim(line.substr(7))));
      if (git_dir.is_relative()) git_dir = dir / git_dir;
      fs::path common_dir = git_dir;
      if (std::optional<std::string> common = ReadText(git_dir / "commondir")) {
        fs::path c = std::string(Trim(*common));
        common_dir = c.is_relative() ? git_dir / c : c;
      }
      return GitDirs{git_dir, common_dir};
    }
    if (!dir.has_parent_path() || dir.parent_path() == dir) return std::nullopt;
    dir = dir.parent_path();
  }
}

// The object id that `ref` ("refs/heads/main") names: a loose ref (in the
// worktree's folder first, then the shared one), else packed-refs.
std::string ResolveRef(const GitDirs& dirs, std::string ref, int depth) {
  if (depth > 5 || !IsSafeRefName(ref)) return "";
  for (const fs::path& base : {dirs.git_dir, dirs.common_dir}) {
    std::optional<std::string> text = ReadText(base / ref);
    if (!text) continue;
    std::string_view value = Trim(*text);
    if (value.substr(0, 4) == "ref:") return ResolveRef(dirs, std::string(Trim(value.substr(4))), depth + 1);
    return IsObjectId(value) ? std::string(value) : "";
  }
  std::optional<std::string> packed = ReadText(dirs.common_dir / "packed-refs");
  if (!packed) return "";
  std::string_view rest = *packed;
  while (!rest.empty()) {
    const size_t end = rest.find('\n');
    std::string_view line = Trim(rest.substr(0, end));
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
    if (line.empty() || line.front() == '#' || line.front() == '^') continue;  // header, peeled tag
    const size_t space = line.find(' ');
    if (space == std::string_view::npos) continue;
    if (line.substr(space + 1) == ref && IsObjectId(line.substr(0, space))) return std::string(line.substr(0, space));
  }
  return "";
}

}  // namespace

std::string ManifestCommit(const std::string& dir) {
  std::optional<GitDirs> dirs = FindGitDirs(dir.empty() ? "." : dir);
  if (!dirs) return "";
  std::optional<std::string> head = ReadText(dirs->git_dir / "HEAD");
  if (!head) return "";
  std::string_view value = Trim(*head);
  if (value.substr(0, 4) == "ref:") return ResolveRef(*dirs, std::string(Trim(value.substr(4))), 0);
  return IsObjectId(value) ? std::string(value) : "";  // detached HEAD
}

}  // namespace pkiform::state
