// SshSession: one authenticated SSH connection to one peer (appliance).
//
// Connect() opens the TCP connection, verifies the server's host key against an
// explicit known_hosts file (never ~/.ssh implicitly), authenticates with an
// identity file, ssh-agent or a password taken from the environment or a file,
// and returns a session that the provider reuses for every step of a run:
// exec channels, an interactive shell (shell.h) and file transfer (Files():
// SFTP, sftp.h, or exec, exec_files.h, when the host has no SFTP subsystem).
//
// Every operation is bounded by SshTarget::timeout and its errors name the
// peer ("vcs1.example.com (192.0.2.11:22)") and what was being done.
//
// Thread-safety: a session, and the shell or SFTP client obtained from it, are
// used by one thread at a time (libssh sessions are not thread-safe). Different
// sessions may be used concurrently from different threads. Shells and the file
// transports must not outlive the session they came from.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "providers/ssh/deadline.h"
#include "providers/ssh/handles.h"
#include "reconciler/util/result.h"

namespace pkiform::ssh {

struct SshTarget {
  std::string host;            // address (or resolvable name) to connect to
  int port = 22;
  std::string hostKeyAlias;    // the FQDN: the host key may be recorded under it or under `host` (known_hosts.h)
  std::string user;            // empty: the local user name
  std::string identityFile;    // private key file; empty: none
  std::string identityPassphraseEnv;  // environment variable holding the identity file's passphrase, if encrypted
  bool useAgent = false;       // try the keys of the ssh-agent at $SSH_AUTH_SOCK
  std::string passwordEnv;     // environment variable holding the password
  std::string passwordFile;    // file whose first line is the password
  std::string knownHostsFile;  // required; a file that does not exist is treated as empty
  bool acceptNewHostKeys = false;  // record unknown host keys (a changed key is always refused)
  bool legacyAlgorithms = false;   // also allow diffie-hellman-group14-sha1 and ssh-rsa
  std::chrono::milliseconds timeout{30000};  // budget of each operation (connect, one exec, one transfer)
};

struct ExecResult {
  int exitStatus = -1;  // -1 when the command ended without an exit status (e.g. killed by a signal)
  std::string out;
  std::string err;
};

class InteractiveShell;
class RemoteFiles;
class SftpClient;

class SshSession {
 public:
  // Connects, verifies the host key and authenticates, all within target.timeout.
  static Result<std::unique_ptr<SshSession>> Connect(const SshTarget& target);

  ~SshSession();
  SshSession(const SshSession&) = delete;
  SshSession& operator=(const SshSession&) = delete;

  // Runs `command` on an exec channel, writes `stdinData` to it then sends EOF,
  // and collects stdout and stderr (both read concurrently, so large outputs
  // cannot deadlock). A non-zero exit status is not an error; failing to run
  // the command or the timeout is. Secrets belong in stdinData, never in
  // `command` (which error messages quote).
  Result<ExecResult> Exec(const std::string& command, std::string_view stdinData = {});
  // The same within `limit` instead of the connection's timeout: a command known to take
  // longer than a connection may (a service restart: the catalogue's restartTimes, the
  // manifest's restarts.timeout).
  Result<ExecResult> Exec(const std::string& command, std::string_view stdinData, std::chrono::milliseconds limit);

  // How many exec requests this session has made: the round trips of an exec-driven provider
  // (issue 13 counts them per observed peer).
  int execs() const { return execs_; }

  // A PTY shell, for admin CLIs that offer no exec channel.
  Result<std::unique_ptr<InteractiveShell>> OpenShell();

  // The session's SFTP client, opened on first use and then reused.
  // Unsupported when the host refuses the SFTP subsystem (see SftpClient::Open).
  Result<SftpClient*> Sftp();

  // How this session reads and writes files on the host, chosen on first use
  // and then kept: SFTP when the host offers the subsystem; exec (ExecFiles)
  // when it refuses it, which is logged at info ("-v"). Any other failure to
  // start SFTP is an error, not a reason to fall back.
  Result<RemoteFiles*> Files();

  const SshTarget& target() const { return target_; }
  // How errors name the peer: "host:port", or "alias (host:port)" when an alias is set.
  const std::string& peer() const { return peer_; }
  // A new deadline of target().timeout.
  Deadline NewDeadline() const { return Deadline(target_.timeout); }
  // The libssh session, for the other parts of this layer.
  ssh_session raw() const { return session_.get(); }
  // libssh's description of the last error on this session.
  std::string LastError() const;

 private:
  SshSession(SshTarget target, std::string peer, UniqueFd socket, SshSessionPtr session);

  SshTarget target_;
  std::string peer_;
  int execs_ = 0;
  UniqueFd socket_;        // declared before session_: closed after libssh is done with it
  SshSessionPtr session_;
  // Declared after session_: destroyed first.
  std::unique_ptr<SftpClient> sftp_;
  std::unique_ptr<RemoteFiles> execFiles_;
  RemoteFiles* files_ = nullptr;  // sftp_ or execFiles_, once Files() has chosen
};

// "host:port", or "alias (host:port)"; used in every error message.
std::string DescribePeer(const SshTarget& target);

}  // namespace pkiform::ssh
