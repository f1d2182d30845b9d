#include "providers/ssh/known_hosts.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "providers/ssh/session.h"
#include "tests/providers/ssh/ssh_fixture.h"

using namespace pkiform;
using namespace pkiform::ssh;
using pkiform::testing::ConnectOrFail;
using pkiform::testing::SharedSshd;

namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// "SHA256:..." of the harness's host key, as ssh-keygen computes it.
std::string HostKeyFingerprint(const testing::SshdHarness& sshd) {
  auto r = testing::RunProcess({"ssh-keygen", "-l", "-E", "sha256", "-f", sshd.tempDir() + "/ssh_host_ed25519_key.pub"});
  REQUIRE(r.ok());
  std::istringstream fields(r->output);
  std::string bits, fingerprint;
  fields >> bits >> fingerprint;
  REQUIRE(fingerprint.rfind("SHA256:", 0) == 0);
  return fingerprint;
}

std::string FreshPath(const testing::SshdHarness& sshd, const std::string& name) {
  std::string path = sshd.tempDir() + "/" + name;
  std::filesystem::remove(path);
  return path;
}

}  // namespace

TEST_CASE("an unknown host key is refused with its fingerprint and the fix", "[ssh]") {
  auto& sshd = SharedSshd();
  auto target = sshd.Target();
  SECTION("known_hosts does not exist") { target.knownHostsFile = FreshPath(sshd, "absent_known_hosts"); }
  SECTION("known_hosts is empty") {
    target.knownHostsFile = FreshPath(sshd, "empty_known_hosts");
    std::ofstream(target.knownHostsFile).flush();
  }
  SECTION("known_hosts only knows other hosts") {
    target.knownHostsFile = FreshPath(sshd, "other_known_hosts");
    REQUIRE(sshd.WriteKnownHosts(target.knownHostsFile, {"127.0.0.2", "other.example.com"}).ok());
  }
  const std::string before = Slurp(target.knownHostsFile);
  const bool existed = std::filesystem::exists(target.knownHostsFile);

  auto r = SshSession::Connect(target);
  REQUIRE_FALSE(r.ok());
  const std::string& m = r.status().message();
  INFO(m);
  CHECK(m.find("[127.0.0.1]:" + std::to_string(sshd.port())) != std::string::npos);
  CHECK(m.find("not in known_hosts") != std::string::npos);
  CHECK(m.find(HostKeyFingerprint(sshd)) != std::string::npos);
  CHECK(m.find("ssh-ed25519") != std::string::npos);
  CHECK(m.find("--accept-new-host-keys") != std::string::npos);
  CHECK(m.find(target.knownHostsFile) != std::string::npos);
  // Nothing recorded.
  CHECK(std::filesystem::exists(target.knownHostsFile) == existed);
  CHECK(Slurp(target.knownHostsFile) == before);
}

