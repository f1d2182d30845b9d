#include "providers/ssh/sftp.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <random>

#include "providers/ssh/channel_io.h"
#include "providers/ssh/deadline.h"
#include "providers/ssh/session.h"

namespace pkiform::ssh {
namespace {

constexpr size_t kChunk = 32768;  // every SFTP server must accept 32 KiB reads and writes
constexpr uint8_t kFxpStatus = 101;
constexpr uint8_t kFxpExtended = 200;

std::string SftpErrorText(int code) {
  switch (code) {
    case SSH_FX_EOF: return "end of file";
    case SSH_FX_NO_SUCH_FILE: return "no such file";
    case SSH_FX_PERMISSION_DENIED: return "permission denied";
    case SSH_FX_FAILURE: return "failure";
    case SSH_FX_BAD_MESSAGE: return "bad message";
    case SSH_FX_NO_CONNECTION: return "no connection";
    case SSH_FX_CONNECTION_LOST: return "connection lost";
    case SSH_FX_OP_UNSUPPORTED: return "operation unsupported";
    case SSH_FX_INVALID_HANDLE: return "invalid handle";
    case SSH_FX_NO_SUCH_PATH: return "no such path";
    case SSH_FX_FILE_ALREADY_EXISTS: return "file already exists";
    case SSH_FX_WRITE_PROTECT: return "write protected";
    case SSH_FX_NO_MEDIA: return "no media";
    default: return "error " + std::to_string(code);
  }
}

std::string RandomSuffix() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static const char* kHex = "0123456789abcdef";
  uint64_t v = rng();
  std::string s(16, '0');
  for (int i = 0; i < 16; ++i) s[static_cast<size_t>(i)] = kHex[(v >> (4 * i)) & 0xf];
  return s;
}

// ".<name>.pkiform-tmp-<random>" in the directory of `path` (remote_files.h).
std::string TempPathFor(const std::string& path) { return UploadTempPrefixOf(path) + RandomSuffix(); }

void PutU32(std::string& b, uint32_t v) {
  b.push_back(static_cast<char>(v >> 24));
  b.push_back(static_cast<char>(v >> 16));
  b.push_back(static_cast<char>(v >> 8));
  b.push_back(static_cast<char>(v));
}
void PutString(std::string& b, const std::string& s) {
  PutU32(b, static_cast<uint32_t>(s.size()));
  b += s;
}
uint32_t GetU32(const std::string& b, size_t at) {
  auto byte = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(b[at + i])); };
  return byte(0) << 24 | byte(1) << 16 | byte(2) << 8 | byte(3);
}

}  // namespace

SftpClient::SftpClient(SshSession& session, SftpSessionPtr sftp) : session_(session), sftp_(std::move(sftp)) {
  posixRename_ = sftp_extension_supported(sftp_.get(), "posix-rename@openssh.com", "1") == 1;
  fsync_ = sftp_extension_supported(sftp_.get(), "fsync@openssh.com", "1") == 1;
}

SftpClient::~SftpClient() = default;

