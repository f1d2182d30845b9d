#include "state/ca_serials.h"

#include <cctype>
#include <cerrno>
#include <fcntl.h>
#include <openssl/rand.h>
#include <string_view>
#include <sys/file.h>
#include <unistd.h>

#include "reconciler/pki/digest.h"
#include "state/atomic_file.h"
#include "state/paths.h"

namespace pkiform::state {

namespace {

// An open serials file, flock()ed for its lifetime.
class LockedFile {
 public:
  explicit LockedFile(int fd) : fd_(fd) {}
  ~LockedFile() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the flock
  }
  LockedFile(const LockedFile&) = delete;
  LockedFile& operator=(const LockedFile&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

Result<std::string> SerialsPath(const std::string& state_dir, const std::string& issuer) {
  Status s = CheckPathComponent("issuer", issuer);
  if (!s.ok()) return s;
  return state_dir + "/serials/" + issuer + ".txt";
}

Status Lock(int fd, int operation, const std::string& path) {
  while (::flock(fd, operation) != 0) {
    if (errno != EINTR) return ErrnoStatus("lock", path, errno);
  }
  return Status::Ok();
}

Result<std::string> ReadAll(int fd, const std::string& path) {
  std::string content;
  char buffer[16384];
  for (off_t offset = 0;;) {
    const ssize_t n = ::pread(fd, buffer, sizeof buffer, offset);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("read", path, errno);
    }
    if (n == 0) return content;
    content.append(buffer, static_cast<size_t>(n));
    offset += n;
  }
}

// Writes into `out` the serial text in one spelling, for comparison: upper case,
// without "0x", ':' and leading zeros ("0x00:4a:1b" -> "4A1B"). False when it is
// not hexadecimal. (Much cheaper than pki::NormalizeSerialHex, which matters when
// the whole file is read for every new serial; `out` is reused between lines.)
bool Canonical(std::string_view text, std::string& out) {
  out.clear();
  if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) text.remove_prefix(2);
  if (text.empty()) return false;
  for (char c : text) {
    if (c == ':') continue;
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
    if (out.empty() && c == '0') continue;
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (out.size() > 64) return false;
  if (out.empty()) out = "0";
  return true;
}

// Already in the spelling of Canonical(), as pkiform writes every line.
bool IsCanonical(std::string_view text) {
  if (text.empty() || text.size() > 64 || (text[0] == '0' && text.size() > 1)) return false;
  for (char c : text)
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) return false;
  return true;
}

// Whether the serials file `content` records `wanted` (canonical). Every line is
// checked: one that is not a serial is an error naming it. A last line without
// "\n" was torn by a crash before its serial was returned, so it does not count.
Result<bool> Recorded(std::string_view content, const std::string& wanted, const std::string& path) {
  bool found = false;
  std::string serial;
  for (size_t number = 1; !content.empty(); ++number) {
    const size_t end = content.find('\n');
    if (end == std::string_view::npos) break;
    const std::string_view line = content.substr(0, end);
    if (IsCanonical(line)) {
      found = found || line == wanted;
    } else if (Canonical(line, serial)) {
      found = found || serial == wanted;
    } else {
      return Status::InvalidInput(path + ":" + std::to_string(number) + ": not a hexadecimal serial number");
    }
    content.remove_prefix(end + 1);
  }
  return found;
}

Result<std::string> RandomSerial() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return Status::Crypto("cannot draw a random serial number");
  bytes[0] = static_cast<unsigned char>((bytes[0] & 0x7F) | 0x40);
  std::string hex = pki::ToHex(std::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
  for (char& c : hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return hex;
}

}  // namespace

Result<std::string> NextSerial(const std::string& state_dir, const std::string& issuer_name) {
  Result<std::string> path = SerialsPath(state_dir, issuer_name);
  if (!path.ok()) return path.status();
  if (Status s = MakeDirectories(state_dir + "/serials", 0700); !s.ok()) return s;
  bool created = true;
  int fd = ::open(path->c_str(), O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 && errno == EEXIST) {
    created = false;
    fd = ::open(path->c_str(), O_RDWR | O_APPEND | O_CLOEXEC);
  }
  if (fd < 0) return ErrnoStatus("open", *path, errno);
  LockedFile file(fd);
  if (created) {
    if (Status s = SyncDirectory(state_dir + "/serials"); !s.ok()) return s;
  }
  if (Status s = Lock(file.fd(), LOCK_EX, *path); !s.ok()) return s;
  Result<std::string> content = ReadAll(file.fd(), *path);
  if (!content.ok()) return content.status();
  for (int attempt = 0; attempt < 16; ++attempt) {
    Result<std::string> serial = RandomSerial();
    if (!serial.ok()) return serial.status();
    Result<bool> recorded = Recorded(*content, *serial, *path);
    if (!recorded.ok()) return recorded.status();
    if (*recorded) continue;  // 2^-126 per recorded serial; the record makes it certain
    if (Status s = AppendLine(file.fd(), *serial, *path); !s.ok()) return s;
    return serial;
  }
  return Status::Failed("cannot draw a serial for issuer " + issuer_name + " that is not already recorded in " + *path);
}

Result<bool> SerialIssued(const std::string& state_dir, const std::string& issuer_name, const std::string& serial) {
  std::string wanted;
  if (!Canonical(serial, wanted)) return Status::InvalidInput("serial '" + serial + "' is not hexadecimal");
  Result<std::string> path = SerialsPath(state_dir, issuer_name);
  if (!path.ok()) return path.status();
  const int fd = ::open(path->c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return false;
    return ErrnoStatus("open", *path, errno);
  }
  LockedFile file(fd);
  if (Status s = Lock(file.fd(), LOCK_SH, *path); !s.ok()) return s;
  Result<std::string> content = ReadAll(file.fd(), *path);
  if (!content.ok()) return content.status();
  return Recorded(*content, wanted, *path);
}

}  // namespace pkiform::state