TEST_CASE("with acceptNewHostKeys an unknown key is recorded, then known", "[ssh]") {
  auto& sshd = SharedSshd();
  auto target = sshd.Target();
  target.knownHostsFile = FreshPath(sshd, "accept_known_hosts");
  {
    std::ofstream out(target.knownHostsFile);
    out << "# kept\nother.example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeFakeFakeFakeFakeFakeFakeFakeFakeFakeFake";
  }  // no trailing newline: the new entry must still start on its own line
  ::chmod(target.knownHostsFile.c_str(), 0600);
  target.acceptNewHostKeys = true;
  {
    auto session = ConnectOrFail(target);
    REQUIRE(session->Exec("true").ok());
  }
  const std::string content = Slurp(target.knownHostsFile);
  INFO(content);
  CHECK(content.rfind("# kept\nother.example.com ssh-ed25519 AAAA", 0) == 0);
  CHECK(content.find("FakeFake\n[127.0.0.1]:" + std::to_string(sshd.port()) + " " + sshd.hostPublicKey() + "\n") !=
        std::string::npos);
  struct stat st{};
  REQUIRE(::stat(target.knownHostsFile.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0644);
  // No temporary file left next to it.
  for (auto& e : std::filesystem::directory_iterator(sshd.tempDir())) {
    CHECK(e.path().filename().string().find("pkiform-tmp") == std::string::npos);
  }

  // Known now: a second connection works without accepting, and records nothing more.
  target.acceptNewHostKeys = false;
  auto again = ConnectOrFail(target);
  CHECK(again->Exec("true").ok());
  CHECK(Slurp(target.knownHostsFile) == content);
}

TEST_CASE("a known_hosts file that does not exist is created on accept", "[ssh]") {
  auto& sshd = SharedSshd();
  auto target = sshd.Target();
  target.knownHostsFile = FreshPath(sshd, "created_known_hosts");
  target.hostKeyAlias = "appliance1.example.com";
  target.acceptNewHostKeys = true;
  ConnectOrFail(target);
  // Recorded under the FQDN and the address, as OpenSSH's CheckHostIP would.
  const std::string port = std::to_string(sshd.port());
  CHECK(Slurp(target.knownHostsFile) ==
        "[appliance1.example.com]:" + port + ",[127.0.0.1]:" + port + " " + sshd.hostPublicKey() + "\n");
}

TEST_CASE("a changed host key is refused even with acceptNewHostKeys", "[ssh]") {
  auto& sshd = SharedSshd();
  auto target = sshd.Target();
  target.knownHostsFile = FreshPath(sshd, "changed_known_hosts");
  auto otherKey = testing::SshdHarness::GenerateKey(sshd.tempDir() + "/impostor_key");
  REQUIRE(otherKey.ok());
  std::istringstream fields(*otherKey);
  std::string type, blob;
  fields >> type >> blob;
  {
    std::ofstream out(target.knownHostsFile);
    out << "[127.0.0.1]:" << sshd.port() << " " << type << " " << blob << "\n";
  }
  const std::string before = Slurp(target.knownHostsFile);
  for (bool accept : {false, true}) {
    target.acceptNewHostKeys = accept;
    auto r = SshSession::Connect(target);
    REQUIRE_FALSE(r.ok());
    const std::string& m = r.status().message();
    INFO(m);
    CHECK(m.find("has changed") != std::string::npos);
    CHECK(m.find("possible man-in-the-middle") != std::string::npos);
    CHECK(m.find(HostKeyFingerprint(sshd)) != std::string::npos);
    CHECK(Slurp(target.knownHostsFile) == before);
  }
}

TEST_CASE("a recorded key of another type is refused", "[ssh]") {
  auto& sshd = SharedSshd();
  auto target = sshd.Target();
  target.knownHostsFile = FreshPath(sshd, "othertype_known_hosts");
  auto ecdsa = testing::SshdHarness::GenerateKey(sshd.tempDir() + "/ecdsa_key", "ecdsa");
  REQUIRE(ecdsa.ok());
  std::istringstream fields(*ecdsa);
  std::string type, blob;
  fields >> type >> blob;
  {
    std::ofstream out(target.knownHostsFile);
    out << "[127.0.0.1]:" << sshd.port() << " " << type << " " << blob << "\n";
  }
  target.acceptNewHostKeys = true;
  auto r = SshSession::Connect(target);
  REQUIRE_FALSE(r.ok());
  INFO(r.status().message());
  CHECK(r.status().message().find("possible man-in-the-middle") != std::string::npos);
  CHECK(Slurp(target.knownHostsFile).find("ssh-ed25519") == std::string::npos);
}

TEST_CASE("a key recorded under the alias is found; without an alias only the address counts", "[ssh]") {
  auto& sshd = SharedSshd();
  auto target = sshd.Target();
  target.knownHostsFile = FreshPath(sshd, "alias_known_hosts");
  REQUIRE(sshd.WriteKnownHosts(target.knownHostsFile, {"ucm-pub.example.com"}).ok());

  auto byAddress = SshSession::Connect(target);
  REQUIRE_FALSE(byAddress.ok());
  CHECK(byAddress.status().message().find("not in known_hosts") != std::string::npos);

  target.hostKeyAlias = "ucm-pub.example.com";
  auto byAlias = ConnectOrFail(target);
  CHECK(byAlias->peer() == "ucm-pub.example.com (127.0.0.1:" + std::to_string(sshd.port()) + ")");
}

TEST_CASE("parallel sessions accepting one host's key record it once", "[ssh]") {
  // Six peers behind one address: the first to record the key records it under
  // the address too; the others, re-reading the file under the lock, find it.
  auto& sshd = SharedSshd();
  const std::string path = FreshPath(sshd, "parallel_known_hosts");
  constexpr int kPeers = 6;
  std::vector<std::thread> threads;
  std::vector<std::string> errors(kPeers);
  for (int i = 0; i < kPeers; ++i) {
    threads.emplace_back([&, i] {
      auto target = sshd.Target();
      target.knownHostsFile = path;
      target.hostKeyAlias = "peer" + std::to_string(i) + ".example.com";
      target.acceptNewHostKeys = true;
      auto s = SshSession::Connect(target);
      if (!s.ok()) errors[static_cast<size_t>(i)] = s.status().ToString();
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& e : errors) CHECK(e.empty());
  const std::string content = Slurp(path);
  CHECK(std::count(content.begin(), content.end(), '\n') == 1);
  CHECK(content.find(",[127.0.0.1]:" + std::to_string(sshd.port()) + " " + sshd.hostPublicKey()) != std::string::npos);
  for (int i = 0; i < kPeers; ++i) {
    auto target = sshd.Target();
    target.knownHostsFile = path;
    target.hostKeyAlias = "peer" + std::to_string(i) + ".example.com";
    ConnectOrFail(target);
  }
}

TEST_CASE("concurrent known_hosts appends are serialised", "[ssh]") {
  auto& sshd = SharedSshd();
  const std::string path = FreshPath(sshd, "append_known_hosts");
  constexpr int kThreads = 8, kLines = 40;
  std::vector<std::thread> threads;
  std::vector<int> failures(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kLines; ++i) {
        std::string line = "host" + std::to_string(t) + "-" + std::to_string(i) + ".example.com " + sshd.hostPublicKey();
        if (!AppendKnownHostsLine(path, line).ok()) ++failures[static_cast<size_t>(t)];
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(std::count(failures.begin(), failures.end(), 0) == kThreads);
  const std::string content = Slurp(path);
  CHECK(std::count(content.begin(), content.end(), '\n') == kThreads * kLines);
}

TEST_CASE("only the given known_hosts file is consulted", "[ssh]") {
  auto& sshd = SharedSshd();
  auto session = ConnectOrFail(sshd.Target());
  auto option = [&](enum ssh_options_e which) {
    char* value = nullptr;
    REQUIRE(ssh_options_get(session->raw(), which, &value) == SSH_OK);
    std::string s = value;
    ssh_string_free_char(value);
    return s;
  };
  // pkiform reads the target's file itself; libssh is given none, so neither
  // ~/.ssh/known_hosts nor /etc/ssh/ssh_known_hosts is ever consulted.
  CHECK(option(SSH_OPTIONS_KNOWNHOSTS) == "/dev/null");
  CHECK(option(SSH_OPTIONS_GLOBAL_KNOWNHOSTS) == "/dev/null");
}