Result<std::unique_ptr<SftpClient>> SftpClient::Open(SshSession& session) {
  const std::string what = session.peer() + ": starting SFTP";
  Deadline deadline = session.NewDeadline();
  ssh_session s = session.raw();
  // The channel and the subsystem request are ours rather than sftp_new()'s:
  // only the request's own answer tells "this host has no SFTP subsystem" apart
  // from a channel that could not be opened, which sftp_new() reports alike
  // (SSH_REQUEST_DENIED). Driven non-blocking, they also avoid the delayed-ACK
  // stall of a session's first channel (see DriveNonBlocking).
  auto channel = OpenSessionChannel(s, deadline);
  if (!channel.ok()) return channel.status().WithContext(what + ": cannot open the SFTP channel");
  int rc = DriveNonBlocking(s, deadline, [&] { return ssh_channel_request_subsystem(channel->get(), "sftp"); });
  if (rc == SSH_AGAIN) {
    return Status::IoError(what + ": the subsystem request timed out after " +
                           std::to_string(deadline.budget().count()) + " ms");
  }
  if (rc != SSH_OK) {
    if (ssh_get_error_code(s) == SSH_REQUEST_DENIED) {
      return Status::Unsupported(what + ": the server refused the SFTP subsystem: " + session.LastError());
    }
    return Status::IoError(what + ": cannot open the SFTP channel: " + session.LastError());
  }
  // sftp_new_channel() takes the channel (sftp_free() frees it). In Debian 12's
  // libssh 0.10.6 it allocates everything sftp_new() does (checked in the binary).
  SftpSessionPtr sftp(sftp_new_channel(s, channel->get()));
  if (!sftp) return Status::IoError(what + ": cannot allocate the SFTP session: " + session.LastError());
  (void)channel->release();
  ArmSessionTimeout(s, deadline);
  if (sftp_init(sftp.get()) != SSH_OK) {
    return Status::IoError(what + ": the server's SFTP subsystem did not start (" +
                           SftpErrorText(sftp_get_error(sftp.get())) + "): " + session.LastError());
  }
  return std::unique_ptr<SftpClient>(new SftpClient(session, std::move(sftp)));
}

Status SftpClient::Fail(const std::string& what, const std::string& path) const {
  int code = sftp_get_error(sftp_.get());
  std::string detail = code != SSH_FX_OK ? SftpErrorText(code) : session_.LastError();
  std::string message = session_.peer() + ": " + what + " " + path + ": " + detail;
  if (code == SSH_FX_NO_SUCH_FILE || code == SSH_FX_NO_SUCH_PATH) return Status::NotFound(message);
  return Status::IoError(message);
}

Status SftpClient::PosixRename(const std::string& from, const std::string& to) {
  // SSH_FXP_EXTENDED "posix-rename@openssh.com" (OpenSSH PROTOCOL, section 4.3),
  // written and answered on the SFTP channel directly. Safe because this client
  // is synchronous: no other request is in flight, so the next packet on the
  // channel is this request's reply (checked by its id).
  sftp_session sftp = sftp_.get();
  uint32_t id = ++sftp->id_counter;
  std::string packet;
  packet.push_back(static_cast<char>(kFxpExtended));
  PutU32(packet, id);
  PutString(packet, "posix-rename@openssh.com");
  PutString(packet, from);
  PutString(packet, to);
  std::string framed;
  PutU32(framed, static_cast<uint32_t>(packet.size()));
  framed += packet;

  const std::string what = session_.peer() + ": renaming " + from + " to " + to;
  Deadline deadline = session_.NewDeadline();
  ArmSessionTimeout(session_.raw(), deadline);
  int written = ssh_channel_write(sftp->channel, framed.data(), static_cast<uint32_t>(framed.size()));
  if (written != static_cast<int>(framed.size())) return Status::IoError(what + ": " + session_.LastError());

  auto readExactly = [&](size_t n, std::string* out) -> Status {
    out->assign(n, '\0');
    size_t got = 0;
    while (got < n) {
      if (deadline.expired()) {
        return Status::IoError(what + ": timed out after " + std::to_string(deadline.budget().count()) + " ms");
      }
      int r = ssh_channel_read_timeout(sftp->channel, out->data() + got, static_cast<uint32_t>(n - got), 0,
                                       deadline.PollTimeoutMs(1 << 30) + 1);
      if (r < 0) return Status::IoError(what + ": " + session_.LastError());
      if (r == 0 && ssh_channel_is_eof(sftp->channel)) return Status::IoError(what + ": the SFTP channel closed");
      got += static_cast<size_t>(r);
    }
    return Status::Ok();
  };
  std::string header, body;
  Status s = readExactly(4, &header);
  if (!s.ok()) return s;
  uint32_t length = GetU32(header, 0);
  if (length < 9 || length > 65536) return Status::IoError(what + ": malformed SFTP reply");
  s = readExactly(length, &body);
  if (!s.ok()) return s;
  if (static_cast<uint8_t>(body[0]) != kFxpStatus || GetU32(body, 1) != id) {
    return Status::IoError(what + ": unexpected SFTP reply");
  }
  uint32_t code = GetU32(body, 5);
  if (code == SSH_FX_OK) return Status::Ok();
  std::string message = SftpErrorText(static_cast<int>(code));
  if (length >= 13) {
    uint32_t msgLen = GetU32(body, 9);
    if (msgLen > 0 && 13 + static_cast<size_t>(msgLen) <= length) message = body.substr(13, msgLen);
  }
  return Status::IoError(what + ": " + message);
}

