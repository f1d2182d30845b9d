// ExecFiles: RemoteFiles (remote_files.h) over exec channels, for hosts that
// offer no SFTP subsystem (hardened hosts, appliances), as Ansible's piped
// transfer does.
//
// Each operation is one exec of a fixed POSIX sh script (exec_files.cc) whose
// arguments are single-quoted words (shell_quote.h); file data travels on
// stdin or stdout, never in the command. Upload keeps SftpClient's promises:
// mktemp in the target's directory (a file only its owner can read, from its
// first byte), the byte count checked against what was sent (a transfer cut
// short is never installed), chown, chmod to the final mode, `sync FILE`, and
// `mv -f`, which is rename(2) within a directory; on failure the script
// removes the temporary file and the target is untouched. Download reads at
// most downloadLimit() + 1 bytes on the host (`head -c`), so an oversized
// file is refused without being transferred whole.
//
// Needs on the host: sh, mktemp, cat, wc, chown, chmod, sync, mv, head, stat
// (GNU coreutils or BusyBox). One thread at a time; obtained from
// SshSession::Files() and owned by the session.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "providers/ssh/remote_files.h"
#include "reconciler/util/result.h"

namespace pkiform::ssh {

class SshSession;

class ExecFiles : public RemoteFiles {
 public:
  // `session` is borrowed and must outlive this object.
  explicit ExecFiles(SshSession& session) : session_(session) {}

  using RemoteFiles::Upload;
  Status Upload(const std::string& remotePath, std::string_view data, int mode, std::optional<uint32_t> uid,
                std::optional<uint32_t> gid) override;
  Result<std::string> Download(const std::string& remotePath) override;
  Result<std::optional<FileStat>> Stat(const std::string& remotePath) override;
  std::string_view transport() const override { return "exec"; }

  // Test seams: sh commands run on the host inside the upload script, with the
  // temporary file's path in "$t": right after mktemp created it, and just
  // before it is renamed over the target.
  struct UploadHooks {
    std::string afterCreate;
    std::string beforeRename;
  };
  void SetUploadHooksForTesting(UploadHooks hooks) { hooks_ = std::move(hooks); }

 private:
  // An Exec failure (not the script's) as "<peer>: <doing> over exec: <why>".
  Status ExecFailed(const Status& cause, const std::string& doing) const;
  // The script's own failure: exit status and the end of its stderr.
  Status ScriptFailed(const std::string& doing, int exitStatus, const std::string& err) const;

  SshSession& session_;
  UploadHooks hooks_;
};

}  // namespace pkiform::ssh
