#include "providers/ssh/session.h"

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "providers/ssh/remote_files.h"
#include "providers/ssh/sftp.h"
#include "tests/providers/ssh/file_fixture.h"
#include "tests/providers/ssh/ssh_fixture.h"
#include "tests/support/must.h"

using namespace pkiform;
using namespace pkiform::ssh;
using pkiform::testing::SharedSshd;
using pkiform::testing::ConnectOrFail;

TEST_CASE("exec returns exit status, stdout and stderr", "[ssh]") {
  auto& sshd = SharedSshd();
  auto session = ConnectOrFail(sshd.Target());
  auto r = session->Exec("printf 'to out'; printf 'to err' >&2; exit 3");
  REQUIRE(r.ok());
  CHECK(r->exitStatus == 3);
  CHECK(r->out == "to out");
  CHECK(r->err == "to err");

  auto ok = session->Exec("id -un");
  REQUIRE(ok.ok());
  CHECK(ok->exitStatus == 0);
  CHECK(ok->out == sshd.user() + "\n");
}

TEST_CASE("exec writes stdin then sends EOF", "[ssh]") {
  auto session = ConnectOrFail(SharedSshd().Target());
  auto r = session->Exec("tr a-z A-Z", "hello\nworld\n");
  REQUIRE(r.ok());
  CHECK(r->exitStatus == 0);
  CHECK(r->out == "HELLO\nWORLD\n");

  // A command that exits without reading its input is not an error.
  auto ignores = session->Exec("exit 4", std::string(8 * 1024 * 1024, 'x'));
  REQUIRE(ignores.ok());
  CHECK(ignores->exitStatus == 4);

  // Without input the command still sees EOF instead of waiting forever.
  auto empty = session->Exec("wc -c");
  REQUIRE(empty.ok());
  CHECK(empty->out.find('0') != std::string::npos);
}

TEST_CASE("exec moves megabytes on stdin, stdout and stderr without deadlock", "[ssh]") {
  auto target = SharedSshd().Target();
  target.timeout = std::chrono::seconds(10);
  auto session = ConnectOrFail(target);
  constexpr size_t kMiB = 1024 * 1024;

  // 1 MiB on each output stream, written interleaved by the remote side.
  auto both = session->Exec("i=0; while [ $i -lt 16 ]; do head -c 65536 /dev/zero | tr '\\0' o; "
                            "head -c 65536 /dev/zero | tr '\\0' e >&2; i=$((i+1)); done");
  REQUIRE(both.ok());
  CHECK(both->exitStatus == 0);
  CHECK(both->out.size() == kMiB);
  CHECK(both->err.size() == kMiB);
  CHECK(both->out.find_first_not_of('o') == std::string::npos);
  CHECK(both->err.find_first_not_of('e') == std::string::npos);

  // 3 MiB on stderr before a byte on stdout: more than libssh's receive window
  // (~1.2 MB), so a reader that waits for stdout first would stall the command.
  auto errFirst = session->Exec("head -c 3145728 /dev/zero | tr '\\0' e >&2; echo done");
  REQUIRE(errFirst.ok());
  CHECK(errFirst->out == "done\n");
  CHECK(errFirst->err.size() == 3 * kMiB);

  // 6 MiB through cat: the remote writes output while we are still sending
  // input, more than both sides' windows and pipes can absorb.
  std::string input;
  for (size_t i = 0; input.size() < 6 * kMiB; ++i) input += "line " + std::to_string(i) + "\n";
  auto echoed = session->Exec("cat", input);
  REQUIRE(echoed.ok());
  CHECK(echoed->exitStatus == 0);
  CHECK(echoed->out.size() == input.size());
  CHECK(echoed->out == input);
}

TEST_CASE("a command that outlives the timeout fails naming the host", "[ssh]") {
  auto& sshd = SharedSshd();
  auto target = sshd.Target();
  target.timeout = std::chrono::milliseconds(800);
  auto session = ConnectOrFail(target);
  auto start = std::chrono::steady_clock::now();
  auto r = session->Exec("sleep 5");
  auto elapsed = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(r.ok());
  INFO(r.status().message());
  CHECK(r.status().message().find("127.0.0.1:" + std::to_string(sshd.port())) != std::string::npos);
  CHECK(r.status().message().find("timed out") != std::string::npos);
  CHECK(r.status().message().find("sleep 5") != std::string::npos);
  CHECK(elapsed < std::chrono::milliseconds(2000));

  // The session survives a timed-out command.
  auto next = session->Exec("echo still here");
  REQUIRE(next.ok());
  CHECK(next->out == "still here\n");
}