Status SftpClient::Rename(const std::string& from, const std::string& to) {
  if (posixRename_) return PosixRename(from, to);
  // SFTP v3 rename refuses to overwrite: remove the target first (readers may
  // briefly see no file, but never a partial one).
  Deadline deadline = session_.NewDeadline();
  ArmSessionTimeout(session_.raw(), deadline);
  if (sftp_rename(sftp_.get(), from.c_str(), to.c_str()) == SSH_OK) return Status::Ok();
  ArmSessionTimeout(session_.raw(), deadline);
  if (sftp_unlink(sftp_.get(), to.c_str()) != SSH_OK && sftp_get_error(sftp_.get()) != SSH_FX_NO_SUCH_FILE) {
    return Fail("cannot remove", to);
  }
  ArmSessionTimeout(session_.raw(), deadline);
  if (sftp_rename(sftp_.get(), from.c_str(), to.c_str()) != SSH_OK) return Fail("cannot rename " + from + " to", to);
  return Status::Ok();
}

Status SftpClient::Upload(const std::string& remotePath, std::string_view data, int mode,
                          std::optional<uint32_t> uid, std::optional<uint32_t> gid) {
  Status valid = CheckUploadArguments(session_.peer(), remotePath, mode);
  if (!valid.ok()) return valid;
  const std::string tmp = TempPathFor(remotePath);
  Deadline deadline = session_.NewDeadline();
  ssh_session s = session_.raw();
  auto timedOut = [&] {
    return Status::IoError(session_.peer() + ": uploading " + remotePath + ": timed out after " +
                           std::to_string(deadline.budget().count()) + " ms");
  };

  // Owner-only while the data is written: group and other bits come with the final chmod.
  ArmSessionTimeout(s, deadline);
  SftpFilePtr file(sftp_open(sftp_.get(), tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL,
                             static_cast<mode_t>(mode & 0700)));
  if (!file) return Fail("cannot create", tmp);

  bool keepTemp = false;
  auto cleanup = [&](Status status) {
    file.reset();
    if (!keepTemp) {
      ArmSessionTimeout(s, Deadline(std::chrono::milliseconds(5000)));
      sftp_unlink(sftp_.get(), tmp.c_str());
    }
    return status;
  };
  if (hooks_.afterCreate) hooks_.afterCreate(tmp);

  size_t done = 0;
  while (done < data.size()) {
    if (deadline.expired()) return cleanup(timedOut());
    size_t n = std::min(kChunk, data.size() - done);
    ArmSessionTimeout(s, deadline);
    ssize_t w = sftp_write(file.get(), data.data() + done, n);
    if (w <= 0) return cleanup(deadline.expired() ? timedOut() : Fail("cannot write", tmp));
    done += static_cast<size_t>(w);
  }
  if (fsync_) {
    ArmSessionTimeout(s, deadline);
    if (sftp_fsync(file.get()) != 0) return cleanup(Fail("cannot sync", tmp));
  }
  ArmSessionTimeout(s, deadline);
  int closed = sftp_close(file.release());
  if (closed != SSH_OK) return cleanup(Fail("cannot close", tmp));

  if (uid || gid) {
    uint32_t newUid = 0, newGid = 0;
    if (!uid || !gid) {
      ArmSessionTimeout(s, deadline);
      SftpAttributesPtr attrs(sftp_stat(sftp_.get(), tmp.c_str()));
      if (!attrs) return cleanup(Fail("cannot stat", tmp));
      newUid = attrs->uid;
      newGid = attrs->gid;
    }
    if (uid) newUid = *uid;
    if (gid) newGid = *gid;
    ArmSessionTimeout(s, deadline);
    if (sftp_chown(sftp_.get(), tmp.c_str(), newUid, newGid) != SSH_OK) {
      return cleanup(Fail("cannot change owner to " + std::to_string(newUid) + ":" + std::to_string(newGid) + " of",
                          tmp));
    }
  }
  // Always: the create mode was owner-only and subject to the server's umask.
  ArmSessionTimeout(s, deadline);
  if (sftp_chmod(sftp_.get(), tmp.c_str(), static_cast<mode_t>(mode)) != SSH_OK) {
    return cleanup(Fail("cannot change mode of", tmp));
  }
  if (deadline.expired()) return cleanup(timedOut());
  if (hooks_.beforeRename) hooks_.beforeRename(tmp);
  Status renamed = Rename(tmp, remotePath);
  if (!renamed.ok()) return cleanup(renamed);
  return Status::Ok();
}

