// A connection that names no authentication method uses OpenSSH's defaults:
// the agent, then ~/.ssh/id_ed25519, id_ecdsa, id_rsa (issue 7). A real sshd,
// a real ssh-agent and keys made by ssh-keygen.
#include <unistd.h>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>

#include "providers/ssh/auth.h"
#include "providers/ssh/session.h"
#include "tests/providers/ssh/ssh_fixture.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

using namespace pkiform;
using namespace pkiform::ssh;
using pkiform::testing::SharedSshd;

namespace {

// Sets (or unsets, with nullopt) an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) ::setenv(name, value->c_str(), 1);
    else ::unsetenv(name);
  }
  ~ScopedEnv() {
    if (old_) ::setenv(name_, old_->c_str(), 1);
    else ::unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// A HOME with .ssh/ in it.
struct FakeHome {
  testing::TempDir dir;
  std::string ssh() const { return dir.path().string() + "/.ssh"; }
  FakeHome() { std::filesystem::create_directories(ssh()); }
};

void CopyKey(const std::string& from, const std::string& to) {
  std::filesystem::copy_file(from, to, std::filesystem::copy_options::overwrite_existing);
  std::filesystem::permissions(to, std::filesystem::perms(0600));
}

SshTarget NoMethod(const testing::SshdHarness& sshd) {
  auto target = sshd.Target();
  target.identityFile.clear();
  REQUIRE(UsesDefaultAuthentication(target));
  return target;
}

}  // namespace

TEST_CASE("with no method named, the default identity file is used", "[ssh][auth]") {
  auto& sshd = SharedSshd();
  FakeHome home;
  SECTION("id_ed25519") { CopyKey(sshd.clientKeyPath(), home.ssh() + "/id_ed25519"); }
  SECTION("id_rsa after an unusable id_ed25519 and a missing id_ecdsa") {
    REQUIRE(testing::SshdHarness::GenerateKey(home.ssh() + "/id_ed25519", "ed25519", "a-passphrase").ok());
    REQUIRE(testing::SshdHarness::GenerateKey(home.ssh() + "/id_rsa", "rsa").ok());
    std::ifstream pub(home.ssh() + "/id_rsa.pub");
    std::string line;
    std::getline(pub, line);
    REQUIRE(sshd.AuthorizeKey(line).ok());
  }
  ScopedEnv homeEnv("HOME", home.dir.path().string());
  ScopedEnv agentEnv("SSH_AUTH_SOCK", std::nullopt);
  auto session = testing::ConnectOrFail(NoMethod(sshd));
  CHECK(session->Exec("true").ok());
}

TEST_CASE("with no method named, the agent comes first", "[ssh][auth]") {
  auto& sshd = SharedSshd();
  FakeHome home;  // no key files at all
  const std::string socketPath = home.dir.path().string() + "/agent.sock";
  auto agent = testing::ChildProcess::Spawn({"ssh-agent", "-D", "-a", socketPath}, home.dir.path().string() + "/agent.log");
  REQUIRE(agent.ok());
  for (int i = 0; i < 400 && ::access(socketPath.c_str(), F_OK) != 0; ++i) ::usleep(5000);
  auto added = testing::RunProcess({"ssh-add", sshd.clientKeyPath()}, std::chrono::seconds(10),
                                   {"SSH_AUTH_SOCK=" + socketPath});
  REQUIRE(added.ok());
  REQUIRE(added->exitCode == 0);
  ScopedEnv homeEnv("HOME", home.dir.path().string());
  ScopedEnv agentEnv("SSH_AUTH_SOCK", socketPath);
  auto session = testing::ConnectOrFail(NoMethod(sshd));
  CHECK(session->Exec("true").ok());
}

TEST_CASE("when every default fails, the error names each method and why", "[ssh][auth]") {
  auto& sshd = SharedSshd();
  FakeHome home;
  REQUIRE(testing::SshdHarness::GenerateKey(home.ssh() + "/id_ecdsa", "ecdsa", "secret-phrase").ok());
  REQUIRE(testing::SshdHarness::GenerateKey(home.ssh() + "/id_rsa", "rsa").ok());  // not authorised
  ScopedEnv homeEnv("HOME", home.dir.path().string());
  ScopedEnv agentEnv("SSH_AUTH_SOCK", std::nullopt);
  auto r = SshSession::Connect(NoMethod(sshd));
  REQUIRE_FALSE(r.ok());
  const std::string& m = r.status().message();
  INFO(m);
  const std::string dir = home.ssh();
  CHECK(m.find("ssh-agent (SSH_AUTH_SOCK is not set)") != std::string::npos);
  CHECK(m.find("publickey with " + dir + "/id_ed25519 (no such file)") != std::string::npos);
  CHECK(m.find("publickey with " + dir + "/id_ecdsa (encrypted") != std::string::npos);
  CHECK(m.find("publickey with " + dir + "/id_rsa (refused)") != std::string::npos);
  CHECK(m.find("secret-phrase") == std::string::npos);
}

TEST_CASE("an explicit identity file narrows the methods: the defaults are not tried", "[ssh][auth]") {
  auto& sshd = SharedSshd();
  FakeHome home;
  CopyKey(sshd.clientKeyPath(), home.ssh() + "/id_ed25519");  // would work, but is not named
  REQUIRE(testing::SshdHarness::GenerateKey(home.dir.path().string() + "/other_key").ok());
  ScopedEnv homeEnv("HOME", home.dir.path().string());
  ScopedEnv agentEnv("SSH_AUTH_SOCK", std::nullopt);
  auto target = sshd.Target();
  target.identityFile = home.dir.path().string() + "/other_key";
  auto r = SshSession::Connect(target);
  REQUIRE_FALSE(r.ok());
  INFO(r.status().message());
  CHECK(r.status().message().find("other_key (refused)") != std::string::npos);
  CHECK(r.status().message().find("id_ed25519") == std::string::npos);
}
