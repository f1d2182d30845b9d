// ManifestCommit: which commit of the manifest repository a run worked from, for
// the history. Read from the repository's files (HEAD, loose refs, packed-refs)
// without running git, so pkiform needs no git binary.
#pragma once

#include <string>

namespace pkiform::state {

// The commit id that HEAD resolves to in the git repository containing `dir`
// (`dir` itself or its nearest parent with a .git directory, or a .git file as in
// worktrees and submodules). Follows a symbolic HEAD through loose refs, then
// packed-refs. "" when `dir` is not inside a git repository, when HEAD names a
// branch with no commit yet, or when the repository cannot be read.
std::string ManifestCommit(const std::string& dir);

}  // namespace pkiform::state
