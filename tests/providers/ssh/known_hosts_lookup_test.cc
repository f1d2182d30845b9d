// Host keys recorded the ordinary ways (ssh-keyscan by address, hashed entries,
// wildcards) against a real sshd, and the refusals that must stay (issue 7).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "providers/ssh/known_hosts.h"
#include "providers/ssh/session.h"
#include "tests/providers/ssh/ssh_fixture.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

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

void Write(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

// What `ssh-keyscan [-H] -p PORT 127.0.0.1` prints: OpenSSH's own idea of the entry.
std::string KeyScan(const testing::SshdHarness& sshd, bool hashed) {
  std::vector<std::string> argv = {"ssh-keyscan", "-t", "ed25519", "-p", std::to_string(sshd.port())};
  if (hashed) argv.push_back("-H");
  argv.push_back("127.0.0.1");
  auto r = testing::RunProcess(argv);
  REQUIRE(r.ok());
  REQUIRE(r->exitCode == 0);
  std::string lines;
  std::istringstream in(r->output);
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#') lines += line + "\n";
  REQUIRE_FALSE(lines.empty());
  return lines;
}

// A fresh ed25519 public key that the sshd does not have: "ssh-ed25519 AAAA...".
std::string OtherKey(const testing::SshdHarness& sshd, const std::string& name) {
  std::filesystem::remove(sshd.tempDir() + "/" + name);
  std::filesystem::remove(sshd.tempDir() + "/" + name + ".pub");
  auto key = testing::SshdHarness::GenerateKey(sshd.tempDir() + "/" + name);
  REQUIRE(key.ok());
  std::istringstream fields(*key);
  std::string type, blob;
  fields >> type >> blob;
  return type + " " + blob;
}

SshTarget TargetWith(const testing::SshdHarness& sshd, const std::string& file, const std::string& known) {
  auto target = sshd.Target();
  target.knownHostsFile = sshd.tempDir() + "/" + file;
  target.hostKeyAlias = "web2.example.test";
  Write(target.knownHostsFile, known);
  return target;
}

}  // namespace

TEST_CASE("a key that ssh-keyscan recorded by address is accepted for a peer with an FQDN", "[ssh][known_hosts]") {
  auto& sshd = SharedSshd();
  auto target = TargetWith(sshd, "keyscan_known_hosts", KeyScan(sshd, false));
  auto session = ConnectOrFail(target);
  CHECK(session->Exec("true").ok());
}

TEST_CASE("hashed known_hosts entries are accepted, by address and by FQDN", "[ssh][known_hosts]") {
  auto& sshd = SharedSshd();
  SECTION("ssh-keyscan -H by address") {
    auto target = TargetWith(sshd, "hashed_known_hosts", KeyScan(sshd, true));
    REQUIRE(Slurp(target.knownHostsFile).rfind("|1|", 0) == 0);
    ConnectOrFail(target);
  }
  SECTION("ssh-keygen -H over an FQDN entry") {
    const std::string path = sshd.tempDir() + "/hashed_fqdn_known_hosts";
    REQUIRE(sshd.WriteKnownHosts(path, {"web2.example.test"}).ok());
    auto r = testing::RunProcess({"ssh-keygen", "-H", "-f", path});
    REQUIRE(r.ok());
    REQUIRE(r->exitCode == 0);
    std::filesystem::remove(path + ".old");
    auto target = sshd.Target();
    target.knownHostsFile = path;
    target.hostKeyAlias = "web2.example.test";
    REQUIRE(Slurp(path).find("web2") == std::string::npos);
    ConnectOrFail(target);
  }
}

TEST_CASE("wildcard and negated patterns match as in OpenSSH", "[ssh][known_hosts]") {
  auto& sshd = SharedSshd();
  const std::string port = std::to_string(sshd.port());
  auto wildcard = TargetWith(sshd, "wild_known_hosts", "[*.example.test]:" + port + " " + sshd.hostPublicKey() + "\n");
  ConnectOrFail(wildcard);
  auto negated = TargetWith(sshd, "negated_known_hosts",
                            "[*.example.test]:" + port + ",![web2.example.test]:" + port + " " + sshd.hostPublicKey() +
                                "\n");
  auto refused = SshSession::Connect(negated);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().message().find("not in known_hosts") != std::string::npos);
}

