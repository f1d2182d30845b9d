#include "providers/ssh/auth.h"

#include <fcntl.h>
#include <pwd.h>
#include <spdlog/spdlog.h>
#include <string.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <functional>
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

}  // namespace

Result<pki::SecretString> TargetPassword(const SshTarget& t) {
  if (t.passwordEnv.empty() && t.passwordFile.empty())
    return Status::InvalidInput("the connection names no password (passwordEnv or passwordFile)");
  std::unique_ptr<Secret> secret;
  Status s = LoadPassword(t, &secret);
  if (!s.ok()) return s;
  return pki::SecretString(std::string(secret->c_str()));
}

namespace {

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
  if (!t.passwordEnv.empty() && !t.passwordFile.empty()) {
    return Status::InvalidInput("give the password either in an environment variable or in a file, not both");
  }
  return Status::Ok();
}

bool UsesDefaultAuthentication(const SshTarget& t) {
  return t.identityFile.empty() && !t.useAgent && t.passwordEnv.empty() && t.passwordFile.empty();
}

std::vector<std::string> DefaultIdentityFiles() {
  std::string home;
  if (const char* env = std::getenv("HOME"); env && *env) {
    home = env;
  } else if (const passwd* pw = getpwuid(geteuid()); pw && pw->pw_dir) {
    home = pw->pw_dir;
  }
  if (home.empty()) return {};
  std::vector<std::string> files;
  for (const char* name : {"id_ed25519", "id_ecdsa", "id_rsa"}) files.push_back(home + "/.ssh/" + name);
  return files;
}

namespace {

// One authentication method after another, remembering why each failed.
class Attempts {
 public:
  Attempts(ssh_session session, std::string who) : session_(session), who_(std::move(who)) {}

  // An outcome of libssh: true when authenticated; a refusal is noted, an error is fatal.
  Result<bool> Outcome(int rc, const std::string& method) {
    if (rc == SSH_AUTH_SUCCESS) {
      spdlog::debug("{}: authenticated with {}", who_, method);
      return true;
    }
    if (rc == SSH_AUTH_ERROR) return Status::IoError(who_ + " failed: " + method + ": " + ssh_get_error(session_));
    Note(method + " (refused)");
    return false;
  }
  void Note(std::string attempt) { tried_.push_back(std::move(attempt)); }

  Status Refused() const {
    std::string list;
    for (const auto& m : tried_) list += (list.empty() ? "" : "; ") + m;
    if (list.empty()) list = "nothing";
    return Status::Failed(who_ + " was refused: tried " + list + "; the server accepts " +
                          MethodsToString(ssh_userauth_list(session_, nullptr)));
  }

 private:
  ssh_session session_;
  std::string who_;
  std::vector<std::string> tried_;
};

Result<bool> TryIdentityFile(ssh_session session, const SshTarget& t, const std::string& path, bool isDefault,
                             Attempts& attempts, const std::string& who) {
  if (isDefault && access(path.c_str(), F_OK) != 0) {
    attempts.Note("publickey with " + path + " (no such file)");
    return false;
  }
  SshTarget withFile = t;
  withFile.identityFile = path;
  auto key = LoadIdentity(withFile);
  if (!key.ok()) {
    // A default key that cannot be used is one failed method among others, as in OpenSSH.
    if (!isDefault) return key.status().WithContext(who);
    const bool encrypted = key.status().message().find("encrypted") != std::string::npos;
    attempts.Note("publickey with " + path +
                  (encrypted ? " (encrypted: pkiform never asks for a passphrase; load the key into ssh-agent)"
                             : " (" + key.status().message() + ")"));
    return false;
  }
  return attempts.Outcome(ssh_userauth_publickey(session, nullptr, key->get()), "publickey with " + path);
}

Result<bool> TryAgent(ssh_session session, Attempts& attempts) {
  if (std::getenv("SSH_AUTH_SOCK") == nullptr) {
    attempts.Note("ssh-agent (SSH_AUTH_SOCK is not set)");
    return false;
  }
  const int rc = ssh_userauth_agent(session, nullptr);
  if (rc == SSH_AUTH_ERROR) {
    // libssh reports an agent it cannot reach as an error; the server is still there.
    attempts.Note(std::string("ssh-agent (") + ssh_get_error(session) + ")");
    return false;
  }
  return attempts.Outcome(rc, "ssh-agent");
}

Result<bool> TryPassword(ssh_session session, const SshTarget& t, Attempts& attempts, const std::string& who) {
  std::unique_ptr<Secret> password;
  Status s = LoadPassword(t, &password);
  if (!s.ok()) return s.WithContext(who);
  const int methods = ssh_userauth_list(session, nullptr);
  if (methods & SSH_AUTH_METHOD_PASSWORD) {
    return attempts.Outcome(ssh_userauth_password(session, nullptr, password->c_str()), "password");
  }
  if (methods & SSH_AUTH_METHOD_INTERACTIVE) {
    return attempts.Outcome(KeyboardInteractive(session, *password), "keyboard-interactive password");
  }
  attempts.Note("password (not offered by the server)");
  return false;
}

}  // namespace

Status Authenticate(ssh_session session, const SshTarget& t, const std::string& peer) {
  char* rawUser = nullptr;
  std::string user = "?";
  if (ssh_options_get(session, SSH_OPTIONS_USER, &rawUser) == SSH_OK && rawUser != nullptr) {
    user = rawUser;
    ssh_string_free_char(rawUser);
  }
  const std::string who = "authentication as " + user + " to " + peer;

  int rc = ssh_userauth_none(session, nullptr);
  if (rc == SSH_AUTH_SUCCESS) return Status::Ok();
  if (rc == SSH_AUTH_ERROR) {
    return Status::IoError(who + " failed: the server did not answer: " + ssh_get_error(session));
  }

  // What the connection names, in this order; nothing named means OpenSSH's
  // defaults: the agent, then the default identity files.
  using Step = std::function<Result<bool>()>;
  std::vector<Step> steps;
  Attempts attempts(session, who);
  if (UsesDefaultAuthentication(t)) {
    steps.push_back([&] { return TryAgent(session, attempts); });
    for (const auto& file : DefaultIdentityFiles())
      steps.push_back([&, file] { return TryIdentityFile(session, t, file, true, attempts, who); });
  } else {
    if (!t.identityFile.empty())
      steps.push_back([&] { return TryIdentityFile(session, t, t.identityFile, false, attempts, who); });
    if (t.useAgent) steps.push_back([&] { return TryAgent(session, attempts); });
    if (!t.passwordEnv.empty() || !t.passwordFile.empty())
      steps.push_back([&] { return TryPassword(session, t, attempts, who); });
  }
  for (const auto& step : steps) {
    auto done = step();
    if (!done.ok()) return done.status();
    if (*done) return Status::Ok();
  }
  return attempts.Refused();
}

}  // namespace pkiform::ssh