TEST_CASE("an unreachable port fails fast naming host and port", "[ssh]") {
  auto target = SharedSshd().Target();
  // The harness's port search gives a port nothing listens on.
  auto sock = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(sock >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  REQUIRE(::bind(sock, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::getsockname(sock, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  ::close(sock);
  target.port = ntohs(addr.sin_port);
  auto r = SshSession::Connect(target);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Status::Code::kIoError);
  CHECK(r.status().message().find("127.0.0.1:" + std::to_string(target.port)) != std::string::npos);
  CHECK(r.status().message().find("refused") != std::string::npos);
}

TEST_CASE("a client key the server does not know is refused", "[ssh]") {
  auto& sshd = SharedSshd();
  auto target = sshd.Target();
  target.identityFile = sshd.tempDir() + "/stranger_key";
  REQUIRE(testing::SshdHarness::GenerateKey(target.identityFile).ok());
  auto r = SshSession::Connect(target);
  REQUIRE_FALSE(r.ok());
  INFO(r.status().message());
  CHECK(r.status().message().find("authentication as " + sshd.user()) != std::string::npos);
  CHECK(r.status().message().find("refused") != std::string::npos);
  CHECK(r.status().message().find(target.identityFile) != std::string::npos);
  CHECK(r.status().message().find("127.0.0.1:" + std::to_string(sshd.port())) != std::string::npos);
}

TEST_CASE("connection settings are checked before connecting", "[ssh]") {
  auto target = SharedSshd().Target();
  SECTION("known_hosts is required") {
    target.knownHostsFile.clear();
    auto r = SshSession::Connect(target);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Status::Code::kInvalidInput);
    CHECK(r.status().message().find("known_hosts") != std::string::npos);
  }
  SECTION("a password in the environment and in a file is one too many") {
    target.passwordEnv = "SOME_PASSWORD";
    target.passwordFile = "/some/file";
    auto r = SshSession::Connect(target);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Status::Code::kInvalidInput);
    CHECK(r.status().message().find("not both") != std::string::npos);
  }
  SECTION("a missing identity file is named") {
    target.identityFile = "/nonexistent/key";
    auto r = SshSession::Connect(target);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().message().find("/nonexistent/key") != std::string::npos);
  }
}

TEST_CASE("an encrypted identity file takes its passphrase from the environment only", "[ssh]") {
  auto& sshd = SharedSshd();
  auto target = sshd.Target();
  target.identityFile = sshd.tempDir() + "/encrypted_key";
  auto pub = testing::SshdHarness::GenerateKey(target.identityFile, "ed25519", "correct horse");
  REQUIRE(pub.ok());
  REQUIRE(sshd.AuthorizeKey(*pub).ok());

  auto noPassphrase = SshSession::Connect(target);
  REQUIRE_FALSE(noPassphrase.ok());
  CHECK(noPassphrase.status().message().find("encrypted") != std::string::npos);
  CHECK(noPassphrase.status().message().find("environment variable") != std::string::npos);

  target.identityPassphraseEnv = "PKIFORM_TEST_KEY_PASSPHRASE";
  ::unsetenv("PKIFORM_TEST_KEY_PASSPHRASE");
  auto unset = SshSession::Connect(target);
  REQUIRE_FALSE(unset.ok());
  CHECK(unset.status().message().find("PKIFORM_TEST_KEY_PASSPHRASE") != std::string::npos);

  ::setenv("PKIFORM_TEST_KEY_PASSPHRASE", "wrong staple", 1);
  auto wrong = SshSession::Connect(target);
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.status().message().find("cannot decrypt") != std::string::npos);
  CHECK(wrong.status().message().find("wrong staple") == std::string::npos);

  ::setenv("PKIFORM_TEST_KEY_PASSPHRASE", "correct horse", 1);
  auto right = SshSession::Connect(target);
  ::unsetenv("PKIFORM_TEST_KEY_PASSPHRASE");
  REQUIRE(right.ok());
  auto r = right.value()->Exec("echo in");
  REQUIRE(r.ok());
  CHECK(r->out == "in\n");
}

