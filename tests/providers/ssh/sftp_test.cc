#include "providers/ssh/sftp.h"

#include <pwd.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/providers/ssh/file_fixture.h"

using namespace pkiform;
using namespace pkiform::ssh;
using pkiform::testing::ConnectOrFail;
using pkiform::testing::SharedSshd;

namespace {

namespace fs = std::filesystem;
using namespace pkiform::testing::files;

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
        CHECK(LocalMode(tmp) == 0600);  // a secret is private from its first byte
        CHECK(fs::file_size(tmp) == 0);
      },
      [&](const std::string& tmp) {
        ++beforeRenameCalls;
        CHECK(Slurp(tmp) == secret);  // complete before it becomes visible
        CHECK(LocalMode(tmp) == 0600);
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
  CHECK(LocalMode(target) == 0600);
  CHECK(Listing(dir) == std::vector<std::string>{"server.key"});
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
