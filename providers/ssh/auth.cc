#include "providers/ssh/auth.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <vector>

namespace pkiform::ssh {
namespace {

// A password or passphrase: wiped from memory when it goes out of scope.
class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  Secret(const Secret&) = delete;
  Secret& operator=(const Secret&) = delete;
  ~Secret() { explicit_bzero(value_.data(), value_.size()); }
  const char* c_str() const { return value_.c_str(); }

 private:
  std::string value_;
};

std::string MethodsToString(int methods) {
  std::string s;
  auto add = [&](int bit, const char* name) {
    if (methods & bit) s += (s.empty() ? "" : ", ") + std::string(name);
  };
  add(SSH_AUTH_METHOD_PUBLICKEY, "publickey");
  add(SSH_AUTH_METHOD_PASSWORD, "password");
  add(SSH_AUTH_METHOD_INTERACTIVE, "keyboard-interactive");
  add(SSH_AUTH_METHOD_HOSTBASED, "hostbased");
  add(SSH_AUTH_METHOD_GSSAPI_MIC, "gssapi-with-mic");
  return s.empty() ? "none" : s;
}

// Reads the first line of `path` (without its line ending) into `out`.
Status ReadFirstLine(const std::string& path, std::unique_ptr<Secret>* out) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IoError("cannot read password file " + path + ": " + strerror(errno));
  std::string data;
  char buf[512];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    data.append(buf, static_cast<size_t>(n));
    if (data.size() > 65536) break;
  }
  explicit_bzero(buf, sizeof buf);
  close(fd);
  size_t end = data.find_first_of("\r\n");
  std::string line = data.substr(0, end);
  explicit_bzero(data.data(), data.size());
  *out = std::make_unique<Secret>(std::move(line));
  return Status::Ok();
}

Status LoadPassword(const SshTarget& t, std::unique_ptr<Secret>* out) {
  if (!t.passwordEnv.empty()) {
    const char* v = std::getenv(t.passwordEnv.c_str());
    if (v == nullptr) return Status::InvalidInput("environment variable " + t.passwordEnv + " (the password) is not set");
    *out = std::make_unique<Secret>(v);
    return Status::Ok();
  }
  return ReadFirstLine(t.passwordFile, out);
}

// Passphrase callback for ssh_pki_import_privkey_file: answers from the
// environment only, and notes that a passphrase was asked for.
struct PassphraseRequest {
  const char* passphrase = nullptr;
  bool asked = false;
};

int PassphraseCallback(const char* /*prompt*/, char* buf, size_t len, int /*echo*/, int /*verify*/, void* userdata) {
  auto* req = static_cast<PassphraseRequest*>(userdata);
  req->asked = true;
  if (req->passphrase == nullptr) return -1;
  size_t n = strlen(req->passphrase);
  if (n + 1 > len) return -1;
  memcpy(buf, req->passphrase, n + 1);
  return 0;
}

Result<SshKeyPtr> LoadIdentity(const SshTarget& t) {
  if (access(t.identityFile.c_str(), R_OK) != 0) {
    return Status::NotFound("cannot read identity file " + t.identityFile + ": " + strerror(errno));
  }
  PassphraseRequest req;
  if (!t.identityPassphraseEnv.empty()) {
    req.passphrase = std::getenv(t.identityPassphraseEnv.c_str());
    if (req.passphrase == nullptr) {
      return Status::InvalidInput("environment variable " + t.identityPassphraseEnv +
                                  " (the passphrase of identity file " + t.identityFile + ") is not set");
    }
  }
  ssh_key raw = nullptr;
  int rc = ssh_pki_import_privkey_file(t.identityFile.c_str(), req.passphrase, PassphraseCallback, &req, &raw);
  SshKeyPtr key(raw);
  if (rc == SSH_OK && key) return key;
  if (req.asked || req.passphrase != nullptr) {
    if (req.passphrase == nullptr) {
      return Status::InvalidInput("identity file " + t.identityFile +
                                  " is encrypted: put its passphrase in an environment variable and name that "
                                  "variable in the connection settings (identityPassphraseEnv); passphrases are "
                                  "never taken from the command line");
    }
    return Status::Crypto("cannot decrypt identity file " + t.identityFile + " with the passphrase from $" +
                          t.identityPassphraseEnv);
  }
  return Status::Crypto("cannot load identity file " + t.identityFile + " (not a private key libssh can read)");
}

