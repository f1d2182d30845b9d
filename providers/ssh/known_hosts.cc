#include "providers/ssh/known_hosts.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>

namespace pkiform::ssh {
namespace {

// Serialises read-modify-rename cycles on known_hosts files within the process:
// peers are observed in parallel and may all record a key in the same file.
std::mutex& KnownHostsMutex() {
  static std::mutex m;
  return m;
}

// The name libssh looks the key up under: "alias" or "[alias]:port".
std::string KnownHostsName(const SshTarget& target) {
  const std::string& name = target.hostKeyAlias.empty() ? target.host : target.hostKeyAlias;
  if (target.port == 22) return name;
  return "[" + name + "]:" + std::to_string(target.port);
}

// "ssh-ed25519 key SHA256:..." for the key the server presented.
Result<std::string> DescribeServerKey(ssh_session session) {
  ssh_key raw = nullptr;
  if (ssh_get_server_publickey(session, &raw) != SSH_OK) {
    return Status::Failed(std::string("cannot read the server's host key: ") + ssh_get_error(session));
  }
  SshKeyPtr key(raw);
  unsigned char* hash = nullptr;
  size_t hashLen = 0;
  if (ssh_get_publickey_hash(key.get(), SSH_PUBLICKEY_HASH_SHA256, &hash, &hashLen) != 0) {
    return Status::Failed("cannot compute the host key's fingerprint");
  }
  SshCharPtr fingerprint(ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, hashLen));
  ssh_clean_pubkey_hash(&hash);
  if (!fingerprint) return Status::Failed("cannot format the host key's fingerprint");
  const char* type = ssh_key_type_to_char(ssh_key_type(key.get()));
  return std::string(type ? type : "unknown") + " key " + fingerprint.get();
}

Status AppendUnlocked(const std::string& path, const std::string& line);

Status RecordHostKey(ssh_session session, const SshTarget& target, const std::string& peer,
                     const std::string& keyText) {
  std::lock_guard<std::mutex> lock(KnownHostsMutex());
  // Another thread may have recorded it (or a different key) meanwhile.
  enum ssh_known_hosts_e state = ssh_session_is_known_server(session);
  if (state == SSH_KNOWN_HOSTS_OK) return Status::Ok();
  if (state == SSH_KNOWN_HOSTS_CHANGED || state == SSH_KNOWN_HOSTS_OTHER) {
    return Status::Failed("host key for " + peer + " has changed while it was being recorded; refusing " + keyText);
  }
  char* rawEntry = nullptr;
  if (ssh_session_export_known_hosts_entry(session, &rawEntry) != SSH_OK || rawEntry == nullptr) {
    return Status::Failed("cannot format the known_hosts entry for " + peer + ": " + ssh_get_error(session));
  }
  SshCharPtr entry(rawEntry);
  std::string line = entry.get();
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  return AppendUnlocked(target.knownHostsFile, line);
}

Status AppendUnlocked(const std::string& path, const std::string& line) {
  std::string content;
  int in = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) {
    if (errno != ENOENT) return Status::IoError("cannot read known_hosts file " + path + ": " + std::strerror(errno));
  } else {
    char buf[8192];
    for (;;) {
      ssize_t n = read(in, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        int err = errno;
        close(in);
        return Status::IoError("cannot read known_hosts file " + path + ": " + std::strerror(err));
      }
      if (n == 0) break;
      content.append(buf, static_cast<size_t>(n));
    }
    close(in);
  }
  if (!content.empty() && content.back() != '\n') content += '\n';
  content += line + "\n";

  std::string tmp = path + ".pkiform-tmp-XXXXXX";
  int fd = mkstemp(tmp.data());
  if (fd < 0) {
    return Status::IoError("cannot create a temporary file next to known_hosts file " + path + ": " +
                           std::strerror(errno));
  }
  auto fail = [&](const std::string& what) {
    int err = errno;
    close(fd);
    unlink(tmp.c_str());
    return Status::IoError(what + " " + tmp + ": " + std::strerror(err));
  };
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("cannot write");
    }
    done += static_cast<size_t>(n);
  }
  if (fchmod(fd, 0644) != 0) return fail("cannot chmod");
  if (fsync(fd) != 0) return fail("cannot sync");
  if (close(fd) != 0) {
    int err = errno;
    unlink(tmp.c_str());
    return Status::IoError("cannot close " + tmp + ": " + std::strerror(err));
  }
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    unlink(tmp.c_str());
    return Status::IoError("cannot rename " + tmp + " to " + path + ": " + std::strerror(err));
  }
  return Status::Ok();
}

}  // namespace

Status AppendKnownHostsLine(const std::string& path, const std::string& line) {
  std::lock_guard<std::mutex> lock(KnownHostsMutex());
  return AppendUnlocked(path, line);
}

Status VerifyHostKey(ssh_session session, const SshTarget& target, const std::string& peer) {
  auto keyText = DescribeServerKey(session);
  if (!keyText.ok()) return keyText.status().WithContext(peer);
  const std::string name = KnownHostsName(target);
  const std::string& file = target.knownHostsFile;

  switch (ssh_session_is_known_server(session)) {
    case SSH_KNOWN_HOSTS_OK:
      return Status::Ok();
    case SSH_KNOWN_HOSTS_CHANGED:
      return Status::Failed("host key for " + name + " (" + peer + ") has changed: the server presented " + *keyText +
                            ", which does not match the key recorded in " + file +
                            "; this is a possible man-in-the-middle attack. Refusing to connect (even with "
                            "--accept-new-host-keys); if the change is expected, remove the old entry for " +
                            name + " from " + file);
    case SSH_KNOWN_HOSTS_OTHER:
      return Status::Failed("host key for " + name + " (" + peer + ") has changed: the server presented " + *keyText +
                            " but " + file + " records a key of another type for " + name +
                            "; this is a possible man-in-the-middle attack. Refusing to connect; if the change is "
                            "expected, remove the old entry for " + name + " from " + file);
    case SSH_KNOWN_HOSTS_UNKNOWN:
    case SSH_KNOWN_HOSTS_NOT_FOUND:
      if (target.acceptNewHostKeys) {
        Status s = RecordHostKey(session, target, peer, *keyText);
        if (!s.ok()) return s.WithContext(peer);
        return Status::Ok();
      }
      return Status::Failed("host key for " + name + " (" + peer + ") is not in known_hosts file " + file +
                            ": the server presented " + *keyText +
                            ". If this fingerprint is right, run again with --accept-new-host-keys or add the key "
                            "to " + file);
    case SSH_KNOWN_HOSTS_ERROR:
    default:
      return Status::IoError(peer + ": cannot check the host key against " + file + ": " + ssh_get_error(session));
  }
}

}  // namespace pkiform::ssh
