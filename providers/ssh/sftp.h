// SftpClient: RemoteFiles (remote_files.h) over an SshSession's SFTP subsystem.
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
// Download() refuses a file larger than downloadLimit() (it stops reading there).
//
// One thread at a time; obtained from SshSession::Sftp() (or Files()) and owned by it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "providers/ssh/handles.h"
#include "providers/ssh/remote_files.h"
#include "reconciler/util/result.h"

namespace pkiform::ssh {

class SshSession;

class SftpClient : public RemoteFiles {
 public:
  // Opens an SFTP channel. Unsupported when the server refuses the "sftp"
  // subsystem (it has none configured): the caller may then write over exec.
  // Any other failure is an IoError.
  static Result<std::unique_ptr<SftpClient>> Open(SshSession& session);
  ~SftpClient() override;

  using RemoteFiles::Upload;
  Status Upload(const std::string& remotePath, std::string_view data, int mode, std::optional<uint32_t> uid,
                std::optional<uint32_t> gid) override;
  Result<std::string> Download(const std::string& remotePath) override;
  Result<std::optional<FileStat>> Stat(const std::string& remotePath) override;
  std::string_view transport() const override { return "SFTP"; }

  // Removes a file; Ok when it is already gone (a clean-up that runs twice must not fail).
  Status Remove(const std::string& remotePath);
  // Makes a directory with `mode`; Ok when a directory is already there.
  Status MakeDirectory(const std::string& remotePath, int mode);

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
