// The root account of a simulated VCS peer (vcs_shell.h; docs/platforms/vcs.md, "Login and
// sessions", "Observation" files, "Staging files"), and the session entry point that picks
// the admin shell or the root exec emulator by login.
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "reconciler/pki/key.h"
#include "reconciler/util/terminal_escape.h"
#include "tests/sim/faults.h"
#include "tests/sim/sim_files.h"
#include "tests/sim/vcs_shell.h"
#include "tests/sim/vcs_state.h"

namespace pkiform::sim {
namespace {

class RootExec {
 public:
  RootExec(const VcsAppliance& a, int in, int out, int err) : a_(a), in_(in), out_(out), err_(err) {}
  int Run(const std::string& command);

 private:
  void Put(int fd, const std::string& text) {
    size_t done = 0;
    while (done < text.size()) {
      ssize_t n = ::write(fd, text.data() + done, text.size() - done);
      if (n <= 0) return;
      done += static_cast<size_t>(n);
    }
  }
  int Fail(int code, const std::string& message) {
    Put(err_, EscapeForTerminal(message, Backslash::kKeep) + "\n");
    return code;
  }
  int Tail(const std::vector<std::string>& paths);
  int Cat(const std::string& path);
  int Remove(const std::vector<std::string>& paths);
  // The host file behind a staging path "/tmp/pkiform/<name>", names [A-Za-z0-9._-]{1,64}.
  std::optional<fs::path> StagedFile(const std::string& path) const;

