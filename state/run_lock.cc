#include "state/run_lock.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <sys/file.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "reconciler/pki/clock.h"
#include "state/current_user.h"
#include "state/paths.h"

namespace pkiform::state {

namespace {

std::string HostName() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "unknown";
  return name;
}

std::string HolderRecord() {
  const nlohmann::json record = {{"pid", static_cast<long>(::getpid())},
                                 {"user", CurrentUserName()},
                                 {"host", HostName()},
                                 {"since", pki::FormatRfc3339Utc(std::chrono::system_clock::now())}};
  return record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

// "pid N, user U, host H, since T" from the lock file, or a placeholder when the
// holder has not written it yet (or an older tool left something else).
std::string DescribeHolder(int fd) {
  std::string content(4096, '\0');
  const ssize_t n = ::pread(fd, content.data(), content.size(), 0);
  content.resize(n > 0 ? static_cast<size_t>(n) : 0);
  const nlohmann::json record = nlohmann::json::parse(content, nullptr, /*allow_exceptions=*/false);
  if (!record.is_object()) return "holder details not recorded yet";
  auto text = [&](const char* key) -> std::string {
    auto it = record.find(key);
    if (it == record.end()) return "?";
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number_integer()) return std::to_string(it->get<long long>());
    return "?";
  };
  return "pid " + text("pid") + ", user " + text("user") + ", host " + text("host") + ", since " + text("since");
}

// True when `fd` is still the file at `path`: someone may have removed or replaced
// the lock file between our open() and flock(), and a lock on an unlinked file
// excludes nobody.
bool StillAtPath(int fd, const std::string& path) {
  struct stat opened {}, current {};
  if (::fstat(fd, &opened) != 0 || ::stat(path.c_str(), &current) != 0) return false;
  return opened.st_dev == current.st_dev && opened.st_ino == current.st_ino;
}

}  // namespace

Result<RunLock> RunLock::Acquire(const std::string& state_dir, std::chrono::milliseconds wait) {
  using Clock = std::chrono::steady_clock;
  const std::string path = state_dir + "/lock";
  const Clock::time_point deadline = Clock::now() + wait;
  while (true) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return ErrnoStatus("open the state lock", path, errno);
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) {
      if (!StillAtPath(fd, path)) {
        ::close(fd);
        continue;
      }
      RunLock lock(fd, path);
      const std::string record = HolderRecord();
      if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, record.data(), record.size(), 0) != static_cast<ssize_t>(record.size())) {
        return ErrnoStatus("write the state lock", path, errno);
      }
      return lock;
    }
    const int err = errno;
    if (err != EWOULDBLOCK) {
      ::close(fd);
      if (err == EINTR) continue;
      return ErrnoStatus("lock", path, err);
    }
    const std::string holder = DescribeHolder(fd);
    ::close(fd);
    const Clock::time_point now = Clock::now();
    if (now >= deadline) {
      if (wait.count() <= 0) {
        return Status::Failed("another pkiform run holds the state lock (" + holder +
                              "); wait for it or pass --lock-timeout");
      }
      return Status::Failed("another pkiform run still holds the state lock after waiting " +
                            std::to_string(wait.count()) + " ms (" + holder +
                            "); wait for it or pass a longer --lock-timeout");
    }
    std::this_thread::sleep_for(std::min<Clock::duration>(std::chrono::milliseconds(25), deadline - now));
  }
}

RunLock::RunLock(RunLock&& other) noexcept : fd_(other.fd_), path_(std::move(other.path_)) { other.fd_ = -1; }

RunLock& RunLock::operator=(RunLock&& other) noexcept {
  if (this != &other) {
    Release();
    fd_ = other.fd_;
    path_ = std::move(other.path_);
    other.fd_ = -1;
  }
  return *this;
}

RunLock::~RunLock() { Release(); }

void RunLock::Release() {
  if (fd_ < 0) return;
  // Clear the holder's details first, so no later message names a finished run.
  (void)!::ftruncate(fd_, 0);
  ::flock(fd_, LOCK_UN);
  ::close(fd_);
  fd_ = -1;
}

}  // namespace pkiform::state
