#include "state/atomic_file.h"

#include <atomic>
#include <cerrno>
#include <fcntl.h>
#include <filesystem>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "state/paths.h"

namespace pkiform::state {

namespace {

std::string DirectoryOf(const std::string& path) {
  const std::string parent = std::filesystem::path(path).parent_path().string();
  return parent.empty() ? "." : parent;
}

// Writes all of `data`, retrying after signals and short writes.
Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("write", path, errno);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

Status SyncAndClose(int fd, const std::string& path) {
  if (::fsync(fd) != 0) {
    const int err = errno;
    ::close(fd);
    return ErrnoStatus("fsync", path, err);
  }
  if (::close(fd) != 0) return ErrnoStatus("close", path, errno);
  return Status::Ok();
}

}  // namespace

Status SyncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("open directory", dir, errno);
  return SyncAndClose(fd, dir);
}

Status WriteFileAtomic(const std::string& path, std::string_view data, mode_t mode) {
  const std::filesystem::path target(path);
  const std::string base = target.filename().string();
  if (base.empty() || base == "." || base == "..") return Status::InvalidInput("'" + path + "' is not a file name");
  const std::string dir = DirectoryOf(path);

  // pid + a per-process counter keep concurrent writers apart; O_EXCL skips
  // names left behind by a crashed run.
  static std::atomic<unsigned long> counter{0};
  std::string temp;
  int fd = -1;
  for (int attempt = 0; fd < 0; ++attempt) {
    temp = dir + "/." + base + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0 && (errno != EEXIST || attempt >= 100)) return ErrnoStatus("create", temp, errno);
  }

  Status s = WriteAll(fd, data, temp);
  if (!s.ok()) {
    ::close(fd);
  } else {
    s = SyncAndClose(fd, temp);
  }
  if (s.ok() && ::rename(temp.c_str(), path.c_str()) != 0) s = ErrnoStatus("rename " + temp + " to", path, errno);
  if (!s.ok()) {
    ::unlink(temp.c_str());
    return s;
  }
  return SyncDirectory(dir);
}

Result<std::string> ReadFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("open", path, errno);
  std::string content;
  char buffer[16384];
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      return ErrnoStatus("read", path, err);
    }
    if (n == 0) break;
    content.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return content;
}

Status AppendLine(int fd, std::string_view line, const std::string& path_for_messages) {
  if (line.find('\n') != std::string_view::npos) {
    return Status::InvalidInput("cannot append to " + path_for_messages + ": the line contains a newline");
  }
  std::string text;
  struct stat st {};
  if (::fstat(fd, &st) != 0) return ErrnoStatus("stat", path_for_messages, errno);
  if (st.st_size > 0) {
    char last = '\n';
    if (::pread(fd, &last, 1, st.st_size - 1) != 1) return ErrnoStatus("read", path_for_messages, errno);
    if (last != '\n') text += '\n';
  }
  text.append(line);
  text += '\n';
  // One write(2): with O_APPEND the kernel places it whole at the end of the file.
  ssize_t n;
  do {
    n = ::write(fd, text.data(), text.size());
  } while (n < 0 && errno == EINTR);
  if (n < 0) return ErrnoStatus("append to", path_for_messages, errno);
  if (static_cast<size_t>(n) != text.size()) {
    return Status::IoError("cannot append to " + path_for_messages + ": short write (" + std::to_string(n) + " of " +
                           std::to_string(text.size()) + " bytes; is the disk full?)");
  }
  if (::fsync(fd) != 0) return ErrnoStatus("fsync", path_for_messages, errno);
  return Status::Ok();
}

Status AppendLineToFile(const std::string& path, std::string_view line, mode_t mode) {
  bool created = true;
  int fd = ::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0 && errno == EEXIST) {
    created = false;
    fd = ::open(path.c_str(), O_RDWR | O_APPEND | O_CLOEXEC);
  }
  if (fd < 0) return ErrnoStatus("open", path, errno);
  // Exclusive while checking the last byte and writing: another writer's line
  // in progress would otherwise look like a torn one. Closing releases it.
  Status s = Status::Ok();
  while (::flock(fd, LOCK_EX) != 0) {
    if (errno != EINTR) {
      s = ErrnoStatus("lock", path, errno);
      break;
    }
  }
  if (s.ok()) s = AppendLine(fd, line, path);
  if (::close(fd) != 0 && s.ok()) s = ErrnoStatus("close", path, errno);
  if (s.ok() && created) s = SyncDirectory(DirectoryOf(path));
  return s;
}

Status RemoveFileDurably(const std::string& path) {
  if (::unlink(path.c_str()) != 0) {
    if (errno == ENOENT) return Status::Ok();
    return ErrnoStatus("remove", path, errno);
  }
  return SyncDirectory(DirectoryOf(path));
}

}  // namespace pkiform::state
