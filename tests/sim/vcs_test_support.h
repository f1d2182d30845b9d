// Helpers of the vcs simulator's tests (vcs_*_test.cc): making a peer with `pkiform-sim
// init --platform vcs` on 127.0.100.x, its admin shell and root execs over pipes (the login
// chosen through USER, the exec through SSH_ORIGINAL_COMMAND, as sshd sets them), staging
// files as the provider does, and a session held open to watch a restart drop it.
#pragma once
#include <sys/wait.h>

#include <catch2/catch.hpp>

#include "tests/sim/sim_test_support.h"

namespace pkiform::simtest {

inline const std::string kVcsRoot = "pkiform-vcsroot";  // never the machine's real root
inline const std::string kAdminEnv = "USER=admin";
inline const std::string kRootEnv = "USER=" + kVcsRoot;

struct VcsPeerSpec {
  std::string fqdn = "vcs1.example.com";
  std::string address = "127.0.100.1";
  std::string clusterFqdn = "vcs.example.com";
  int restartMs = 0;
};

struct VcsPeer {
  fs::path dir;
  VcsPeerSpec spec;
  int httpsPort = 0, sipPort = 0, mraPort = 0;

  VcsPeer(const fs::path& where, VcsPeerSpec s) : dir(where), spec(std::move(s)) {
    httpsPort = FreePort(spec.address);
    sipPort = FreePort(spec.address);
    mraPort = FreePort(spec.address);
    std::vector<std::string> argv{kSim,
                                  "init",
                                  "--platform",
                                  "vcs",
                                  "--dir",
                                  dir.string(),
                                  "--fqdn",
                                  spec.fqdn,
                                  "--address",
                                  spec.address,
                                  "--root-user",
                                  kVcsRoot,
                                  "--restart-ms",
                                  std::to_string(spec.restartMs),
                                  "--https-port",
                                  std::to_string(httpsPort),
                                  "--sip-tls-port",
                                  std::to_string(sipPort),
                                  "--mra-port",
                                  std::to_string(mraPort)};
    if (!spec.clusterFqdn.empty()) argv.insert(argv.end(), {"--cluster-fqdn", spec.clusterFqdn});
    auto r = testing::RunProcess(argv);
    REQUIRE(r.ok());
    INFO(r->output);
    REQUIRE(r->exitCode == 0);
  }

  // The admin shell with `input` (then EOF).
  ShellRun Admin(const std::string& input) const { return RunShell(dir, input, {kAdminEnv}); }
  // One root exec; `input` is its stdin.
  ShellRun Root(const std::string& command, const std::string& input = "") const {
    return RunShell(dir, input, {kRootEnv, "SSH_ORIGINAL_COMMAND=" + command});
  }
  // Stages `bytes` as /tmp/pkiform/<name>, as the provider does.
  void Stage(const std::string& name, const std::string& bytes) const {
    REQUIRE(Root("mkdir -p /tmp/pkiform").exitCode == 0);
    auto r = Root("cat > /tmp/pkiform/" + name, bytes);
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
  }
  // One admin command's answer (the banner stripped).
  std::string Command(const std::string& line) const {
    auto run = Admin(line + "\nbye\n");
    auto at = run.out.find("\r\n\r\n");
    return at == std::string::npos ? run.out : run.out.substr(at + 4);
  }
  // The file under /tandberg/persistent/certs/ (tail of one file prints no header).
  std::optional<std::string> File(const std::string& name) const {
    auto r = Root("tail -n +1 /tandberg/persistent/certs/" + name);
    if (r.exitCode != 0) return std::nullopt;
    return r.out;
  }
  // A new CSR (none may be pending) and its PEM.
  std::string Csr(const std::string& altNames, const std::string& cn = "") const {
    auto answer = Command("xCommand Certificates CSR Generate CommonName: \"" + (cn.empty() ? spec.fqdn : cn) +
                          "\" AlternativeNames: \"" + altNames +
                          "\" Organization: \"Example\" OrganizationalUnit: \"Video\" Locality: \"Oslo\" "
                          "State: \"Oslo\" Country: \"NO\" KeyLength: 2048");
    INFO(answer);
    REQUIRE(Has(answer, "*r CertificatesCSRGenerateResult (status=OK):\r\n"));
    auto pem = File("generated_csr/csr.pem");
    REQUIRE(pem);
    return *pem;
  }
};

// A session held open (its stdin stays open until the child ends): for watching a restart
// drop it. `env` as for RunShell.
class HeldSession {
 public:
  HeldSession(const fs::path& dir, const std::vector<std::string>& env, const std::string& firstInput) {
    int in[2], out[2];
    REQUIRE(pipe2(in, O_CLOEXEC) == 0);
    REQUIRE(pipe2(out, O_CLOEXEC) == 0);
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      dup2(in[0], 0);
      dup2(out[1], 1);
      unsetenv("SSH_ORIGINAL_COMMAND");
      for (const auto& e : env) putenv(const_cast<char*>(e.c_str()));
      execl(kSim.c_str(), kSim.c_str(), "shell", "--dir", dir.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    close(in[0]);
    close(out[1]);
    stdin_ = in[1];
    stdout_ = out[0];
    signal(SIGPIPE, SIG_IGN);
    if (!firstInput.empty()) REQUIRE(write(stdin_, firstInput.data(), firstInput.size()) > 0);
  }
  ~HeldSession() {
    if (!ended_) kill(pid_, SIGKILL);
    if (!ended_) waitpid(pid_, nullptr, 0);
    close(stdin_);
    close(stdout_);
  }
  // Whether the child has ended within `timeout`.
  bool EndsWithin(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!ended_ && std::chrono::steady_clock::now() < deadline) {
      ended_ = waitpid(pid_, nullptr, WNOHANG) == pid_;
      if (!ended_) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return ended_;
  }

 private:
  pid_t pid_ = -1;
  int stdin_ = -1, stdout_ = -1;
  bool ended_ = false;
};

}  // namespace pkiform::simtest
