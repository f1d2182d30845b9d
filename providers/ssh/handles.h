// RAII owners for libssh's C handles.
//
// Each handle is a std::unique_ptr with the exact libssh release call as its
// deleter, so that every early return frees what it created. Order matters
// where handles depend on each other: a channel, SFTP session or SFTP file must
// be released before the ssh session it belongs to.
#pragma once

#include <libssh/libssh.h>
#include <libssh/sftp.h>

#include <unistd.h>

#include <memory>
#include <utility>

namespace pkiform::ssh {

struct SshSessionDeleter {
  void operator()(ssh_session s) const noexcept {
    ssh_disconnect(s);
    ssh_free(s);
  }
};
using SshSessionPtr = std::unique_ptr<ssh_session_struct, SshSessionDeleter>;

struct SshChannelDeleter {
  void operator()(ssh_channel c) const noexcept {
    ssh_channel_close(c);
    ssh_channel_free(c);
  }
};
using SshChannelPtr = std::unique_ptr<ssh_channel_struct, SshChannelDeleter>;

struct SftpSessionDeleter {
  void operator()(sftp_session s) const noexcept { sftp_free(s); }
};
using SftpSessionPtr = std::unique_ptr<sftp_session_struct, SftpSessionDeleter>;

struct SftpFileDeleter {
  void operator()(sftp_file f) const noexcept { sftp_close(f); }
};
using SftpFilePtr = std::unique_ptr<sftp_file_struct, SftpFileDeleter>;

struct SftpAttributesDeleter {
  void operator()(sftp_attributes a) const noexcept { sftp_attributes_free(a); }
};
using SftpAttributesPtr = std::unique_ptr<sftp_attributes_struct, SftpAttributesDeleter>;

struct SshKeyDeleter {
  void operator()(ssh_key k) const noexcept { ssh_key_free(k); }
};
using SshKeyPtr = std::unique_ptr<ssh_key_struct, SshKeyDeleter>;

// A string that libssh allocated (ssh_get_fingerprint_hash, ssh_session_export_known_hosts_entry, ...).
struct SshStringCharDeleter {
  void operator()(char* p) const noexcept { ssh_string_free_char(p); }
};
using SshCharPtr = std::unique_ptr<char, SshStringCharDeleter>;

// A socket or file descriptor, closed on destruction. libssh 0.10 does not close
// a socket handed to it with SSH_OPTIONS_FD (measured): its owner must, after
// the session is freed.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

}  // namespace pkiform::ssh
