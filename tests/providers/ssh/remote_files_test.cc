// The RemoteFiles promises (remote_files.h), checked on both transports: SFTP
// against an sshd that offers it, exec against one without a Subsystem line.
#include "providers/ssh/remote_files.h"

#include <pwd.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "tests/providers/ssh/file_fixture.h"
#include "tests/support/must.h"

using namespace pkiform;
using namespace pkiform::testing::files;
using pkiform::testing::ConnectOrFail;
using pkiform::testing::MustOk;
using pkiform::testing::SharedSshd;
using pkiform::testing::SshdHarness;

namespace {

namespace fs = std::filesystem;

// The sshd that makes SshSession::Files() choose `transport`.
SshdHarness& SshdFor(const std::string& transport) {
  return transport == "SFTP" ? SharedSshd() : SharedSshdWithoutSftp();
}

uint32_t LoginUid(const SshdHarness& sshd) {
  struct passwd* pw = ::getpwnam(sshd.user().c_str());
  REQUIRE(pw != nullptr);
  return pw->pw_uid;
}

}  // namespace

TEST_CASE("upload replaces the target with exactly the data, binary and large", "[ssh][files]") {
  const std::string transport = GENERATE(as<std::string>{}, "SFTP", "exec");
  INFO("transport: " << transport);
  auto& sshd = SshdFor(transport);
  auto session = ConnectOrFail(sshd.Target());
  ssh::RemoteFiles& files = FilesOf(*session);
  REQUIRE(files.transport() == transport);
  const std::string dir = FreshDir(sshd, "replace-" + transport);
  const std::string target = dir + "/server.key";

  std::string data;
  SECTION("a new file with NUL bytes") { data = std::string("key\0with\0NULs\n\xff", 16); }
  SECTION("replacing an existing file with 3 MiB") {
    std::ofstream(target) << "old content";
    data = BinaryData(3 * 1024 * 1024 + 17);
  }
  SECTION("an empty file") {
    std::ofstream(target) << "old content";
  }
  MustOk(files.Upload(target, data, 0600));
  CHECK(Slurp(target) == data);
  CHECK(LocalMode(target) == 0600);
  CHECK(Listing(dir) == std::vector<std::string>{"server.key"});  // no temporary file left
  CHECK(MustOk(files.Download(target)) == data);
}

TEST_CASE("upload sets the final mode and owner; stat reports them", "[ssh][files]") {
  const std::string transport = GENERATE(as<std::string>{}, "SFTP", "exec");
  INFO("transport: " << transport);
  auto& sshd = SshdFor(transport);
  auto session = ConnectOrFail(sshd.Target());
  ssh::RemoteFiles& files = FilesOf(*session);
  const std::string dir = FreshDir(sshd, "modes-" + transport);
  struct passwd* pw = ::getpwnam(sshd.user().c_str());
  REQUIRE(pw != nullptr);

  MustOk(files.Upload(dir + "/cert.pem", "certificate\n", 0644));
  CHECK(LocalMode(dir + "/cert.pem") == 0644);  // beyond the owner-only create mode
  MustOk(files.Upload(dir + "/group.key", "key\n", 0640, pw->pw_uid, pw->pw_gid));
  CHECK(LocalMode(dir + "/group.key") == 0640);
  MustOk(files.Upload(dir + "/only-group", "g\n", 0604, std::nullopt, pw->pw_gid));
  CHECK(LocalMode(dir + "/only-group") == 0604);
  MustOk(files.Upload(dir + "/read-only", "r\n", 0400));
  CHECK(LocalMode(dir + "/read-only") == 0400);

  auto st = MustOk(files.Stat(dir + "/group.key"));
  REQUIRE(st.has_value());
  CHECK(st->mode == 0640);
  CHECK(st->uid == pw->pw_uid);
  CHECK(st->gid == pw->pw_gid);
  CHECK(st->size == 4);
  CHECK(st->isRegular);
  CHECK_FALSE(st->isDirectory);

  auto dirStat = MustOk(files.Stat(dir));
  REQUIRE(dirStat.has_value());
  CHECK(dirStat->isDirectory);
  CHECK_FALSE(dirStat->isRegular);
  CHECK(dirStat->uid == LoginUid(sshd));

  CHECK_FALSE(MustOk(files.Stat(dir + "/absent")).has_value());
  fs::create_symlink(dir + "/absent", dir + "/dangling");
  CHECK_FALSE(MustOk(files.Stat(dir + "/dangling")).has_value());
  fs::create_symlink(dir + "/cert.pem", dir + "/link");
  auto linked = MustOk(files.Stat(dir + "/link"));
  REQUIRE(linked.has_value());
  CHECK(linked->mode == 0644);  // the link's target, not the link
  CHECK(linked->size == 12);
}