int KeyboardInteractive(ssh_session session, const Secret& password) {
  int rc = ssh_userauth_kbdint(session, nullptr, nullptr);
  for (int round = 0; rc == SSH_AUTH_INFO && round < 5; ++round) {
    int prompts = ssh_userauth_kbdint_getnprompts(session);
    for (int i = 0; i < prompts; ++i) {
      char echo = 0;
      ssh_userauth_kbdint_getprompt(session, static_cast<unsigned>(i), &echo);
      // Only hidden prompts get the password; anything else is answered empty.
      if (ssh_userauth_kbdint_setanswer(session, static_cast<unsigned>(i), echo ? "" : password.c_str()) < 0) {
        return SSH_AUTH_ERROR;
      }
    }
    rc = ssh_userauth_kbdint(session, nullptr, nullptr);
  }
  return rc == SSH_AUTH_INFO ? SSH_AUTH_DENIED : rc;
}

}  // namespace

Status ValidateAuthSettings(const SshTarget& t) {
  if (t.identityFile.empty() && !t.useAgent && t.passwordEnv.empty() && t.passwordFile.empty()) {
    return Status::InvalidInput("no SSH authentication configured: give an identity file, the agent, or a password "
                                "environment variable or file");
  }
  if (!t.passwordEnv.empty() && !t.passwordFile.empty()) {
    return Status::InvalidInput("give the password either in an environment variable or in a file, not both");
  }
  return Status::Ok();
}

Status Authenticate(ssh_session session, const SshTarget& t, const std::string& peer) {
  char* rawUser = nullptr;
  std::string user = "?";
  if (ssh_options_get(session, SSH_OPTIONS_USER, &rawUser) == SSH_OK && rawUser != nullptr) {
    user = rawUser;
    ssh_string_free_char(rawUser);
  }
  const std::string who = "authentication as " + user + " to " + peer;
  auto error = [&](const std::string& what) {
    return Status::IoError(who + " failed: " + what + ": " + ssh_get_error(session));
  };

  int rc = ssh_userauth_none(session, nullptr);
  if (rc == SSH_AUTH_SUCCESS) return Status::Ok();
  if (rc == SSH_AUTH_ERROR) return error("the server did not answer");

  std::vector<std::string> tried;
  if (!t.identityFile.empty()) {
    auto key = LoadIdentity(t);
    if (!key.ok()) return key.status().WithContext(who);
    rc = ssh_userauth_publickey(session, nullptr, key->get());
    if (rc == SSH_AUTH_SUCCESS) return Status::Ok();
    if (rc == SSH_AUTH_ERROR) return error("publickey with " + t.identityFile);
    tried.push_back("publickey with " + t.identityFile);
  }
  if (t.useAgent) {
    if (std::getenv("SSH_AUTH_SOCK") == nullptr) {
      tried.push_back("ssh-agent (SSH_AUTH_SOCK is not set)");
    } else {
      rc = ssh_userauth_agent(session, nullptr);
      if (rc == SSH_AUTH_SUCCESS) return Status::Ok();
      if (rc == SSH_AUTH_ERROR) {
        // libssh reports an agent it cannot reach as an error; the server is still there.
        tried.push_back(std::string("ssh-agent (") + ssh_get_error(session) + ")");
      } else {
        tried.push_back("ssh-agent");
      }
    }
  }
  if (!t.passwordEnv.empty() || !t.passwordFile.empty()) {
    std::unique_ptr<Secret> password;
    Status s = LoadPassword(t, &password);
    if (!s.ok()) return s.WithContext(who);
    int methods = ssh_userauth_list(session, nullptr);
    if (methods & SSH_AUTH_METHOD_PASSWORD) {
      rc = ssh_userauth_password(session, nullptr, password->c_str());
      if (rc == SSH_AUTH_SUCCESS) return Status::Ok();
      if (rc == SSH_AUTH_ERROR) return error("password");
      tried.push_back("password");
    } else if (methods & SSH_AUTH_METHOD_INTERACTIVE) {
      rc = KeyboardInteractive(session, *password);
      if (rc == SSH_AUTH_SUCCESS) return Status::Ok();
      if (rc == SSH_AUTH_ERROR) return error("keyboard-interactive password");
      tried.push_back("keyboard-interactive password");
    } else {
      tried.push_back("password (not offered by the server)");
    }
  }
  std::string list;
  for (const auto& m : tried) list += (list.empty() ? "" : "; ") + m;
  return Status::Failed(who + " was refused: tried " + list + "; the server accepts " +
                        MethodsToString(ssh_userauth_list(session, nullptr)));
}

}  // namespace pkiform::ssh
