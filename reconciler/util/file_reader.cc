#include "reconciler/util/file_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace pkiform {
namespace {

Status KindError(mode_t mode) {
  if (S_ISDIR(mode)) return Status::InvalidInput("is a directory, not a file");
  if (S_ISFIFO(mode)) return Status::InvalidInput("is a FIFO (named pipe), not a regular file");
  if (S_ISCHR(mode)) return Status::InvalidInput("is a character device, not a regular file");
  if (S_ISBLK(mode)) return Status::InvalidInput("is a block device, not a regular file");
  if (S_ISSOCK(mode)) return Status::InvalidInput("is a socket, not a regular file");
  return Status::InvalidInput("is not a regular file");
}

// What the system said, bare ("No such file or directory"); NotFound or IoError.
Status ErrnoError(int err) {
  return err == ENOENT ? Status::NotFound(std::strerror(err)) : Status::IoError(std::strerror(err));
}

// "cannot read file: No such file or directory"; "is a FIFO ..." stays as it is.
Status ForPeople(const Status& s) {
  if (s.code() == Status::Code::kNotFound) return Status::NotFound("cannot read file: " + s.message());
  if (s.code() == Status::Code::kIoError) return Status::IoError("cannot read file: " + s.message());
  return s;
}

std::string Size(size_t bytes) {
  if (bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes % (1u << 10) == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " bytes";
}

}  // namespace

Result<RegularFile> RegularFile::Open(const std::string& path) {
  // stat() first: opening a device can have effects of its own (a watchdog arms,
  // a tape rewinds), so only what is a regular file now is opened at all.
  struct stat before {};
  if (::stat(path.c_str(), &before) != 0) return ErrnoError(errno);
  if (!S_ISREG(before.st_mode)) return KindError(before.st_mode);
  // O_NONBLOCK: should a FIFO take the file's place after the stat(), the open
  // still returns at once, and fstat() refuses it.
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return ErrnoError(errno);
  RegularFile file(fd);
  struct stat opened {};
  if (::fstat(fd, &opened) != 0) return ErrnoError(errno);
  if (!S_ISREG(opened.st_mode)) return KindError(opened.st_mode);
  return file;
}

RegularFile& RegularFile::operator=(RegularFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

RegularFile::~RegularFile() {
  if (fd_ >= 0) ::close(fd_);
}

Result<size_t> RegularFile::ReadUpTo(char* buffer, size_t size) const {
  size_t total = 0;
  while (total < size) {
    const ssize_t n = ::read(fd_, buffer + total, size - total);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoError(errno);
    if (n == 0) break;
    total += static_cast<size_t>(n);
  }
  return total;
}

Result<std::string> ReadBoundedFile(const std::string& path, const limits::FileLimit& limit) {
  auto file = RegularFile::Open(path);
  if (!file.ok()) return ForPeople(file.status());
  // One byte more than the limit tells "exactly at the limit" from "over it".
  std::string bytes;
  size_t total = 0;
  while (total <= limit.bytes) {
    // Doubling: a large file is copied a few times, not once per 64 KiB.
    bytes.resize(std::min(std::max(2 * total, total + (64u << 10)), limit.bytes + 1));
    auto n = file->ReadUpTo(bytes.data() + total, bytes.size() - total);
    if (!n.ok()) return ForPeople(n.status());
    total += *n;
    if (total < bytes.size()) break;  // end of file
  }
  if (total > limit.bytes)
    return Status::InvalidInput("is larger than " + Size(limit.bytes) + ", the most pkiform reads for " + limit.what);
  bytes.resize(total);
  return bytes;
}

Status CheckRegularFile(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return ForPeople(ErrnoError(errno));
  if (!S_ISREG(st.st_mode)) return KindError(st.st_mode);
  return Status::Ok();
}

}  // namespace pkiform
