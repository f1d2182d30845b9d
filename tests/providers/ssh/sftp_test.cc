#include "providers/ssh/sftp.h"

#include <pwd.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/providers/ssh/ssh_fixture.h"

using namespace pkiform;
using namespace pkiform::ssh;
using pkiform::testing::ConnectOrFail;
using pkiform::testing::SharedSshd;

namespace {

namespace fs = std::filesystem;

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

mode_t ModeOf(const std::string& path) {
  struct stat st{};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

// A fresh directory owned by the login user, seen locally and remotely at the same path.
std::string FreshDir(const testing::SshdHarness& sshd, const std::string& name) {
  std::string dir = sshd.dataDir() + "/" + name;
  fs::remove_all(dir);
  REQUIRE(fs::create_directory(dir));
  struct passwd* pw = ::getpwnam(sshd.user().c_str());
  REQUIRE(pw != nullptr);
  REQUIRE(::chown(dir.c_str(), pw->pw_uid, pw->pw_gid) == 0);
  return dir;
}

std::vector<std::string> Listing(const std::string& dir) {
  std::vector<std::string> names;
  for (auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

SftpClient& SftpOf(SshSession& session) {
  auto sftp = session.Sftp();
  if (!sftp.ok()) FAIL(sftp.status().ToString());
  return **sftp;
}

}  // namespace

TEST_CASE("upload writes a hidden temporary file and renames it over the target", "[ssh]") {
  auto& sshd = SharedSshd();
  auto session = ConnectOrFail(sshd.Target());
  SftpClient& sftp = SftpOf(*session);
  CHECK(sftp.hasPosixRename());  // OpenSSH offers it: the replace is atomic
  const std::string dir = FreshDir(sshd, "atomic");
  const std::string target = dir + "/server.key";
  std::string secret = "-----BEGIN PRIVATE KEY-----\n";
  for (int i = 0; i < 4000; ++i) secret += "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC" + std::to_string(i) + "\n";
  secret += std::string("\0binary\xff", 8);

  SECTION("new file") {}
  SECTION("replacing an existing file") {
    std::ofstream(target) << "old content";
  }
  const bool existed = fs::exists(target);
  const std::string before = existed ? Slurp(target) : "";

  int afterCreateCalls = 0, beforeRenameCalls = 0;
  sftp.SetUploadHooksForTesting({
      [&](const std::string& tmp) {
        ++afterCreateCalls;
        INFO(tmp);
        CHECK(fs::path(tmp).parent_path() == fs::path(dir));
        CHECK(fs::path(tmp).filename().string().rfind(".server.key.pkiform-tmp-", 0) == 0);
        CHECK(ModeOf(tmp) == 0600);  // a secret is private from its first byte
        CHECK(fs::file_size(tmp) == 0);
      },
      [&](const std::string& tmp) {
        ++beforeRenameCalls;
        CHECK(Slurp(tmp) == secret);  // complete before it becomes visible
        CHECK(ModeOf(tmp) == 0600);
        // Readers of the target still see the old state.
        CHECK(fs::exists(target) == existed);
        if (existed) CHECK(Slurp(target) == before);
      },
  });
  Status s = sftp.Upload(target, secret, 0600);
  sftp.SetUploadHooksForTesting({});
  REQUIRE(s.ok());
  CHECK(afterCreateCalls == 1);
  CHECK(beforeRenameCalls == 1);
  CHECK(Slurp(target) == secret);
  CHECK(ModeOf(target) == 0600);
  CHECK(Listing(dir) == std::vector<std::string>{"server.key"});
}

TEST_CASE("upload sets the final mode and owner", "[ssh]") {
  auto& sshd = SharedSshd();
  auto session = ConnectOrFail(sshd.Target());
  SftpClient& sftp = SftpOf(*session);
  const std::string dir = FreshDir(sshd, "modes");
  struct passwd* pw = ::getpwnam(sshd.user().c_str());
  REQUIRE(pw != nullptr);

  REQUIRE(sftp.Upload(dir + "/cert.pem", "certificate\n", 0644).ok());
  CHECK(ModeOf(dir + "/cert.pem") == 0644);  // beyond the owner-only create mode
  REQUIRE(sftp.Upload(dir + "/group.key", "key\n", 0640, pw->pw_uid, pw->pw_gid).ok());
  CHECK(ModeOf(dir + "/group.key") == 0640);
  REQUIRE(sftp.Upload(dir + "/empty", "", 0400).ok());
  CHECK(ModeOf(dir + "/empty") == 0400);
  CHECK(fs::file_size(dir + "/empty") == 0);

  auto st = sftp.Stat(dir + "/group.key");
  REQUIRE(st.ok());
  REQUIRE(st->has_value());
  CHECK((*st)->mode == 0640);
  CHECK((*st)->uid == pw->pw_uid);
  CHECK((*st)->gid == pw->pw_gid);
  CHECK((*st)->size == 4);
  CHECK((*st)->isRegular);
  CHECK_FALSE((*st)->isDirectory);
}

TEST_CASE("a failed upload leaves the target and the directory untouched", "[ssh]") {
  auto& sshd = SharedSshd();
  auto session = ConnectOrFail(sshd.Target());
  SftpClient& sftp = SftpOf(*session);
  const std::string dir = FreshDir(sshd, "failing");
  std::ofstream(dir + "/server.pem") << "old";

  SECTION("chown to root is refused for an unprivileged user") {
    Status s = sftp.Upload(dir + "/server.pem", "new", 0644, 0u, 0u);
    REQUIRE_FALSE(s.ok());
    INFO(s.message());
    CHECK(s.message().find("127.0.0.1:" + std::to_string(sshd.port())) != std::string::npos);
    CHECK(s.message().find("owner") != std::string::npos);
    CHECK(s.message().find("permission denied") != std::string::npos);
  }
  SECTION("the directory does not exist") {
    Status s = sftp.Upload(dir + "/missing/server.pem", "new", 0644);
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().find(dir + "/missing/") != std::string::npos);
  }
  CHECK(Slurp(dir + "/server.pem") == "old");
  CHECK(Listing(dir) == std::vector<std::string>{"server.pem"});
}

TEST_CASE("download returns exact content, stat and download report absent files", "[ssh]") {
  auto& sshd = SharedSshd();
  auto session = ConnectOrFail(sshd.Target());
  SftpClient& sftp = SftpOf(*session);
  const std::string dir = FreshDir(sshd, "download");
  std::string big;
  for (size_t i = 0; big.size() < 1024 * 1024 + 123; ++i) big += static_cast<char>((i * 7919) % 256);
  {
    std::ofstream out(dir + "/big.bin", std::ios::binary);
    out.write(big.data(), static_cast<std::streamsize>(big.size()));
  }
  ::chmod((dir + "/big.bin").c_str(), 0604);

  auto got = sftp.Download(dir + "/big.bin");
  REQUIRE(got.ok());
  CHECK(got->size() == big.size());
  CHECK(*got == big);

  auto st = sftp.Stat(dir + "/big.bin");
  REQUIRE(st.ok());
  REQUIRE(st->has_value());
  CHECK((*st)->size == big.size());
  CHECK((*st)->mode == 0604);
  CHECK((*st)->uid == 0);  // written locally by root

  auto dirStat = sftp.Stat(dir);
  REQUIRE(dirStat.ok());
  REQUIRE(dirStat->has_value());
  CHECK((*dirStat)->isDirectory);

  auto absentStat = sftp.Stat(dir + "/nope");
  REQUIRE(absentStat.ok());
  CHECK_FALSE(absentStat->has_value());

  auto absent = sftp.Download(dir + "/nope");
  REQUIRE_FALSE(absent.ok());
  CHECK(absent.status().code() == Status::Code::kNotFound);
  CHECK(absent.status().message().find(dir + "/nope") != std::string::npos);

  // Round trip through upload, on the same SFTP client.
  REQUIRE(sftp.Upload(dir + "/copy.bin", big, 0644).ok());
  auto copy = sftp.Download(dir + "/copy.bin");
  REQUIRE(copy.ok());
  CHECK(*copy == big);
  CHECK(session->Sftp().value() == &sftp);  // one SFTP client per session
}

TEST_CASE("without posix-rename, upload removes the target then renames", "[ssh]") {
  auto& sshd = SharedSshd();
  auto session = ConnectOrFail(sshd.Target());
  SftpClient& sftp = SftpOf(*session);
  sftp.DisablePosixRenameForTesting();
  const std::string dir = FreshDir(sshd, "v3rename");
  REQUIRE(sftp.Upload(dir + "/ca.pem", "first", 0644).ok());
  REQUIRE(sftp.Upload(dir + "/ca.pem", "second", 0644).ok());
  CHECK(Slurp(dir + "/ca.pem") == "second");
  CHECK(Listing(dir) == std::vector<std::string>{"ca.pem"});
}

// Not run by default: ./pkiform_unit_tests "[ssh-bench]"
TEST_CASE("SFTP cost on loopback", "[.][ssh-bench]") {
  auto target = SharedSshd().Target();
  using Ms = std::chrono::duration<double, std::milli>;
  constexpr int kRounds = 20;
  Ms connectStat{0}, upload{0};
  const std::string path = SharedSshd().dataDir() + "/bench.pem";
  for (int i = 0; i < kRounds; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    auto session = ConnectOrFail(target);
    auto sftp = session->Sftp();
    REQUIRE(sftp.ok());
    REQUIRE((*sftp)->Stat("/").ok());
    connectStat += std::chrono::steady_clock::now() - t0;
    auto t1 = std::chrono::steady_clock::now();
    REQUIRE((*sftp)->Upload(path, std::string(4096, 'x'), 0644).ok());
    upload += std::chrono::steady_clock::now() - t1;
  }
  WARN("connect + auth + SFTP start + stat: " << connectStat.count() / kRounds << " ms; atomic upload of 4 KiB: "
                                              << upload.count() / kRounds << " ms (mean of " << kRounds << ")");
}