TEST_CASE("a refused password never appears in the message", "[ssh]") {
  auto& sshd = SharedSshd();  // PasswordAuthentication no
  auto target = sshd.Target();
  target.identityFile.clear();
  SECTION("from the environment") {
    target.passwordEnv = "PKIFORM_TEST_PASSWORD";
    ::unsetenv("PKIFORM_TEST_PASSWORD");
    auto unset = SshSession::Connect(target);
    REQUIRE_FALSE(unset.ok());
    CHECK(unset.status().message().find("PKIFORM_TEST_PASSWORD") != std::string::npos);
    CHECK(unset.status().message().find("not set") != std::string::npos);

    ::setenv("PKIFORM_TEST_PASSWORD", "hunter2-secret", 1);
    auto r = SshSession::Connect(target);
    ::unsetenv("PKIFORM_TEST_PASSWORD");
    REQUIRE_FALSE(r.ok());
    INFO(r.status().message());
    CHECK(r.status().message().find("password") != std::string::npos);
    CHECK(r.status().message().find("hunter2") == std::string::npos);
  }
  SECTION("from a file") {
    target.passwordFile = sshd.tempDir() + "/password";
    {
      FILE* f = std::fopen(target.passwordFile.c_str(), "w");
      REQUIRE(f != nullptr);
      std::fputs("file-secret-42\n", f);
      std::fclose(f);
    }
    auto r = SshSession::Connect(target);
    REQUIRE_FALSE(r.ok());
    INFO(r.status().message());
    CHECK(r.status().message().find("password") != std::string::npos);
    CHECK(r.status().message().find("file-secret-42") == std::string::npos);
  }
}

TEST_CASE("keys from ssh-agent", "[ssh]") {
  auto& sshd = SharedSshd();
  const std::string socketPath = sshd.tempDir() + "/agent.sock";
  auto agent = testing::ChildProcess::Spawn({"ssh-agent", "-D", "-a", socketPath}, sshd.tempDir() + "/agent.log");
  REQUIRE(agent.ok());
  for (int i = 0; i < 400 && ::access(socketPath.c_str(), F_OK) != 0; ++i) ::usleep(5000);
  auto added = testing::RunProcess({"ssh-add", sshd.clientKeyPath()}, std::chrono::seconds(10),
                                   {"SSH_AUTH_SOCK=" + socketPath});
  REQUIRE(added.ok());
  INFO(added->output);
  REQUIRE(added->exitCode == 0);

  auto target = sshd.Target();
  target.identityFile.clear();
  target.useAgent = true;
  const char* saved = std::getenv("SSH_AUTH_SOCK");
  std::string savedValue = saved ? saved : "";
  ::setenv("SSH_AUTH_SOCK", socketPath.c_str(), 1);
  auto session = SshSession::Connect(target);
  ::unsetenv("SSH_AUTH_SOCK");
  auto withoutAgent = SshSession::Connect(target);
  if (saved) ::setenv("SSH_AUTH_SOCK", savedValue.c_str(), 1);

  REQUIRE(session.ok());
  auto r = session.value()->Exec("echo via agent");
  REQUIRE(r.ok());
  CHECK(r->out == "via agent\n");
  REQUIRE_FALSE(withoutAgent.ok());
  CHECK(withoutAgent.status().message().find("SSH_AUTH_SOCK") != std::string::npos);
}