Result<std::string> SftpClient::Download(const std::string& remotePath) {
  Deadline deadline = session_.NewDeadline();
  ssh_session s = session_.raw();
  ArmSessionTimeout(s, deadline);
  SftpFilePtr file(sftp_open(sftp_.get(), remotePath.c_str(), O_RDONLY, 0));
  if (!file) return Fail("cannot open", remotePath);
  std::string content;
  std::string buf(kChunk, '\0');
  for (;;) {
    if (deadline.expired()) {
      return Status::IoError(session_.peer() + ": downloading " + remotePath + ": timed out after " +
                             std::to_string(deadline.budget().count()) + " ms");
    }
    ArmSessionTimeout(s, deadline);
    ssize_t n = sftp_read(file.get(), buf.data(), buf.size());
    if (n < 0) return Fail("cannot read", remotePath);
    if (n == 0) break;
    content.append(buf.data(), static_cast<size_t>(n));
    if (content.size() > downloadLimit()) return TooLarge(session_.peer(), remotePath);
  }
  return content;
}

Result<std::optional<FileStat>> SftpClient::Stat(const std::string& remotePath) {
  Deadline deadline = session_.NewDeadline();
  ArmSessionTimeout(session_.raw(), deadline);
  SftpAttributesPtr attrs(sftp_stat(sftp_.get(), remotePath.c_str()));
  if (!attrs) {
    int code = sftp_get_error(sftp_.get());
    if (code == SSH_FX_NO_SUCH_FILE || code == SSH_FX_NO_SUCH_PATH) return std::optional<FileStat>();
    return Fail("cannot stat", remotePath);
  }
  FileStat st;
  st.mode = attrs->permissions & 07777;
  st.uid = attrs->uid;
  st.gid = attrs->gid;
  st.size = attrs->size;
  st.isDirectory = (attrs->permissions & S_IFMT) == S_IFDIR;
  st.isRegular = (attrs->permissions & S_IFMT) == S_IFREG;
  return std::optional<FileStat>(st);
}

Status SftpClient::Remove(const std::string& remotePath) {
  Deadline deadline = session_.NewDeadline();
  ArmSessionTimeout(session_.raw(), deadline);
  if (sftp_unlink(sftp_.get(), remotePath.c_str()) == 0) return Status::Ok();
  Status failed = Fail("cannot remove", remotePath);
  return failed.code() == Status::Code::kNotFound ? Status::Ok() : failed;
}

Status SftpClient::MakeDirectory(const std::string& remotePath, int mode) {
  Deadline deadline = session_.NewDeadline();
  ArmSessionTimeout(session_.raw(), deadline);
  if (sftp_mkdir(sftp_.get(), remotePath.c_str(), static_cast<mode_t>(mode)) == 0) return Status::Ok();
  Status failed = Fail("cannot make the directory", remotePath);
  // An existing directory is what was asked for; anything else there is not.
  auto st = Stat(remotePath);
  if (st.ok() && *st && (*st)->isDirectory) return Status::Ok();
  return failed;
}

}  // namespace pkiform::ssh