  const VcsAppliance& a_;
  int in_, out_, err_;
};

std::optional<fs::path> RootExec::StagedFile(const std::string& path) const {
  const std::string prefix = "/tmp/pkiform/";
  if (!path.starts_with(prefix)) return std::nullopt;
  std::string name = path.substr(prefix.size());
  if (name.empty() || name.size() > 64 || name == "." || name == ".." ||
      name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") != std::string::npos)
    return std::nullopt;
  return a_.StagingDir() / name;
}

int RootExec::Run(const std::string& command) {
  if (command.size() > kVcsMaxExecLength) return Fail(2, "sh: command line too long");
  std::istringstream in(command);
  std::vector<std::string> w;
  for (std::string word; in >> word;) w.push_back(word);
  if (w.empty()) return 0;
  // Only plain words: the simulator has no shell grammar beyond `cat > FILE`.
  if (command.find_first_of(";|&$`'\"<()\\*?") != std::string::npos) {
    return Fail(127, "sh: " + w[0] + ": not found");
  }
  if (w[0] == "tail" && w.size() >= 4 && w[1] == "-n" && w[2] == "+1")
    return Tail(std::vector<std::string>(w.begin() + 3, w.end()));
  if (w[0] == "mkdir" && w.size() == 3 && w[1] == "-p" && (w[2] == "/tmp/pkiform" || w[2] == "/tmp/pkiform/")) {
    std::error_code ec;
    fs::create_directories(a_.StagingDir(), ec);
    return ec ? Fail(1, "mkdir: cannot create directory '/tmp/pkiform': " + ec.message()) : 0;
  }
  if (w[0] == "cat" && w.size() == 3 && w[1] == ">") return Cat(w[2]);
  if (w[0] == "cat" && w.size() == 2 && w[1].starts_with(">")) return Cat(w[1].substr(1));
  if (w[0] == "rm" && w.size() >= 3 && w[1] == "-f") return Remove(std::vector<std::string>(w.begin() + 2, w.end()));
  if (w[0] == "tail" || w[0] == "mkdir" || w[0] == "cat" || w[0] == "rm")
    return Fail(2, w[0] + ": arguments not supported by pkiform-sim (see docs/platforms/vcs.md, Root commands)");
  return Fail(127, "sh: " + w[0] + ": not found");
}

// coreutils `tail -n +1`: a header per file when there are several, a blank line
// between files, a missing file reported on stderr (exit 1) and the others still printed.
int RootExec::Tail(const std::vector<std::string>& paths) {
  int code = 0;
  bool first = true;
  for (const auto& path : paths) {
    auto host = VcsHostPath(a_, path);
    std::error_code ec;
    if (host && fs::is_directory(*host, ec)) {
      code = Fail(1, "tail: error reading '" + path + "': Is a directory");
      continue;
    }
    auto text = host ? ReadText(*host) : std::nullopt;
    if (!text) {
      code = Fail(1, "tail: cannot open '" + path + "' for reading: No such file or directory");
      continue;
    }
    // Private keys never reach a transcript (ASSUMED: a real root could read them).
    if (host->filename() == "privkey.pem" || pki::ContainsPrivateKeyPem(*text)) {
      code = Fail(1, "tail: cannot open '" + path + "' for reading: Permission denied");
      continue;
    }
    if (paths.size() > 1) Put(out_, std::string(first ? "" : "\n") + "==> " + path + " <==\n");
    first = false;
    Put(out_, *text);
  }
  return code;
}

int RootExec::Cat(const std::string& path) {
  auto file = StagedFile(path);
  if (!file) return Fail(1, "sh: " + path + ": Permission denied");
  std::error_code ec;
  if (!fs::is_directory(a_.StagingDir(), ec)) return Fail(2, "sh: " + path + ": Directory nonexistent");
  const int generation = a_.Generation();
  std::string data;
  bool tooLong = false;
  for (;;) {
    if (!VcsWaitReadable(in_, a_, generation)) _exit(1);  // restarted: the session is gone, nothing written
    char chunk[8192];
    ssize_t n = ::read(in_, chunk, sizeof chunk);
    if (n <= 0) break;
    if (data.size() + static_cast<size_t>(n) > kVcsMaxStagedBytes) tooLong = true;  // read on, keep nothing
    if (!tooLong) data.append(chunk, static_cast<size_t>(n));
  }
  if (tooLong) return Fail(1, "sh: write error: No space left on device");
  FileLock lock(a_.LockPath());
  if (auto s = WriteTextAtomic(*file, data, fs::perms(0600)); !s.ok())
    return Fail(1, "sh: " + path + ": " + s.message());
  return 0;
}

int RootExec::Remove(const std::vector<std::string>& paths) {
  int code = 0;
  for (const auto& path : paths) {
    auto file = StagedFile(path);
    if (!file) {
      code = Fail(1, "rm: cannot remove '" + path + "': Permission denied");
      continue;
    }
    std::error_code ec;
    fs::remove(*file, ec);
  }
  return code;
}

}  // namespace

bool VcsWaitReadable(int fd, const VcsAppliance& appliance, int generation) {
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    int n = ::poll(&p, 1, 100);
    if (n > 0) return true;
    if (n < 0 && errno != EINTR) return true;  // let the read report it
    if (appliance.Generation() != generation) return false;
  }
}

int RunVcsRootExec(const VcsAppliance& appliance, const std::string& command, int inFd, int outFd, int errFd) {
  RootExec exec(appliance, inFd, outFd, errFd);
  return exec.Run(command);
}

int RunVcsSession(const fs::path& dir, const std::string& user, const std::string& execCommand) {
  signal(SIGPIPE, SIG_IGN);
  signal(SIGHUP, SIG_IGN);
  auto a = VcsAppliance::Open(dir);
  if (!a.ok()) {
    std::fprintf(stderr, "pkiform-sim: %s\n", a.status().message().c_str());
    return 1;
  }
  // A restarting peer has no sshd (rule V7): the login fails (ASSUMED wording).
  if (!a->IsUp()) {
    std::fprintf(stderr, "pkiform-sim: %s is restarting; connection closed\n", a->config().fqdn.c_str());
    return 255;
  }
  Faults f = LoadFaults(dir);
  const bool root = user == a->config().rootUser;
  if (root) {
    if (execCommand.empty()) {
      std::fprintf(stderr, "pkiform-sim: the simulated root account takes exec requests only\n");
      return 1;
    }
    if (f.dropAtCommand == 1) raise(SIGKILL);  // fault: the connection drops, no exit status
    if (f.slowMs > 0) std::this_thread::sleep_for(std::chrono::milliseconds(f.slowMs));
    return RunVcsRootExec(*a, execCommand, 0, 1, 2);
  }
  if (!execCommand.empty()) {
    // The admin account's xACLI is an interactive shell only (ASSUMED wording).
    std::fprintf(stderr,
                 "pkiform-sim: exec requests are not supported: this account offers only the interactive "
                 "command shell\n");
    return 1;
  }
  return RunVcsAdminShell(*a, 0, 1);
}

}  // namespace pkiform::sim