TEST_CASE("legacy algorithms are offered only when asked", "[ssh]") {
  testing::SshdOptions options;
  std::string rsaHostKey;  // for the ssh-rsa section, made before sshd starts
  char dirTemplate[] = "/tmp/pkiform-rsa-host-XXXXXX";
  REQUIRE(::mkdtemp(dirTemplate) != nullptr);
  const std::string keyDir = dirTemplate;
  struct RemoveDir {
    std::string path;
    ~RemoveDir() { std::filesystem::remove_all(path); }
  } removeKeyDir{keyDir};
  SECTION("diffie-hellman-group14-sha1 key exchange") {
    options.extraConfig = {"KexAlgorithms diffie-hellman-group14-sha1"};
  }
  SECTION("ssh-rsa (SHA-1) host key signatures") {
    rsaHostKey = keyDir + "/ssh_host_rsa_key";
    REQUIRE(testing::SshdHarness::GenerateKey(rsaHostKey, "rsa").ok());
    options.extraConfig = {"HostKey " + rsaHostKey, "HostKeyAlgorithms ssh-rsa"};
  }
  auto sshd = testing::StartSshd(options);
  auto target = sshd->Target();
  if (!rsaHostKey.empty()) {
    std::ifstream pub(rsaHostKey + ".pub");
    std::string type, blob;
    pub >> type >> blob;
    std::ofstream(target.knownHostsFile) << "[127.0.0.1]:" << sshd->port() << " " << type << " " << blob << "\n";
  }

  auto modern = SshSession::Connect(target);
  REQUIRE_FALSE(modern.ok());
  INFO(modern.status().message());
  CHECK(modern.status().message().find("handshake failed") != std::string::npos);

  target.legacyAlgorithms = true;
  auto legacy = SshSession::Connect(target);
  if (!legacy.ok()) FAIL(legacy.status().ToString());
  auto r = legacy.value()->Exec("echo legacy");
  REQUIRE(r.ok());
  CHECK(r->out == "legacy\n");
}

TEST_CASE("one sshd on 0.0.0.0 serves every loopback address (fleet layout)", "[ssh]") {
  testing::SshdOptions options;
  options.listenAddress = "0.0.0.0";
  options.knownHostsNames = {"127.0.3.4", "vcs1.emea.example.com"};
  auto started = testing::SshdHarness::StartWithForceCommand("echo \"$SSH_CONNECTION|$SSH_ORIGINAL_COMMAND\"", options);
  if (!started.ok()) FAIL(started.status().ToString());
  auto& sshd = started.value();

  auto byAddress = ConnectOrFail(sshd->Target("127.0.3.4"));
  auto r = byAddress->Exec("status");
  REQUIRE(r.ok());
  CHECK(r->out.find(" 127.0.3.4 " + std::to_string(sshd->port()) + "|status") != std::string::npos);

  // An appliance known by its FQDN, reached at another loopback address.
  auto target = sshd->Target("127.0.9.9");
  target.hostKeyAlias = "vcs1.emea.example.com";
  auto byAlias = ConnectOrFail(target);
  auto r2 = byAlias->Exec("show");
  REQUIRE(r2.ok());
  CHECK(r2->out.find(" 127.0.9.9 " + std::to_string(sshd->port()) + "|show") != std::string::npos);
}

TEST_CASE("sessions release their socket", "[ssh]") {
  auto target = SharedSshd().Target();
  auto countFds = [] {
    int n = 0;
    for ([[maybe_unused]] auto& e : std::filesystem::directory_iterator("/proc/self/fd")) ++n;
    return n;
  };
  { ConnectOrFail(target); }  // warm up libssh's lazily opened files
  int before = countFds();
  for (int i = 0; i < 3; ++i) {
    auto session = ConnectOrFail(target);
    REQUIRE(session->Exec("true").ok());
  }
  auto refused = SshSession::Connect([&] {
    auto t = target;
    t.knownHostsFile = "/nonexistent-dir/known_hosts";
    return t;
  }());
  REQUIRE_FALSE(refused.ok());
  CHECK(countFds() == before);
}

TEST_CASE("a server that never speaks SSH fails the handshake at the deadline", "[ssh]") {
  // A listening socket that nobody accepts on: TCP connects, no banner ever comes.
  int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(listener >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::listen(listener, 4) == 0);
  REQUIRE(::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) == 0);

  auto target = SharedSshd().Target();
  target.port = ntohs(addr.sin_port);
  target.timeout = std::chrono::milliseconds(500);
  auto start = std::chrono::steady_clock::now();
  auto r = SshSession::Connect(target);
  auto elapsed = std::chrono::steady_clock::now() - start;
  ::close(listener);
  REQUIRE_FALSE(r.ok());
  INFO(r.status().message());
  CHECK(r.status().message().find("127.0.0.1:" + std::to_string(target.port)) != std::string::npos);
  CHECK(r.status().message().find("timed out") != std::string::npos);
  CHECK(elapsed >= std::chrono::milliseconds(450));
  CHECK(elapsed < std::chrono::milliseconds(1500));
}

