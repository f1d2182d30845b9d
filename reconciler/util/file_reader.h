// Reading the files a repository names (manifests, certificates, keys, CRLs,
// passphrase files) without trusting what they are. A path may name a FIFO that
// never answers, /dev/zero, a device whose open() has side effects, a symbolic
// link loop or a name too long for the kernel: each becomes a Status with a
// message for people, never a hang, an exception or memory exhaustion.
//
// What is refused: anything but a regular file (checked with stat() before the
// open, so a device is never opened, and again with fstat() on what was opened);
// more than the limit of its kind (util/input_limits.h). Symbolic links are
// followed (repositories use them); the loader warns when one leads outside the
// repository.
#pragma once

#include <string>

#include "reconciler/util/input_limits.h"
#include "reconciler/util/result.h"

namespace pkiform {

// An open regular file (O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC).
class RegularFile {
 public:
  // Errors: InvalidInput "is a directory, not a file", "is a FIFO (named pipe),
  // not a regular file", ...; NotFound or IoError with the system's words alone
  // ("No such file or directory"), for the caller to put in context.
  static Result<RegularFile> Open(const std::string& path);
  RegularFile(RegularFile&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  RegularFile& operator=(RegularFile&& other) noexcept;
  RegularFile(const RegularFile&) = delete;
  RegularFile& operator=(const RegularFile&) = delete;
  ~RegularFile();

  // Reads up to `size` bytes into `buffer`, retrying short reads until end of
  // file; returns how many were read. Callers that hold secrets own the buffer.
  Result<size_t> ReadUpTo(char* buffer, size_t size) const;

 private:
  explicit RegularFile(int fd) : fd_(fd) {}
  int fd_ = -1;
};

// The whole file, refused when it holds more than `limit.bytes` (whatever its
// stat size says: /proc files say 0). Messages ("cannot read file: No such file
// or directory", "is a FIFO (named pipe), not a regular file", "is larger than
// 1 MiB, ...") do not repeat the path: callers put it in front, as they wrote it.
Result<std::string> ReadBoundedFile(const std::string& path, const limits::FileLimit& limit);

// Whether `path` names a regular file, without opening it: for files validate
// names but does not read (identityFile, passwordFile). NotFound when nothing
// is there; InvalidInput for a directory, FIFO, device or socket; IoError for
// the rest (a loop, a name too long, a permission).
Status CheckRegularFile(const std::string& path);

}  // namespace pkiform
