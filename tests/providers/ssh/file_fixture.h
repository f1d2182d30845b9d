// Shared by the [ssh] file transfer tests (SFTP and exec): the sshd without an
// SFTP subsystem, and helpers that look at the remote files from the test
// process (the hosts are this machine, so remote paths are local paths).
#pragma once

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "providers/ssh/remote_files.h"
#include "providers/ssh/session.h"
#include "tests/providers/ssh/ssh_fixture.h"

namespace pkiform::testing::files {

// Shared sshd whose config has no Subsystem line: it refuses SFTP, as hardened hosts do.
inline SshdHarness& SharedSshdWithoutSftp() {
  static Result<std::unique_ptr<SshdHarness>> sshd = [] {
    SshdOptions options;
    options.sftpSubsystem = false;
    return SshdHarness::Start(std::move(options));
  }();
  if (!sshd.ok()) FAIL(sshd.status().ToString());
  return *sshd.value();
}

inline ssh::RemoteFiles& FilesOf(ssh::SshSession& session) {
  auto files = session.Files();
  if (!files.ok()) FAIL(files.status().ToString());
  return **files;
}

inline std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline mode_t LocalMode(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

// A fresh directory `name` in the sshd's data directory, owned by the login user.
inline std::string FreshDir(const SshdHarness& sshd, const std::string& name) {
  std::string dir = sshd.dataDir() + "/" + name;
  std::filesystem::remove_all(dir);
  REQUIRE(std::filesystem::create_directory(dir));
  struct passwd* pw = ::getpwnam(sshd.user().c_str());
  REQUIRE(pw != nullptr);
  REQUIRE(::chown(dir.c_str(), pw->pw_uid, pw->pw_gid) == 0);
  return dir;
}

// The names in `dir`, sorted.
inline std::vector<std::string> Listing(const std::string& dir) {
  std::vector<std::string> names;
  for (auto& e : std::filesystem::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// `size` bytes in which every byte value occurs, NUL included.
inline std::string BinaryData(size_t size) {
  std::string data;
  data.reserve(size);
  for (size_t i = 0; data.size() < size; ++i) data += static_cast<char>((i * 7919 + i / 251) % 256);
  return data;
}

}  // namespace pkiform::testing::files
