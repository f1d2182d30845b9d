// RemoteFiles: the file operations providers need on a host (an atomic upload,
// a bounded download, stat), whatever carries them.
//
// Two transports implement it: SftpClient (sftp.h) over the host's SFTP
// subsystem, and ExecFiles (exec_files.h) over exec channels and a fixed POSIX
// sh script, for hardened hosts and appliances that offer no SFTP subsystem.
// SshSession::Files() picks one per session. Both keep the same promises:
//
//   Upload   the data goes to a temporary file in the target's directory
//            (".<name>.pkiform-tmp-<random>"), private to its owner from its
//            first byte (a key is never readable by others, not even briefly),
//            is synced, given its owner, group and final mode, then renamed
//            over the target. Readers see the old file or the new one, never
//            a partial one. On failure the target is untouched and the
//            temporary file removed.
//   Download the whole file; NotFound when it does not exist; an error for a
//            file larger than downloadLimit() (kMaxDownloadBytes by default).
//   Stat     the attributes (following symlinks), or nullopt when absent.
//
// Errors name the peer and the path. Owned by the SshSession they came from,
// used by one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "reconciler/util/result.h"

namespace pkiform::ssh {

// The start of every temporary name an upload to `path` uses: "<dir>/.<name>.pkiform-tmp-",
// followed by up to kMaxUploadTempSuffix letters and digits (SFTP: 16 hex digits; exec:
// mktemp's 10). A kill during an upload leaves such a file, with the data (a key among
// them): the openssh provider's observe looks for them (slot_files.h).
std::string UploadTempPrefixOf(const std::string& path);
inline constexpr size_t kMaxUploadTempSuffix = 32;
// Whether `candidate` is a temporary upload name of `path` (the prefix, then 1 to
// kMaxUploadTempSuffix ASCII letters or digits).
bool IsUploadTempNameOf(const std::string& path, const std::string& candidate);

struct FileStat {
  uint32_t mode = 0;  // permission bits (07777)
  uint32_t uid = 0;
  uint32_t gid = 0;
  uint64_t size = 0;
  bool isDirectory = false;
  bool isRegular = false;
};

// What Download() reads at most: files pkiform edits (trust bundles) are far
// smaller; the bound keeps a wrong path (a log, a device) from filling memory.
inline constexpr size_t kMaxDownloadBytes = size_t{64} << 20;  // 64 MiB

class RemoteFiles {
 public:
  virtual ~RemoteFiles() = default;

  // Replaces `remotePath` with `data`, mode `mode` (e.g. 0600) and, when given,
  // numeric owner and group. The directory must exist.
  virtual Status Upload(const std::string& remotePath, std::string_view data, int mode, std::optional<uint32_t> uid,
                        std::optional<uint32_t> gid) = 0;
  Status Upload(const std::string& remotePath, std::string_view data, int mode) {
    return Upload(remotePath, data, mode, std::nullopt, std::nullopt);
  }

  // The whole content of `remotePath`; NotFound when it does not exist.
  virtual Result<std::string> Download(const std::string& remotePath) = 0;

  // The attributes of `remotePath` (following symlinks), or nullopt when it does not exist.
  virtual Result<std::optional<FileStat>> Stat(const std::string& remotePath) = 0;

  // "SFTP" or "exec", for logs and tests.
  virtual std::string_view transport() const = 0;

  size_t downloadLimit() const { return downloadLimit_; }
  // A smaller bound for files known to be small (a CSR); tests use it to need no 64 MiB file.
  void SetDownloadLimit(size_t bytes) { downloadLimit_ = bytes; }

 protected:
  RemoteFiles() = default;
  RemoteFiles(const RemoteFiles&) = delete;
  RemoteFiles& operator=(const RemoteFiles&) = delete;

  // Checks shared by both transports' Upload: a file path (not a directory), a
  // valid mode, no NUL byte. `peer` starts the message.
  static Status CheckUploadArguments(const std::string& peer, const std::string& remotePath, int mode);
  // The error for a file above downloadLimit().
  Status TooLarge(const std::string& peer, const std::string& remotePath) const;

 private:
  size_t downloadLimit_ = kMaxDownloadBytes;
};

}  // namespace pkiform::ssh
