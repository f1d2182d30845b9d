#include "tests/sim/dms_transfer.h"

#include <fcntl.h>
#include <unistd.h>

#include <string.h>

#include "providers/ssh/sftp.h"
#include "reconciler/util/terminal_escape.h"
#include "tests/sim/sim_args.h"
#include "tests/sim/sim_files.h"

namespace pkiform::sim {
namespace {

// The budget of the connection and of each transfer (brief: 30 s).
constexpr std::chrono::milliseconds kTransferTimeout{30000};

// A pipe holding the password, read once by libssh's password loader as /dev/fd/N: the typed
// password is never written to a file, argv or the environment.
class PasswordPipe {
 public:
  explicit PasswordPipe(const std::string& password) {
    if (password.size() > 4096 || ::pipe2(fds_, O_CLOEXEC) != 0) {
      fds_[0] = fds_[1] = -1;
      return;
    }
    std::string line = password + "\n";
    ok_ = ::write(fds_[1], line.data(), line.size()) == static_cast<ssize_t>(line.size());
    explicit_bzero(line.data(), line.size());
    ::close(fds_[1]);  // EOF for the reader
    fds_[1] = -1;
  }
  ~PasswordPipe() {
    if (fds_[0] >= 0) ::close(fds_[0]);
  }
  PasswordPipe(const PasswordPipe&) = delete;
  PasswordPipe& operator=(const PasswordPipe&) = delete;
  bool ok() const { return ok_; }
  std::string path() const { return "/dev/fd/" + std::to_string(fds_[0]); }

 private:
  int fds_[2] = {-1, -1};
  bool ok_ = false;
};

}  // namespace

std::optional<DmsServer> ParseDmsServer(const std::string& field) {
  DmsServer server;
  server.host = field;
  if (size_t colon = field.rfind(':'); colon != std::string::npos) {
    server.host = field.substr(0, colon);
    std::string port = field.substr(colon + 1);
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos)
      return std::nullopt;
    server.port = std::stoi(port);
    if (server.port < 1 || server.port > 65535) return std::nullopt;
  }
  if (!IsHostName(server.host) && !IsIpv4(server.host)) return std::nullopt;
  return server;
}

Result<std::unique_ptr<DmsTransfer>> DmsTransfer::Connect(const std::filesystem::path& applianceDir,
                                                          const DmsServer& server, const std::string& password) {
  PasswordPipe pipe(password);
  if (!pipe.ok()) return Status::IoError("cannot hand the (S)FTP password to the SSH client");
  ssh::SshTarget target;
  target.host = server.host;
  target.port = server.port;
  target.user = server.user;
  target.passwordFile = pipe.path();
  target.knownHostsFile = (applianceDir / "known_hosts").string();
  target.acceptNewHostKeys = true;  // trust on first use, a changed key refused (ASSUMED)
  target.timeout = kTransferTimeout;
  auto session = ssh::SshSession::Connect(target);
  if (!session.ok()) return session.status();
  return std::unique_ptr<DmsTransfer>(new DmsTransfer(std::move(*session)));
}

Status DmsTransfer::Put(const std::string& path, const std::string& data) {
  auto sftp = session_->Sftp();
  if (!sftp.ok()) return sftp.status();
  return (*sftp)->Upload(path, data, 0644);
}

Result<std::string> DmsTransfer::Get(const std::string& path) {
  auto sftp = session_->Sftp();
  if (!sftp.ok()) return sftp.status();
  // The limit is the client's own bound on a download (it stops reading there).
  (*sftp)->SetDownloadLimit(kDmsMaxTransferBytes);
  return (*sftp)->Download(path);
}

std::string DmsScreenLine(std::string_view line) {
  std::string text = EscapeForTerminal(line);
  for (char& c : text)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) c = '?';  // ASCII screen
  if (text.size() > 160) text = text.substr(0, 157) + "...";
  return text;
}

}  // namespace pkiform::sim
