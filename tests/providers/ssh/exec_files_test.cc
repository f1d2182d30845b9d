// ExecFiles beyond the promises both transports share (remote_files_test.cc):
// what the upload script does between creating the temporary file and the
// rename, seen through its test hooks, and how it fails.
#include "providers/ssh/exec_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include "providers/ssh/shell_quote.h"
#include "tests/providers/ssh/file_fixture.h"
#include "tests/support/must.h"

using namespace pkiform;
using namespace pkiform::testing::files;
using pkiform::testing::ConnectOrFail;
using pkiform::testing::MustOk;
using pkiform::testing::SshdOptions;
using pkiform::testing::StartSshd;

namespace {

namespace fs = std::filesystem;

ssh::ExecFiles& ExecFilesOf(ssh::SshSession& session) {
  ssh::RemoteFiles& files = FilesOf(session);
  REQUIRE(files.transport() == "exec");
  return dynamic_cast<ssh::ExecFiles&>(files);
}

}  // namespace

TEST_CASE("exec upload: the temporary file is private from its first byte and complete before the rename",
          "[ssh][files]") {
  auto& sshd = SharedSshdWithoutSftp();
  auto session = ConnectOrFail(sshd.Target());
  ssh::ExecFiles& files = ExecFilesOf(*session);
  const std::string dir = FreshDir(sshd, "exec-hooks");
  const std::string seen = FreshDir(sshd, "exec-hooks-seen");  // what the hooks saw, outside dir
  const std::string target = dir + "/server.key";
  const std::string data = BinaryData(100000);

  int mode = 0600;
  SECTION("a new private key") {}
  SECTION("replacing a public file") {
    std::ofstream(target) << "old content";
    mode = 0644;
  }
  const bool existed = fs::exists(target);
  const std::string q = ssh::ShellQuote(seen);
  files.SetUploadHooksForTesting({
      "stat -c '%a %s %n' \"$t\" >" + q + "/after-create",
      "stat -c '%a %s' \"$t\" >" + q + "/before-rename; cp \"$t\" " + q + "/temp-copy; " +
          "cp " + ssh::ShellQuote(target) + " " + q + "/target-then 2>/dev/null || :",
  });
  MustOk(files.Upload(target, data, mode));

  // Created owner-only and empty, in the target's directory, under a hidden temporary name.
  const std::string afterCreate = Slurp(seen + "/after-create");
  INFO(afterCreate);
  const std::string prefix = "600 0 " + dir + "/.server.key.pkiform-tmp-";
  REQUIRE(afterCreate.rfind(prefix, 0) == 0);
  CHECK(std::regex_match(afterCreate.substr(prefix.size()), std::regex("[A-Za-z0-9]{10}\n")));
  // Complete, with its final mode, before it replaced the target; readers still had the old state.
  char expected[32];
  std::snprintf(expected, sizeof expected, "%o %zu\n", static_cast<unsigned>(mode), data.size());
  CHECK(Slurp(seen + "/before-rename") == expected);
  CHECK(Slurp(seen + "/temp-copy") == data);
  CHECK(fs::exists(seen + "/target-then") == existed);
  if (existed) CHECK(Slurp(seen + "/target-then") == "old content");

  CHECK(Slurp(target) == data);
  CHECK(LocalMode(target) == static_cast<mode_t>(mode));
  CHECK(Listing(dir) == std::vector<std::string>{"server.key"});
}

TEST_CASE("exec upload: a transfer cut short or a script stopped before the rename installs nothing",
          "[ssh][files]") {
  auto& sshd = SharedSshdWithoutSftp();
  auto session = ConnectOrFail(sshd.Target());
  ssh::ExecFiles& files = ExecFilesOf(*session);
  const std::string dir = FreshDir(sshd, "exec-failing");
  std::ofstream(dir + "/server.pem") << "old";

  std::string expected;
  SECTION("bytes lost on the way") {
    // The hook eats the first 5 bytes of stdin, as a dropped connection would lose the end.
    files.SetUploadHooksForTesting({"dd bs=1 count=5 of=/dev/null 2>/dev/null", ""});
    expected = "holds 11 bytes of the 16 sent: the transfer was cut short";
  }
  SECTION("the script exits just before the rename") {
    files.SetUploadHooksForTesting({"", "exit 9"});
    expected = "exit status 9";
  }
  Status s = files.Upload(dir + "/server.pem", "0123456789abcdef", 0644);
  REQUIRE_FALSE(s.ok());
  INFO(s.message());
  CHECK(s.message().find("uploading " + dir + "/server.pem over exec") != std::string::npos);
  CHECK(s.message().find(expected) != std::string::npos);
  CHECK(Slurp(dir + "/server.pem") == "old");
  CHECK(Listing(dir) == std::vector<std::string>{"server.pem"});
}

TEST_CASE("exec upload: once the client has given up, the script installs nothing", "[ssh][files]") {
  auto& sshd = SharedSshdWithoutSftp();
  auto target = sshd.Target();
  target.timeout = std::chrono::milliseconds(1000);
  auto session = ConnectOrFail(target);
  ssh::ExecFiles& files = ExecFilesOf(*session);
  const std::string dir = FreshDir(sshd, "exec-gave-up");
  const std::string gate = FreshDir(sshd, "exec-gave-up-gate") + "/gate";
  REQUIRE(::mkfifo(gate.c_str(), 0644) == 0);
  std::ofstream(dir + "/server.pem") << "old";

  // The script waits at the gate, after the data was sent, until the client has timed out.
  files.SetUploadHooksForTesting({"read line <" + ssh::ShellQuote(gate), ""});
  Status s = files.Upload(dir + "/server.pem", "new", 0644);
  REQUIRE_FALSE(s.ok());
  INFO(s.message());
  CHECK(s.message().find("uploading " + dir + "/server.pem over exec: timed out after 1000 ms") != std::string::npos);
  CHECK(s.message().find('\n') == std::string::npos);

  // Open the gate (the script is reading it; retried until it is), then wait for the script to end.
  int fd = -1;
  for (int i = 0; i < 1000 && fd < 0; ++i) {
    fd = ::open(gate.c_str(), O_WRONLY | O_NONBLOCK);
    if (fd < 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE(fd >= 0);
  REQUIRE(::write(fd, "go\n", 3) == 3);
  ::close(fd);
  for (int i = 0; i < 1000 && Listing(dir).size() > 1; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CHECK(Slurp(dir + "/server.pem") == "old");
  CHECK(Listing(dir) == std::vector<std::string>{"server.pem"});
}

TEST_CASE("exec transfers ignore what a login script prints before the command", "[ssh][files]") {
  SshdOptions options;
  options.sftpSubsystem = false;
  options.forceCommand = "echo 'Welcome to the appliance. @@pkiform'; eval \"$SSH_ORIGINAL_COMMAND\"";
  auto sshd = StartSshd(std::move(options));
  auto session = ConnectOrFail(sshd->Target());
  ssh::ExecFiles& files = ExecFilesOf(*session);
  const std::string dir = FreshDir(*sshd, "noisy");
  const std::string data = BinaryData(5000);

  MustOk(files.Upload(dir + "/ca.pem", data, 0644));
  CHECK(Slurp(dir + "/ca.pem") == data);
  CHECK(MustOk(files.Download(dir + "/ca.pem")) == data);
  auto st = MustOk(files.Stat(dir + "/ca.pem"));
  REQUIRE(st.has_value());
  CHECK(st->size == data.size());
  CHECK(st->mode == 0644);
  CHECK_FALSE(MustOk(files.Stat(dir + "/absent")).has_value());
}
