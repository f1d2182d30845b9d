#include "tests/support/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

extern char** environ;

namespace pkiform::testing {
namespace {

using Clock = std::chrono::steady_clock;

// argv and envp prepared before fork(): the child only calls async-signal-safe functions.
struct ExecArgs {
  std::vector<std::string> strings;
  std::vector<char*> argv;
  std::vector<std::string> envStrings;
  std::vector<char*> envp;

  ExecArgs(const std::vector<std::string>& args, const std::vector<std::string>& extraEnv) : strings(args) {
    for (auto& s : strings) argv.push_back(s.data());
    argv.push_back(nullptr);
    for (char** e = environ; e && *e; ++e) {
      std::string entry = *e;
      bool overridden = false;
      for (const auto& x : extraEnv) {
        if (entry.compare(0, x.find('=') + 1, x, 0, x.find('=') + 1) == 0) overridden = true;
      }
      if (!overridden) envStrings.push_back(entry);
    }
    for (const auto& x : extraEnv) envStrings.push_back(x);
    for (auto& s : envStrings) envp.push_back(s.data());
    envp.push_back(nullptr);
  }
};

int DecodeWaitStatus(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : -1; }

}  // namespace

Result<ProcessResult> RunProcess(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                                 const std::vector<std::string>& extraEnv) {
  if (argv.empty()) return Status::InvalidInput("RunProcess: empty argv");
  ExecArgs args(argv, extraEnv);
  int pipeFds[2];
  if (pipe2(pipeFds, O_CLOEXEC) != 0) return Status::IoError(std::string("pipe: ") + std::strerror(errno));
  int devNull = open("/dev/null", O_RDONLY | O_CLOEXEC);
  pid_t pid = fork();
  if (pid < 0) {
    close(pipeFds[0]);
    close(pipeFds[1]);
    if (devNull >= 0) close(devNull);
    return Status::IoError(std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    if (devNull >= 0) dup2(devNull, 0);
    dup2(pipeFds[1], 1);
    dup2(pipeFds[1], 2);
    execvpe(args.argv[0], args.argv.data(), args.envp.data());
    _exit(127);
  }
  close(pipeFds[1]);
  if (devNull >= 0) close(devNull);

  ProcessResult result;
  auto end = Clock::now() + timeout;
  bool timedOut = false;
  char buf[4096];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now()).count();
    if (left <= 0) {
      timedOut = true;
      break;
    }
    pollfd pfd{pipeFds[0], POLLIN, 0};
    int rc = poll(&pfd, 1, static_cast<int>(left));
    if (rc < 0 && errno == EINTR) continue;
    if (rc <= 0) continue;
    ssize_t n = read(pipeFds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    result.output.append(buf, static_cast<size_t>(n));
  }
  close(pipeFds[0]);
  if (timedOut) kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timedOut) {
    return Status::IoError(argv[0] + " timed out after " + std::to_string(timeout.count()) + " ms; output: " +
                           result.output);
  }
  result.exitCode = DecodeWaitStatus(status);
  if (result.exitCode == 127 && result.output.empty()) return Status::NotFound("cannot execute " + argv[0]);
  return result;
}

Result<std::unique_ptr<ChildProcess>> ChildProcess::Spawn(const std::vector<std::string>& argv,
                                                          const std::string& logPath,
                                                          const std::vector<std::string>& extraEnv) {
  if (argv.empty()) return Status::InvalidInput("ChildProcess: empty argv");
  ExecArgs args(argv, extraEnv);
  int log = open(logPath.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) return Status::IoError("cannot open " + logPath + ": " + std::strerror(errno));
  int devNull = open("/dev/null", O_RDONLY | O_CLOEXEC);
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    close(log);
    if (devNull >= 0) close(devNull);
    return Status::IoError(std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(1);
    setpgid(0, 0);
    if (devNull >= 0) dup2(devNull, 0);
    dup2(log, 1);
    dup2(log, 2);
    execvpe(args.argv[0], args.argv.data(), args.envp.data());
    _exit(127);
  }
  close(log);
  if (devNull >= 0) close(devNull);
  return std::unique_ptr<ChildProcess>(new ChildProcess(pid));
}

bool ChildProcess::HasExited() {
  if (reaped_) return true;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) reaped_ = true;
  return reaped_;
}

void ChildProcess::Stop(std::chrono::milliseconds grace) {
  if (HasExited()) return;
  kill(pid_, SIGTERM);
  auto end = Clock::now() + grace;
  while (Clock::now() < end) {
    if (HasExited()) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  kill(pid_, SIGKILL);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
}

ChildProcess::~ChildProcess() { Stop(); }

}  // namespace pkiform::testing
