// RootShell: the VCS root account's Linux shell over exec channels, for what the admin
// shell cannot do: reading the certificate files (one `tail -n +1` of the four files) and
// staging the files an xCommand then takes (`mkdir -p` of the staging folder, `cat > FILE`
// with the bytes on stdin, `rm -f`). Every command line is the dialect's, filled with
// paths only; file bytes travel on stdin, never in a command line, and messages never quote
// them. A staged private key ends in exactly one newline (V15: a key file without one
// breaks mobile and remote access) and an encrypted key is refused before it travels (V8).
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "providers/ssh/session.h"
#include "providers/vcs/cert_files.h"
#include "providers/vcs/dialect.h"
#include "reconciler/pki/passphrase.h"
#include "reconciler/util/result.h"

namespace pkiform::vcs {

// One exec: the command line, its stdin, its result. SshRootChannel is the SSH one; tests
// script their own.
class RootChannel {
 public:
  virtual ~RootChannel() = default;
  virtual Result<ssh::ExecResult> Exec(const std::string& command, std::string_view stdin_data) = 0;
  virtual const std::string& peer() const = 0;
};

class SshRootChannel : public RootChannel {
 public:
  // `session` (logged in as root) is borrowed and must outlive this object.
  explicit SshRootChannel(ssh::SshSession& session) : session_(session) {}
  Result<ssh::ExecResult> Exec(const std::string& command, std::string_view stdin_data) override {
    return session_.Exec(command, stdin_data);
  }
  const std::string& peer() const override { return session_.peer(); }

 private:
  ssh::SshSession& session_;
};

class RootShell {
 public:
  // `channel` and `dialect` are borrowed and must outlive the RootShell.
  RootShell(RootChannel& channel, const Dialect& dialect) : channel_(channel), dialect_(dialect) {}

  // The four certificate files, one exec.
  Result<std::vector<FileText>> ReadFiles();

  // `mkdir -p <staging folder>`.
  Status MakeStagingDir();
  // Writes `bytes` to <staging folder>/<name>; returns that path. `name` must match
  // [A-Za-z0-9._-]{1,64} (not "." or ".."), the bytes fit RootDialect::max_staged_bytes.
  Result<std::string> Stage(const std::string& name, std::string_view bytes);
  // A private key: refused when encrypted (V8); sent ending in exactly one "\n" (V15).
  Result<std::string> StageKey(const std::string& name, const pki::SecretString& key_pem);
  // `rm -f` of staged files (by name, in the staging folder).
  Status Remove(const std::vector<std::string>& names);

  // Exec requests made so far (the docs' round-trip count).
  int commands_sent() const { return commands_; }

 private:
  Result<std::string> StagedPath(const std::string& name) const;
  // Runs `command`; a non-zero exit status is an error quoting (a bounded excerpt of) stderr.
  Status RunChecked(const std::string& command, std::string_view stdin_data, const std::string& doing);

  RootChannel& channel_;
  const Dialect& dialect_;
  int commands_ = 0;
};

// `key` with trailing CR/LF bytes replaced by exactly one "\n" (V15). A new SecretString:
// the key is never copied into an ordinary string.
pki::SecretString KeyWithOneNewline(const pki::SecretString& key);

}  // namespace pkiform::vcs