TEST_CASE("a different key under either name is a changed key, even when the other name knows the key",
          "[ssh][known_hosts]") {
  auto& sshd = SharedSshd();
  const std::string port = std::to_string(sshd.port());
  const std::string impostor = OtherKey(sshd, "impostor_for_lookup");
  SECTION("the FQDN holds another key, the address the right one") {
    auto target = TargetWith(sshd, "conflict1_known_hosts",
                             "[127.0.0.1]:" + port + " " + sshd.hostPublicKey() + "\n" + "[web2.example.test]:" +
                                 port + " " + impostor + "\n");
    for (bool accept : {false, true}) {
      target.acceptNewHostKeys = accept;
      auto r = SshSession::Connect(target);
      REQUIRE_FALSE(r.ok());
      INFO(r.status().message());
      CHECK(r.status().message().find("has changed") != std::string::npos);
      CHECK(r.status().message().find(target.knownHostsFile + ":2") != std::string::npos);
    }
  }
  SECTION("the address holds another key (hashed), the FQDN nothing") {
    const std::string scanned = KeyScan(sshd, true);
    const std::string hashedName = scanned.substr(0, scanned.find(' '));
    auto target = TargetWith(sshd, "conflict2_known_hosts", hashedName + " " + impostor + "\n");
    target.acceptNewHostKeys = true;
    auto r = SshSession::Connect(target);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().message().find("has changed") != std::string::npos);
    CHECK(Slurp(target.knownHostsFile) == hashedName + " " + impostor + "\n");
  }
}

TEST_CASE("a @revoked host key is refused even when it is also recorded", "[ssh][known_hosts]") {
  auto& sshd = SharedSshd();
  const std::string port = std::to_string(sshd.port());
  auto target = TargetWith(sshd, "revoked_known_hosts",
                           "[127.0.0.1]:" + port + " " + sshd.hostPublicKey() + "\n@revoked * " +
                               sshd.hostPublicKey() + "\n");
  target.acceptNewHostKeys = true;
  auto r = SshSession::Connect(target);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message().find("revoked") != std::string::npos);
}

TEST_CASE("accepting a new key in a hashed file records hashed entries OpenSSH finds", "[ssh][known_hosts]") {
  auto& sshd = SharedSshd();
  // A hashed file that knows some other host only.
  const std::string other = OtherKey(sshd, "other_host_key");
  auto target = TargetWith(sshd, "accept_hashed_known_hosts", "other.example.test " + other + "\n");
  auto hash = testing::RunProcess({"ssh-keygen", "-H", "-f", target.knownHostsFile});
  REQUIRE(hash.ok());
  std::filesystem::remove(target.knownHostsFile + ".old");
  target.acceptNewHostKeys = true;
  ConnectOrFail(target);
  const std::string content = Slurp(target.knownHostsFile);
  CHECK(content.find("web2") == std::string::npos);
  CHECK(content.find("127.0.0.1") == std::string::npos);
  // OpenSSH's own lookup finds the key under both names.
  for (const std::string& name : std::vector<std::string>{"[web2.example.test]:" + std::to_string(sshd.port()),
                                 "[127.0.0.1]:" + std::to_string(sshd.port())}) {
    auto found = testing::RunProcess({"ssh-keygen", "-F", name, "-f", target.knownHostsFile});
    REQUIRE(found.ok());
    INFO(name << "\n" << content);
    CHECK(found->exitCode == 0);
    CHECK(found->output.find(sshd.hostPublicKey().substr(12, 40)) != std::string::npos);
  }
  target.acceptNewHostKeys = false;
  ConnectOrFail(target);
}

TEST_CASE("key exchange prefers the key types known_hosts records for the host", "[ssh][known_hosts]") {
  CHECK(HostKeyAlgorithms({}, false) ==
        "ssh-ed25519,ecdsa-sha2-nistp521,ecdsa-sha2-nistp384,ecdsa-sha2-nistp256,rsa-sha2-512,rsa-sha2-256");
  CHECK(HostKeyAlgorithms({"ssh-rsa"}, false) ==
        "rsa-sha2-512,rsa-sha2-256,ssh-ed25519,ecdsa-sha2-nistp521,ecdsa-sha2-nistp384,ecdsa-sha2-nistp256");
  CHECK(HostKeyAlgorithms({"ecdsa-sha2-nistp256", "ssh-rsa"}, true) ==
        "ecdsa-sha2-nistp256,rsa-sha2-512,rsa-sha2-256,ssh-rsa,ssh-ed25519,ecdsa-sha2-nistp521,ecdsa-sha2-nistp384");
}

TEST_CASE("a host with an RSA key recorded is not asked for its Ed25519 key", "[ssh][known_hosts]") {
  // A real sshd with an Ed25519 and an RSA host key, of which known_hosts holds
  // only the RSA one (what a scan with -t rsa records): libssh's default order
  // would negotiate Ed25519 and the key would look changed.
  testing::TempDir dir;
  auto rsa = testing::SshdHarness::GenerateKey(dir.path().string() + "/ssh_host_rsa_key", "rsa");
  REQUIRE(rsa.ok());
  testing::SshdOptions options;
  options.extraConfig = {"HostKey " + dir.path().string() + "/ssh_host_rsa_key"};
  auto sshd = testing::StartSshd(options);
  std::istringstream fields(*rsa);
  std::string type, blob;
  fields >> type >> blob;
  auto target = sshd->Target();
  target.knownHostsFile = dir.Write("known_hosts", "[127.0.0.1]:" + std::to_string(sshd->port()) + " " + type + " " +
                                                       blob + "\n");
  auto session = ConnectOrFail(target);
  CHECK(session->Exec("true").ok());
}