TEST_CASE("a failed upload leaves the target untouched and no temporary file", "[ssh][files]") {
  const std::string transport = GENERATE(as<std::string>{}, "SFTP", "exec");
  INFO("transport: " << transport);
  auto& sshd = SshdFor(transport);
  auto session = ConnectOrFail(sshd.Target());
  ssh::RemoteFiles& files = FilesOf(*session);
  const std::string dir = FreshDir(sshd, "failing-" + transport);
  std::ofstream(dir + "/server.pem") << "old";
  std::vector<std::string> before{"server.pem"};

  SECTION("chown to root is refused for an unprivileged user") {
    Status s = files.Upload(dir + "/server.pem", "new", 0644, 0u, 0u);
    REQUIRE_FALSE(s.ok());
    INFO(s.message());
    CHECK(s.message().find("127.0.0.1:" + std::to_string(sshd.port())) != std::string::npos);
    CHECK(s.message().find("owner") != std::string::npos);
  }
  SECTION("the directory does not exist") {
    Status s = files.Upload(dir + "/missing/server.pem", "new", 0644);
    REQUIRE_FALSE(s.ok());
    INFO(s.message());
    CHECK(s.code() == Status::Code::kNotFound);
    CHECK(s.message().find(dir + "/missing") != std::string::npos);
  }
  SECTION("the target is a directory") {
    fs::create_directory(dir + "/tls");
    before = {"server.pem", "tls"};
    Status s = files.Upload(dir + "/tls", "new", 0644);
    REQUIRE_FALSE(s.ok());
    CHECK(fs::is_directory(dir + "/tls"));
    CHECK(Listing(dir + "/tls").empty());
  }
  SECTION("not a file path, or an invalid mode") {
    CHECK(files.Upload(dir + "/", "new", 0644).code() == Status::Code::kInvalidInput);
    CHECK(files.Upload("", "new", 0644).code() == Status::Code::kInvalidInput);
    CHECK(files.Upload(dir + "/server.pem", "new", 010000).code() == Status::Code::kInvalidInput);
  }
  CHECK(Slurp(dir + "/server.pem") == "old");
  CHECK(Listing(dir) == before);
}

TEST_CASE("paths with spaces, quotes and shell syntax are taken literally", "[ssh][files]") {
  const std::string transport = GENERATE(as<std::string>{}, "SFTP", "exec");
  INFO("transport: " << transport);
  auto& sshd = SshdFor(transport);
  auto session = ConnectOrFail(sshd.Target());
  ssh::RemoteFiles& files = FilesOf(*session);
  const std::string dir = FreshDir(sshd, "it's a \"dir\" $(touch pwned) `id` ; * -" + transport);
  const std::string target = dir + "/-my 'key' $HOME\\n *.pem";

  MustOk(files.Upload(target, "quoted\n", 0600));
  CHECK(Slurp(target) == "quoted\n");
  CHECK(Listing(dir) == std::vector<std::string>{"-my 'key' $HOME\\n *.pem"});
  CHECK(MustOk(files.Download(target)) == "quoted\n");
  auto st = MustOk(files.Stat(target));
  REQUIRE(st.has_value());
  CHECK(st->size == 7);
  CHECK_FALSE(fs::exists(sshd.dataDir() + "/pwned"));
}

TEST_CASE("download: a missing file is NotFound; a file above the limit is refused", "[ssh][files]") {
  const std::string transport = GENERATE(as<std::string>{}, "SFTP", "exec");
  INFO("transport: " << transport);
  auto& sshd = SshdFor(transport);
  auto session = ConnectOrFail(sshd.Target());
  ssh::RemoteFiles& files = FilesOf(*session);
  const std::string dir = FreshDir(sshd, "download-" + transport);

  auto absent = files.Download(dir + "/nope");
  REQUIRE_FALSE(absent.ok());
  CHECK(absent.status().code() == Status::Code::kNotFound);
  CHECK(absent.status().message().find(dir + "/nope") != std::string::npos);

  CHECK(files.downloadLimit() == ssh::kMaxDownloadBytes);
  files.SetDownloadLimit(1000);
  std::ofstream(dir + "/at-limit", std::ios::binary) << BinaryData(1000);
  std::ofstream(dir + "/above-limit", std::ios::binary) << BinaryData(1001);
  CHECK(MustOk(files.Download(dir + "/at-limit")) == BinaryData(1000));
  auto big = files.Download(dir + "/above-limit");
  REQUIRE_FALSE(big.ok());
  INFO(big.status().message());
  CHECK(big.status().message().find(dir + "/above-limit") != std::string::npos);
  CHECK(big.status().message().find("larger than 1000 bytes") != std::string::npos);
}

// Not run by default: ./pkiform_unit_tests "[ssh-bench]"
TEST_CASE("file transport cost on loopback, SFTP and exec", "[.][ssh-bench]") {
  using Ms = std::chrono::duration<double, std::milli>;
  constexpr int kRounds = 20;
  for (const std::string transport : {"SFTP", "exec"}) {
    auto& sshd = SshdFor(transport);
    const std::string path = sshd.dataDir() + "/bench.pem";
    const std::string small(4096, 'x'), large = BinaryData(1024 * 1024);
    Ms start{0}, upload{0}, uploadLarge{0}, download{0};
    for (int i = 0; i < kRounds; ++i) {
      auto session = ConnectOrFail(sshd.Target());
      MustOk(session->Exec("true"));  // as in a run: Observe's exec comes first
      auto t0 = std::chrono::steady_clock::now();
      ssh::RemoteFiles& files = FilesOf(*session);
      MustOk(files.Stat("/"));
      auto t1 = std::chrono::steady_clock::now();
      MustOk(files.Upload(path, small, 0644));
      auto t2 = std::chrono::steady_clock::now();
      MustOk(files.Upload(path, large, 0644));
      auto t3 = std::chrono::steady_clock::now();
      MustOk(files.Download(path));
      auto t4 = std::chrono::steady_clock::now();
      start += t1 - t0;
      upload += t2 - t1;
      uploadLarge += t3 - t2;
      download += t4 - t3;
    }
    WARN(transport << ": Files() + first stat " << start.count() / kRounds << " ms; upload 4 KiB "
                   << upload.count() / kRounds << " ms; upload 1 MiB " << uploadLarge.count() / kRounds
                   << " ms; download 1 MiB " << download.count() / kRounds << " ms (mean of " << kRounds << ")");
  }
}
