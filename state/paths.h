// Paths inside the state directory: the check that a name (cluster, peer, slot,
// issuer) is one safe path component, directory creation with a chosen mode, and
// directory listing. Every state module builds its file names with these, so no
// name from a manifest can reach outside the folder it is meant for.
#pragma once

#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

#include "reconciler/util/result.h"

namespace pkiform::state {

// Ok when `name` can be used as one file name: not empty, at most 255 bytes, no
// '/', no NUL, and not starting with '.' (which also rules out "." and ".." and
// keeps names apart from the store's hidden temporary files). `what` names the
// field in the message ("cluster", "peer", ...).
Status CheckPathComponent(std::string_view what, std::string_view name);

// mkdir -p: creates every missing directory of `path` with `mode` (narrowed by the
// umask) and syncs its parent so the new entry survives a crash. Existing
// directories are left as they are; an existing non-directory is an error.
Status MakeDirectories(const std::string& path, mode_t mode);

// The names in directory `path`, sorted, without hidden entries (those starting
// with '.'). A missing directory lists as empty.
Result<std::vector<std::string>> ListDirectory(const std::string& path);

// "cannot <action> <path>: <strerror(err)>" as an I/O error (NotFound for ENOENT).
Status ErrnoStatus(std::string_view action, const std::string& path, int err);

}  // namespace pkiform::state
