#include "tests/support/sshd_harness.h"
#include "tests/support/test_ports.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <pwd.h>
#include <shadow.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

namespace pkiform::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

Status WriteFile(const std::string& path, const std::string& content, mode_t mode) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) return Status::IoError("cannot write " + path);
    out << content;
    if (!out) return Status::IoError("cannot write " + path);
  }
  if (chmod(path.c_str(), mode) != 0) return Status::IoError("cannot chmod " + path + ": " + std::strerror(errno));
  return Status::Ok();
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}


// True when `address:port` accepts a connection and sends an SSH banner.
bool AnswersWithBanner(const std::string& address, int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  timeval tv{0, 500000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = inet_pton(AF_INET, address.c_str(), &addr.sin_addr) == 1 &&
            connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  if (ok) {
    char buf[64] = {};
    ssize_t n = recv(fd, buf, sizeof buf - 1, 0);
    ok = n >= 4 && std::strncmp(buf, "SSH-", 4) == 0;
  }
  close(fd);
  return ok;
}

bool PasswordFieldLocked(const std::string& name) {
  struct spwd* sp = getspnam(name.c_str());
  return sp != nullptr && sp->sp_pwdp != nullptr && sp->sp_pwdp[0] == '!';
}

// EnsureTestUser; with `alias`, the account has alias's uid and gid too.
Status EnsureUser(const std::string& name, const struct passwd* alias) {
  std::vector<std::string> ids;  // useradd's and usermod's options for alias's uid and gid
  if (alias != nullptr) {
    ids = {"--non-unique", "--uid", std::to_string(alias->pw_uid), "--gid", std::to_string(alias->pw_gid)};
  }
  for (int attempt = 0; attempt < 20; ++attempt) {
    struct passwd* pw = getpwnam(name.c_str());
    if (pw == nullptr) {
      std::vector<std::string> argv = {"useradd", "--create-home", "--shell", "/bin/sh", "--password", "*",
                                       "--comment", "pkiform test user"};
      argv.insert(argv.end(), ids.begin(), ids.end());
      argv.push_back(name);
      auto r = RunProcess(argv);
      if (!r.ok()) return r.status();
      // 9: created meanwhile by another process; 10: /etc/passwd locked by one.
      if (r->exitCode != 0 && r->exitCode != 9 && r->exitCode != 10) {
        return Status::Failed("useradd " + name + " failed (" + std::to_string(r->exitCode) + "): " + r->output);
      }
      if (r->exitCode == 10) std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    std::vector<std::string> fix;
    if (std::string(pw->pw_shell) != "/bin/sh") fix.insert(fix.end(), {"--shell", "/bin/sh"});
    if (PasswordFieldLocked(name)) fix.insert(fix.end(), {"--password", "*"});
    if (alias != nullptr && (pw->pw_uid != alias->pw_uid || pw->pw_gid != alias->pw_gid)) {
      fix.insert(fix.end(), ids.begin(), ids.end());
    }
    if (fix.empty()) return Status::Ok();
    std::vector<std::string> argv = {"usermod"};
    argv.insert(argv.end(), fix.begin(), fix.end());
    argv.push_back(name);
    auto r = RunProcess(argv);
    if (!r.ok()) return r.status();
    if (r->exitCode == 10) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    if (r->exitCode != 0) return Status::Failed("usermod " + name + " failed: " + r->output);
  }
  return Status::Failed("cannot set up the test user " + name + " (passwd database busy)");
}

}  // namespace

// Declared in sshd_harness.h.
Result<std::string> RandomPassword() {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::ifstream in("/dev/urandom", std::ios::binary);
  std::string password;
  while (in && password.size() < 24) {
    const auto byte = static_cast<unsigned char>(in.get());
    if (byte < 248) password += kAlphabet[byte % 62];  // 248 = 4 * 62: no bias
  }
  if (password.size() != 24) return Status::IoError("cannot read /dev/urandom");
  return password;
}

namespace {

// chpasswd with "name:password" on its stdin (never in argv).
Status SetPassword(const std::string& name, const std::string& password) {
  for (int attempt = 0; attempt < 20; ++attempt) {
    int in[2];
    if (pipe2(in, O_CLOEXEC) != 0) return Status::IoError(std::string("pipe: ") + std::strerror(errno));
    pid_t pid = fork();
    if (pid < 0) return Status::IoError(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
      dup2(in[0], STDIN_FILENO);
      int null = open("/dev/null", O_WRONLY);
      if (null >= 0) dup2(null, STDOUT_FILENO);
      execl("/usr/sbin/chpasswd", "chpasswd", static_cast<char*>(nullptr));
      _exit(127);
    }
    close(in[0]);
    const std::string line = name + ":" + password + "\n";
    bool written = write(in[1], line.data(), line.size()) == static_cast<ssize_t>(line.size());
    close(in[1]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (written && WIFEXITED(status) && WEXITSTATUS(status) == 0) return Status::Ok();
    // Mostly "cannot lock /etc/shadow" while useradd or usermod of another harness holds it.
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return Status::Failed("chpasswd for " + name + " kept failing (is /etc/shadow locked?)");
}

}  // namespace

Status EnsureTestUser(const std::string& name) { return EnsureUser(name, nullptr); }

Result<std::string> EnsurePasswordUser(const std::string& name, const std::string& sameUidAs) {
  std::optional<struct passwd> alias;
  if (!sameUidAs.empty()) {
    struct passwd* of = getpwnam(sameUidAs.c_str());
    if (of == nullptr) return Status::NotFound("no user " + sameUidAs + " to share its uid with " + name);
    if (of->pw_uid == 0) return Status::InvalidInput("refusing to make " + name + " an alias of a uid 0 account");
    alias = *of;  // uid and gid are all EnsureUser reads
  }
  Status s = EnsureUser(name, alias ? &*alias : nullptr);
  if (!s.ok()) return s;
  const std::string dir = "/run/pkiform-test";
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return Status::IoError("cannot create " + dir + ": " + std::strerror(errno));
  }
  const std::string path = dir + "/" + name + ".password";
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return Status::IoError("cannot open " + path + ": " + std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() { close(fd); }  // also releases the lock
  } closer{fd};
  if (flock(fd, LOCK_EX) != 0) return Status::IoError("cannot lock " + path + ": " + std::strerror(errno));
  char buf[64] = {};
  ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
  std::string password(buf, n > 0 ? static_cast<size_t>(n) : 0);
  while (!password.empty() && (password.back() == '\n' || password.back() == '\r')) password.pop_back();
  if (password.size() != 24) {
    auto made = RandomPassword();
    if (!made.ok()) return made.status();
    password = *made;
    const std::string line = password + "\n";
    if (ftruncate(fd, 0) != 0 || pwrite(fd, line.data(), line.size(), 0) != static_cast<ssize_t>(line.size()) ||
        fsync(fd) != 0) {
      return Status::IoError("cannot write " + path + ": " + std::strerror(errno));
    }
  }
  s = SetPassword(name, password);
  if (!s.ok()) return s;
  return password;
}

Result<std::string> SshdHarness::GenerateKey(const std::string& path, const std::string& type,
                                             const std::string& passphrase) {
  std::error_code ec;
  fs::remove(path, ec);
  fs::remove(path + ".pub", ec);
  std::vector<std::string> argv = {"ssh-keygen", "-q", "-t", type, "-N", passphrase, "-C", "pkiform-test", "-f", path};
  if (type == "rsa") argv.insert(argv.end(), {"-b", "2048"});
  if (!passphrase.empty()) argv.insert(argv.end(), {"-a", "2"});  // few KDF rounds: test keys, fast tests
  auto r = RunProcess(argv);
  if (!r.ok()) return r.status();
  if (r->exitCode != 0) return Status::Failed("ssh-keygen for " + path + " failed: " + r->output);
  auto pub = ReadFile(path + ".pub");
  if (!pub.ok()) return pub.status();
  std::string line = *pub;
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  return line;
}

Result<std::unique_ptr<SshdHarness>> SshdHarness::Start(SshdOptions options) {
  std::unique_ptr<SshdHarness> h(new SshdHarness(std::move(options)));
  Status s = h->Init();
  if (!s.ok()) return s.WithContext("starting sshd");
  return h;
}

Result<std::unique_ptr<SshdHarness>> SshdHarness::StartWithForceCommand(std::string command, SshdOptions options) {
  options.forceCommand = std::move(command);
  return Start(std::move(options));
}

Status SshdHarness::Init() {
  Status s = EnsureTestUser(options_.user);
  if (!s.ok()) return s;
  if (mkdir("/run/sshd", 0755) != 0 && errno != EEXIST) {
    return Status::IoError(std::string("cannot create /run/sshd: ") + std::strerror(errno));
  }
  std::string tmpl = (fs::temp_directory_path() / "pkiform-sshd-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) return Status::IoError(std::string("mkdtemp: ") + std::strerror(errno));
  dir_ = tmpl;
  // The login user reads authorized_keys with its own privileges.
  if (chmod(dir_.c_str(), 0755) != 0) return Status::IoError("cannot chmod " + dir_);
  dataDir_ = dir_ + "/data";
  struct passwd* pw = getpwnam(options_.user.c_str());
  if (pw == nullptr) return Status::Failed("user " + options_.user + " vanished");
  if (mkdir(dataDir_.c_str(), 0755) != 0 || chown(dataDir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
    return Status::IoError("cannot create " + dataDir_ + ": " + std::strerror(errno));
  }

  hostKey_ = dir_ + "/ssh_host_ed25519_key";
  clientKey_ = dir_ + "/client_ed25519_key";
  authorizedKeys_ = dir_ + "/authorized_keys";
  knownHosts_ = dir_ + "/known_hosts";
  config_ = dir_ + "/sshd_config";
  log_ = dir_ + "/sshd.log";
  auto hostPub = GenerateKey(hostKey_);
  if (!hostPub.ok()) return hostPub.status();
  std::istringstream fields(*hostPub);
  std::string type, blob;
  fields >> type >> blob;
  hostPublicKey_ = type + " " + blob;
  auto clientPub = GenerateKey(clientKey_);
  if (!clientPub.ok()) return clientPub.status();
  s = WriteFile(authorizedKeys_, *clientPub + "\n", 0644);
  if (!s.ok()) return s;
  s = Launch();
  if (!s.ok()) return s;
  return WriteKnownHosts(knownHosts_, options_.knownHostsNames);
}

Status SshdHarness::Launch() {
  const std::string probeAddress = options_.listenAddress == "0.0.0.0" ? "127.0.0.1" : options_.listenAddress;
  std::string lastLog;
  // passwordUser and passwordUsers, as `Match User` wants them: "a,b" (each once).
  std::vector<std::string> names = options_.passwordUsers;
  names.insert(names.begin(), options_.passwordUser);
  std::string passwordUsers;
  std::set<std::string> seen;
  for (const auto& name : names) {
    if (name.empty() || !seen.insert(name).second) continue;
    passwordUsers += (passwordUsers.empty() ? "" : ",") + name;
  }
  for (int attempt = 0; attempt < 5; ++attempt) {
    auto port = FreeLoopbackPort();
    if (!port.ok()) return port.status();
    port_ = *port;
    std::ostringstream c;
    c << "Port " << port_ << "\n"
      << "ListenAddress " << options_.listenAddress << "\n"
      << "HostKey " << hostKey_ << "\n"
      << "PidFile " << dir_ << "/sshd.pid\n"
      << "AuthorizedKeysFile " << authorizedKeys_ << "\n"
      << "PubkeyAuthentication yes\n"
      << "PasswordAuthentication no\n"
      << "KbdInteractiveAuthentication no\n"
      << "UsePAM " << (passwordUsers.empty() ? "no" : "yes") << "\n"
      << "StrictModes no\n"
      << "MaxStartups 1000:30:2000\n"
      << "PermitRootLogin prohibit-password\n"
      << "PrintMotd no\n"
      << "PrintLastLog no\n"
      << "X11Forwarding no\n"
      << "UseDNS no\n"
      << "LogLevel VERBOSE\n";
    if (options_.sftpSubsystem) c << "Subsystem sftp internal-sftp\n";
    if (!options_.forceCommand.empty()) c << "ForceCommand " << options_.forceCommand << "\n";
    for (const auto& line : options_.extraConfig) c << line << "\n";
    if (!passwordUsers.empty()) {
      // Like an appliance administrator: keyboard-interactive (PAM) or password,
      // never a key. UsePAM cannot go into a Match block: it is per sshd.
      c << "Match User " << passwordUsers << "\n"
        << "  PubkeyAuthentication no\n"
        << "  KbdInteractiveAuthentication yes\n"
        << "  PasswordAuthentication " << (options_.passwordUserPasswordMethod ? "yes" : "no") << "\n";
    }
    Status s = WriteFile(config_, c.str(), 0644);
    if (!s.ok()) return s;

    auto child = ChildProcess::Spawn({"/usr/sbin/sshd", "-D", "-e", "-f", config_}, log_);
    if (!child.ok()) return child.status();
    sshd_ = std::move(child).value();

    auto end = Clock::now() + options_.startTimeout;
    bool exited = false;
    while (Clock::now() < end) {
      if (sshd_->HasExited()) {
        exited = true;
        break;
      }
      if (AnswersWithBanner(probeAddress, port_)) return Status::Ok();
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    lastLog = Log();
    sshd_.reset();
    if (!exited) {
      return Status::Failed("sshd did not answer on " + probeAddress + ":" + std::to_string(port_) + " within " +
                            std::to_string(options_.startTimeout.count()) + " ms; its log:\n" + lastLog);
    }
    if (lastLog.find("Address already in use") == std::string::npos) break;  // not a port race: give up
    std::error_code ec;
    fs::remove(log_, ec);
  }
  return Status::Failed("sshd exited at start (config " + config_ + "); its log:\n" + lastLog);
}

SshdHarness::~SshdHarness() {
  sshd_.reset();
  if (!dir_.empty()) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
}

std::string SshdHarness::Log() const {
  auto log = ReadFile(log_);
  return log.ok() ? *log : "(no log)";
}

ssh::SshTarget SshdHarness::Target(const std::string& address) const {
  ssh::SshTarget t;
  t.host = address;
  t.port = port_;
  t.user = options_.user;
  t.identityFile = clientKey_;
  t.knownHostsFile = knownHosts_;
  t.timeout = std::chrono::seconds(10);
  return t;
}

Status SshdHarness::AuthorizeKey(const std::string& publicKeyLine) {
  std::ofstream out(authorizedKeys_, std::ios::app);
  out << publicKeyLine << "\n";
  return out ? Status::Ok() : Status::IoError("cannot append to " + authorizedKeys_);
}

Status SshdHarness::WriteKnownHosts(const std::string& path, const std::vector<std::string>& names) const {
  std::string content;
  for (const auto& name : names) content += "[" + name + "]:" + std::to_string(port_) + " " + hostPublicKey_ + "\n";
  return WriteFile(path, content, 0644);
}

// A reserved port (test_ports.h) nothing is bound to on any address: sshd may
// listen on 0.0.0.0.
Result<int> FreeLoopbackPort() { return ReserveTestPort("0.0.0.0"); }

}  // namespace pkiform::testing
