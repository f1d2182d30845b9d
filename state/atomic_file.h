// Durable writes for the state store. A file is either replaced whole and
// atomically (WriteFileAtomic: readers and a crash see the old content or the
// new, never a mix) or grown by whole lines (AppendLine, for the append-only
// logs). Every write of the store goes through one of these two; the run lock
// file is the one exception (it must never be replaced, see run_lock.h).
#pragma once

#include <string>
#include <string_view>
#include <sys/types.h>

#include "reconciler/util/result.h"

namespace pkiform::state {

// Writes `data` to a new temporary file next to `path` (created with O_EXCL and
// `mode` from the start, so the umask can only narrow it and it is never widened
// later), fsyncs it, renames it over `path` and fsyncs the directory. On failure
// the temporary file is removed and `path` is untouched.
Status WriteFileAtomic(const std::string& path, std::string_view data, mode_t mode);

// The whole content of `path`; NotFound when it does not exist.
Result<std::string> ReadFile(const std::string& path);

// Appends `line` plus "\n" to the file open as `fd` (O_RDWR | O_APPEND) with one
// write(2), so lines appended concurrently by several processes never interleave,
// then fsyncs. If the file does not end with "\n" (a line torn by a crash), a "\n"
// goes first so the torn line stays on its own. `line` must not contain "\n".
// The caller holds flock(fd, LOCK_EX): without it, another writer's line still
// being copied in would look torn.
Status AppendLine(int fd, std::string_view line, const std::string& path_for_messages);

// Opens (creating with `mode` if needed), flocks and AppendLine()s to `path`; a
// newly created file also has its directory synced. Readers need no lock: they
// ignore a last line without "\n", which is still being written (or was torn).
Status AppendLineToFile(const std::string& path, std::string_view line, mode_t mode);

// fsync(2) of a directory, which makes creations, renames and removals in it durable.
Status SyncDirectory(const std::string& dir);

// unlink(2) plus a sync of the directory; a file that is already gone is fine.
Status RemoveFileDurably(const std::string& path);

}  // namespace pkiform::state
