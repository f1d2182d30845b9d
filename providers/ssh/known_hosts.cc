#include "providers/ssh/known_hosts.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <algorithm>
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

// The server's key as known_hosts writes it.
Result<HostKey> ServerHostKey(ssh_session session) {
  ssh_key raw = nullptr;
  if (ssh_get_server_publickey(session, &raw) != SSH_OK) {
    return Status::Failed(std::string("cannot read the server's host key: ") + ssh_get_error(session));
  }
  SshKeyPtr key(raw);
  char* b64 = nullptr;
  if (ssh_pki_export_pubkey_base64(key.get(), &b64) != SSH_OK || b64 == nullptr) {
    return Status::Failed("cannot encode the server's host key");
  }
  SshCharPtr owned(b64);
  const char* type = ssh_key_type_to_char(ssh_key_type(key.get()));
  if (type == nullptr) return Status::Failed("the server's host key is of an unknown type");
  return HostKey{type, owned.get()};
}

Status AppendUnlocked(const std::string& path, const std::string& line);

Status RecordHostKey(const SshTarget& target, const std::string& peer, const HostKey& key,
                     const std::string& keyText) {
  std::lock_guard<std::mutex> lock(KnownHostsMutex());
  // Another thread may have recorded it (or a different key) meanwhile.
  auto known = ReadKnownHosts(target.knownHostsFile);
  if (!known.ok()) return known.status();
  const std::vector<std::string> names = HostKeyNames(target);
  const HostKeyVerdict verdict = LookUpHostKey(*known, names, key);
  if (verdict.kind == HostKeyVerdict::Kind::kKnown) return Status::Ok();
  if (verdict.kind != HostKeyVerdict::Kind::kUnknown) {
    return Status::Failed("host key for " + peer + " has changed while it was being recorded; refusing " + keyText);
  }
  auto lines = KnownHostsLinesFor(names, key, known->has_hashed);
  if (!lines.ok()) return lines.status();
  std::string text;
  for (const auto& l : *lines) text += (text.empty() ? "" : "\n") + l;
  return AppendUnlocked(target.knownHostsFile, text);
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

std::vector<std::string> HostKeyNames(const SshTarget& target) {
  std::vector<std::string> names;
  if (!target.hostKeyAlias.empty()) names.push_back(KnownHostsName(target.hostKeyAlias, target.port));
  const std::string address = KnownHostsName(target.host, target.port);
  if (names.empty() || names.front() != address) names.push_back(address);
  return names;
}

std::string HostKeyAlgorithms(const std::vector<std::string>& recordedTypes, bool legacy) {
  std::vector<std::string> all = {"ssh-ed25519",  "ecdsa-sha2-nistp521", "ecdsa-sha2-nistp384",
                                  "ecdsa-sha2-nistp256", "rsa-sha2-512", "rsa-sha2-256"};
  if (legacy) all.push_back("ssh-rsa");
  std::vector<std::string> ordered;
  auto take = [&](const std::string& algorithm) {
    auto it = std::find(all.begin(), all.end(), algorithm);
    if (it == all.end()) return;
    ordered.push_back(*it);
    all.erase(it);
  };
  for (const auto& type : recordedTypes) {
    if (type == "ssh-rsa") {
      for (const char* a : {"rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"}) take(a);
    } else {
      take(type);
    }
  }
  ordered.insert(ordered.end(), all.begin(), all.end());
  std::string list;
  for (const auto& a : ordered) list += (list.empty() ? "" : ",") + a;
  return list;
}

Status VerifyHostKey(ssh_session session, const SshTarget& target, const std::string& peer, const KnownHosts& known) {
  auto keyText = DescribeServerKey(session);
  if (!keyText.ok()) return keyText.status().WithContext(peer);
  auto key = ServerHostKey(session);
  if (!key.ok()) return key.status().WithContext(peer);
  const std::vector<std::string> names = HostKeyNames(target);
  std::string nameList;
  for (const auto& n : names) nameList += (nameList.empty() ? "" : " or ") + n;
  const std::string& file = target.knownHostsFile;
  const HostKeyVerdict verdict = LookUpHostKey(known, names, *key);
  const std::string at = file + ":" + std::to_string(verdict.line);

  switch (verdict.kind) {
    case HostKeyVerdict::Kind::kKnown:
      return Status::Ok();
    case HostKeyVerdict::Kind::kRevoked:
      return Status::Failed("host key for " + verdict.name + " (" + peer + ") is revoked: the server presented " +
                            *keyText + ", which " + at + " marks @revoked. Refusing to connect");
    case HostKeyVerdict::Kind::kChanged:
      return Status::Failed("host key for " + verdict.name + " (" + peer + ") has changed: the server presented " +
                            *keyText + ", which does not match the key recorded at " + at +
                            "; this is a possible man-in-the-middle attack. Refusing to connect (even with "
                            "--accept-new-host-keys); if the change is expected, remove the old entry for " +
                            verdict.name + " (line " + std::to_string(verdict.line) + ") from " + file);
    case HostKeyVerdict::Kind::kOtherType:
      return Status::Failed("host key for " + verdict.name + " (" + peer + ") has changed: the server presented " +
                            *keyText + " but " + at + " records a key of another type for " + verdict.name +
                            "; this is a possible man-in-the-middle attack. Refusing to connect; if the change is "
                            "expected, remove the old entry for " + verdict.name + " (line " +
                            std::to_string(verdict.line) + ") from " + file);
    case HostKeyVerdict::Kind::kUnknown:
      break;
  }
  if (target.acceptNewHostKeys) {
    Status s = RecordHostKey(target, peer, *key, *keyText);
    if (!s.ok()) return s.WithContext(peer);
    spdlog::info("{}: recorded host key {} under {} in {}", peer, *keyText, nameList, file);
    return Status::Ok();
  }
  return Status::Failed("host key for " + nameList + " (" + peer + ") is not in known_hosts file " + file +
                        ": the server presented " + *keyText +
                        ". If this fingerprint is right, run again with --accept-new-host-keys or add the key "
                        "to " + file);
}

}  // namespace pkiform::ssh
