// Which files a run reads for its -f arguments, and where the repository they
// belong to ends.
//
// A directory means every `*.yaml` below it, sorted, hidden entries skipped;
// symbolic links to directories are not descended, and a directory reached
// twice (a bind mount) is read once, so the walk ends on any tree. Every
// filesystem error becomes a diagnostic at the path that caused it.
//
// The repository is the Git work tree holding the -f path, or without one the
// -f folder itself (a file's folder). A manifest or a referenced file written
// inside it that resolves outside it through a symbolic link is not what a
// reviewer sees in the merge request: the loader and the checks warn about it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "reconciler/diag/diagnostic.h"

namespace pkiform {

struct ManifestFile {
  std::string path;  // as displayed: relative paths stay relative
  std::string root;  // the repository it belongs to
};

// The default when no -f is given: ./pkiform.yaml if present, else ./manifests/.
std::vector<std::string> DefaultManifestPaths();

// Files to read for the -f arguments, each once; unreadable arguments and
// entries become diagnostics.
std::vector<ManifestFile> ExpandManifestPaths(const std::vector<std::string>& args, DiagnosticList& diags);

// True when `path`, inside `root` as written, resolves (symbolic links followed)
// to a place outside it. False when it cannot be resolved: that is reported
// where the file is read.
bool ResolvesOutside(const std::string& path, const std::string& root);

// The warning for such a file, in one wording for manifests and references.
inline constexpr const char* kOutsideRepositoryWarning =
    "a symbolic link leads outside the repository (its Git work tree, or the -f folder): a review of the "
    "repository does not show what is read here";

}  // namespace pkiform
