#include "providers/ssh/session.h"

#include <mutex>

#include <spdlog/spdlog.h>

#include "providers/ssh/auth.h"
#include "providers/ssh/channel_io.h"
#include "providers/ssh/exec_files.h"
#include "providers/ssh/known_hosts.h"
#include "providers/ssh/sftp.h"
#include "providers/ssh/shell.h"
#include "providers/ssh/tcp_connect.h"

namespace pkiform::ssh {
namespace {

// Key exchange, host key and public key algorithms offered when a cluster
// allows legacy algorithms: libssh 0.10's defaults plus the SHA-1 ones that old
// appliances may be limited to. Without legacyAlgorithms libssh's defaults
// (which contain neither) are left untouched.
constexpr const char* kLegacyKex =
    "curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,"
    "diffie-hellman-group18-sha512,diffie-hellman-group16-sha512,diffie-hellman-group-exchange-sha256,"
    "diffie-hellman-group14-sha256,diffie-hellman-group14-sha1";
constexpr const char* kLegacyKeyTypes =
    "ssh-ed25519,ecdsa-sha2-nistp521,ecdsa-sha2-nistp384,ecdsa-sha2-nistp256,rsa-sha2-512,rsa-sha2-256,ssh-rsa";

// libssh's own timer may fire a little before our deadline: a failure this
// close to it is a timeout.
constexpr std::chrono::milliseconds kTimeoutSlack{50};

std::string Quote(const std::string& command) {
  constexpr size_t kMax = 120;
  if (command.size() <= kMax) return "`" + command + "`";
  return "`" + command.substr(0, kMax) + "...`";
}

Status ValidateTarget(const SshTarget& t) {
  if (t.host.empty()) return Status::InvalidInput("SSH target has no host");
  if (t.port <= 0 || t.port > 65535) return Status::InvalidInput("SSH port " + std::to_string(t.port) + " is invalid");
  if (t.hostKeyAlias.find_first_of("@ \t") != std::string::npos) {
    return Status::InvalidInput("host key alias '" + t.hostKeyAlias + "' is not a host name");
  }
  if (t.knownHostsFile.empty()) {
    return Status::InvalidInput("no known_hosts file given for " + DescribePeer(t) +
                                "; host keys are only verified against an explicit file");
  }
  if (t.timeout.count() <= 0) return Status::InvalidInput("SSH timeout must be positive");
  return ValidateAuthSettings(t).WithContext(DescribePeer(t));
}

Status SetOption(ssh_session s, enum ssh_options_e option, const void* value, const char* name) {
  if (ssh_options_set(s, option, value) != SSH_OK) {
    return Status::InvalidInput(std::string("cannot set SSH option ") + name + ": " + ssh_get_error(s));
  }
  return Status::Ok();
}

}  // namespace

std::string DescribePeer(const SshTarget& t) {
  std::string hostPort = t.host + ":" + std::to_string(t.port);
  if (t.hostKeyAlias.empty() || t.hostKeyAlias == t.host) return hostPort;
  return t.hostKeyAlias + " (" + hostPort + ")";
}

SshSession::SshSession(SshTarget target, std::string peer, UniqueFd socket, SshSessionPtr session)
    : target_(std::move(target)), peer_(std::move(peer)), socket_(std::move(socket)), session_(std::move(session)) {}

SshSession::~SshSession() = default;

std::string SshSession::LastError() const { return ssh_get_error(session_.get()); }

Result<std::unique_ptr<SshSession>> SshSession::Connect(const SshTarget& target) {
  static std::once_flag initOnce;
  std::call_once(initOnce, [] { ssh_init(); });

  Status valid = ValidateTarget(target);
  if (!valid.ok()) return valid;
  const std::string peer = DescribePeer(target);
  Deadline deadline(target.timeout);

  UniqueFd socket;  // declared before session: outlives it on every return path
  SshSessionPtr session(ssh_new());
  if (!session) return Status::Failed(peer + ": cannot allocate an SSH session");
  ssh_session s = session.get();

  const std::string& keyName = target.hostKeyAlias.empty() ? target.host : target.hostKeyAlias;
  const unsigned int port = static_cast<unsigned int>(target.port);
  const int no = 0;
  const int verbosity = SSH_LOG_NOLOG;
  Status opt = SetOption(s, SSH_OPTIONS_LOG_VERBOSITY, &verbosity, "log verbosity");
  if (opt.ok()) opt = SetOption(s, SSH_OPTIONS_PROCESS_CONFIG, &no, "process config");  // never read ~/.ssh/config
  if (opt.ok()) opt = SetOption(s, SSH_OPTIONS_HOST, keyName.c_str(), "host");
  if (opt.ok()) opt = SetOption(s, SSH_OPTIONS_PORT, &port, "port");
  if (opt.ok() && !target.user.empty()) opt = SetOption(s, SSH_OPTIONS_USER, target.user.c_str(), "user");
  // pkiform reads known_hosts itself (known_hosts.h); libssh must not consult any file.
  if (opt.ok()) opt = SetOption(s, SSH_OPTIONS_KNOWNHOSTS, "/dev/null", "known_hosts");
  if (opt.ok()) opt = SetOption(s, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null", "global known_hosts");
  if (opt.ok() && target.legacyAlgorithms) {
    opt = SetOption(s, SSH_OPTIONS_KEY_EXCHANGE, kLegacyKex, "key exchange algorithms");
    if (opt.ok()) {
      opt = SetOption(s, SSH_OPTIONS_PUBLICKEY_ACCEPTED_TYPES, kLegacyKeyTypes, "public key algorithms");
    }
  }
  if (!opt.ok()) return opt.WithContext(peer);
  auto known = ReadKnownHostsShared(target.knownHostsFile);
  if (!known.ok()) return known.status().WithContext(peer);
  const std::vector<std::string> recordedTypes = RecordedKeyTypes(**known, HostKeyNames(target));
  if (!recordedTypes.empty() || target.legacyAlgorithms) {
    const std::string algorithms = HostKeyAlgorithms(recordedTypes, target.legacyAlgorithms);
    opt = SetOption(s, SSH_OPTIONS_HOSTKEYS, algorithms.c_str(), "host key algorithms");
    if (!opt.ok()) return opt.WithContext(peer);
  }

  auto fd = TcpConnect(target.host, target.port, deadline);
  if (!fd.ok()) return fd.status().WithContext(peer);
  socket = UniqueFd(*fd);
  socket_t sock = socket.get();
  if (ssh_options_set(s, SSH_OPTIONS_FD, &sock) != SSH_OK) {
    return Status::Failed(peer + ": cannot hand the socket to libssh: " + ssh_get_error(s));
  }

  ArmSessionTimeout(s, deadline);
  if (ssh_connect(s) != SSH_OK) {
    std::string why = ssh_get_error(s);
    if (deadline.remaining() < kTimeoutSlack) {
      return Status::IoError(peer + ": SSH handshake timed out after " + std::to_string(target.timeout.count()) +
                             " ms: " + why);
    }
    return Status::IoError(peer + ": SSH handshake failed: " + why);
  }
  Status hostKey = VerifyHostKey(s, target, peer, **known);
  if (!hostKey.ok()) return hostKey;

  ArmSessionTimeout(s, deadline);
  Status auth = Authenticate(s, target, peer);
  if (!auth.ok()) {
    if (deadline.remaining() < kTimeoutSlack) {
      return Status::IoError(auth.message() + " (timed out after " + std::to_string(target.timeout.count()) + " ms)");
    }
    return auth;
  }
  return std::unique_ptr<SshSession>(new SshSession(target, peer, std::move(socket), std::move(session)));
}

Result<ExecResult> SshSession::Exec(const std::string& command, std::string_view stdinData) {
  return Exec(command, stdinData, target_.timeout);
}

Result<ExecResult> SshSession::Exec(const std::string& command, std::string_view stdinData,
                                    std::chrono::milliseconds limit) {
  ++execs_;
  const std::string what = peer_ + ": exec " + Quote(command);
  Deadline deadline(limit);
  ssh_session s = session_.get();
  auto timedOut = [&](const char* waitingFor) {
    return Status::IoError(what + ": timed out after " + std::to_string(limit.count()) + " ms" + waitingFor);
  };

  auto channel = OpenSessionChannel(s, deadline);
  if (!channel.ok()) return channel.status().WithContext(what);
  int rc = DriveNonBlocking(s, deadline, [&] { return ssh_channel_request_exec(channel->get(), command.c_str()); });
  if (rc == SSH_AGAIN) return timedOut("");
  if (rc != SSH_OK) return Status::IoError(what + ": the server refused the command: " + LastError());

  ExecResult result;
  ChannelPump io;
  io.input = stdinData;
  io.sendEofAfterInput = true;
  io.out = &result.out;
  io.err = &result.err;
  auto outcome = Pump(s, channel->get(), io, deadline);
  if (!outcome.ok()) return outcome.status().WithContext(what);
  if (*outcome == PumpOutcome::kTimedOut) return timedOut("");
  // Normally already received with the output; else libssh waits (bounded) for it.
  ArmSessionTimeout(s, deadline);
  result.exitStatus = ssh_channel_get_exit_status(channel->get());
  if (result.exitStatus == -1 && deadline.expired()) return timedOut(" waiting for the exit status");
  return result;
}

Result<std::unique_ptr<InteractiveShell>> SshSession::OpenShell() { return InteractiveShell::Open(*this); }

Result<SftpClient*> SshSession::Sftp() {
  if (!sftp_) {
    auto client = SftpClient::Open(*this);
    if (!client.ok()) return client.status();
    sftp_ = std::move(client).value();
  }
  return sftp_.get();
}

Result<RemoteFiles*> SshSession::Files() {
  if (files_) return files_;
  auto sftp = Sftp();
  if (sftp.ok()) {
    files_ = *sftp;
    spdlog::debug("{}: files are written over SFTP", peer_);
  } else if (sftp.status().code() == Status::Code::kUnsupported) {
    spdlog::info("{}: the host has no SFTP subsystem; files are written over exec", peer_);
    execFiles_ = std::make_unique<ExecFiles>(*this);
    files_ = execFiles_.get();
  } else {
    return sftp.status();
  }
  return files_;
}

}  // namespace pkiform::ssh