namespace {

// Collects what is logged while it lives (info and above), as -v shows it.
class LogCapture {
 public:
  LogCapture() : previous_(spdlog::default_logger()) {
    auto logger = std::make_shared<spdlog::logger>("capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(out_));
    logger->set_level(spdlog::level::info);
    logger->set_pattern("%v");
    spdlog::set_default_logger(std::move(logger));
  }
  ~LogCapture() { spdlog::set_default_logger(previous_); }
  std::string text() const { return out_.str(); }

 private:
  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> previous_;
};

}  // namespace

TEST_CASE("Files() uses SFTP when the host offers it, exec when it refuses it, once per session", "[ssh][files]") {
  LogCapture log;
  auto withSftp = ConnectOrFail(SharedSshd().Target());
  RemoteFiles* sftpFiles = testing::Must(withSftp->Files());
  CHECK(sftpFiles->transport() == "SFTP");
  CHECK(sftpFiles == testing::Must(withSftp->Sftp()));
  CHECK(log.text().find("no SFTP subsystem") == std::string::npos);

  auto& bare = testing::files::SharedSshdWithoutSftp();
  auto target = bare.Target();
  target.hostKeyAlias = "appliance.example.com";
  target.knownHostsFile = bare.tempDir() + "/known_hosts_appliance";
  REQUIRE(bare.WriteKnownHosts(target.knownHostsFile, {"appliance.example.com"}).ok());
  auto without = ConnectOrFail(target);
  auto refused = without->Sftp();
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == Status::Code::kUnsupported);
  CHECK(refused.status().message().find("refused the SFTP subsystem") != std::string::npos);

  RemoteFiles* execFiles = testing::Must(without->Files());
  CHECK(execFiles->transport() == "exec");
  CHECK(testing::Must(without->Files()) == execFiles);  // decided once
  const std::string announced = "appliance.example.com (127.0.0.1:" + std::to_string(bare.port()) +
                                "): the host has no SFTP subsystem; files are written over exec";
  INFO(log.text());
  CHECK(log.text().find(announced) != std::string::npos);
  CHECK(log.text().find(announced) == log.text().rfind(announced));  // said once
  CHECK(testing::Must(execFiles->Stat("/")).has_value());
}

TEST_CASE("Files() does not fall back to exec when SFTP starts but fails", "[ssh][files]") {
  // The subsystem is granted, but what runs is not an SFTP server.
  auto sshd = testing::StartSshd([] {
    testing::SshdOptions options;
    options.forceCommand = "exit 1";
    return options;
  }());
  auto session = ConnectOrFail(sshd->Target());
  auto files = session->Files();
  REQUIRE_FALSE(files.ok());
  INFO(files.status().message());
  CHECK(files.status().code() == Status::Code::kIoError);
  CHECK(files.status().message().find("SFTP subsystem did not start") != std::string::npos);
}

// Not run by default: ./pkiform_unit_tests "[ssh-bench]"
TEST_CASE("connection cost on loopback", "[.][ssh-bench]") {
  auto target = SharedSshd().Target();
  using Ms = std::chrono::duration<double, std::milli>;
  constexpr int kRounds = 20;
  ConnectOrFail(target);  // warm up
  Ms connectExec{0}, exec{0};
  for (int i = 0; i < kRounds; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    auto session = ConnectOrFail(target);
    REQUIRE(session->Exec("true").ok());
    connectExec += std::chrono::steady_clock::now() - t0;
  }
  auto session = ConnectOrFail(target);
  for (int i = 0; i < kRounds; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    REQUIRE(session->Exec("true").ok());
    exec += std::chrono::steady_clock::now() - t0;
  }
  WARN("connect + auth + exec `true`: " << connectExec.count() / kRounds << " ms; exec on an open session: "
                                         << exec.count() / kRounds << " ms (mean of " << kRounds << ")");
}
