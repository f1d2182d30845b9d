// SftpClient: file transfer over an SshSession's SFTP subsystem.
//
// Upload() is atomic for readers of the target: the data goes to a temporary
// file in the same directory (".<name>.pkiform-tmp-<random>"), created with
// owner-only permissions (so a private key is 0600 from its first byte, never
// chmod-ed down after being written), synced when the server offers
// fsync@openssh.com, given its owner and final mode, then renamed over the
// target with posix-rename@openssh.com when offered (an atomic replace), else
// by removing the target and renaming (SFTP v3 rename does not overwrite).
// On failure the temporary file is removed and the target is left untouched.
//
// libssh 0.10 has no posix-rename call, so that one request is sent on the SFTP
// channel directly (see sftp.cc).
//
// One thread at a time; obtained from SshSession::Sftp() and owned by it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "providers/ssh/handles.h"
#include "reconciler/util/result.h"

namespace pkiform::ssh {

class SshSession;

struct FileStat {
  uint32_t mode = 0;  // permission bits (07777)
  uint32_t uid = 0;
  uint32_t gid = 0;
  uint64_t size = 0;
  bool isDirectory = false;
  bool isRegular = false;
};

class SftpClient {
 public:
  static Result<std::unique_ptr<SftpClient>> Open(SshSession& session);
  ~SftpClient();
  SftpClient(const SftpClient&) = delete;
  SftpClient& operator=(const SftpClient&) = delete;

  // Replaces `remotePath` with `data`, mode `mode` (e.g. 0600) and, when given,
  // numeric owner and group. The directory must exist.
  Status Upload(const std::string& remotePath, std::string_view data, int mode,
                std::optional<uint32_t> uid = std::nullopt, std::optional<uint32_t> gid = std::nullopt);

  // The whole content of `remotePath`; NotFound when it does not exist.
  Result<std::string> Download(const std::string& remotePath);

  // The attributes of `remotePath` (following symlinks), or nullopt when it does not exist.
  Result<std::optional<FileStat>> Stat(const std::string& remotePath);

  // Whether the server offers an atomic replacing rename (posix-rename@openssh.com).
  bool hasPosixRename() const { return posixRename_; }

  // Test seams: called with the temporary file's path right after it is
  // created, and just before it is renamed over the target.
  struct UploadHooks {
    std::function<void(const std::string& tempPath)> afterCreate;
    std::function<void(const std::string& tempPath)> beforeRename;
  };
  void SetUploadHooksForTesting(UploadHooks hooks) { hooks_ = std::move(hooks); }
  // Test seam: behave as with a server without posix-rename@openssh.com.
  void DisablePosixRenameForTesting() { posixRename_ = false; }

 private:
  SftpClient(SshSession& session, SftpSessionPtr sftp);
  Status Fail(const std::string& what, const std::string& path) const;
  Status Rename(const std::string& from, const std::string& to);
  Status PosixRename(const std::string& from, const std::string& to);

  SshSession& session_;
  SftpSessionPtr sftp_;
  bool posixRename_ = false;
  bool fsync_ = false;
  UploadHooks hooks_;
};

}  // namespace pkiform::ssh
