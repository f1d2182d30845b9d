// The sshd harness itself: how it fails and what it leaves behind.
#include "tests/support/sshd_harness.h"

#include <signal.h>

#include <catch2/catch.hpp>

#include <filesystem>

using namespace pkiform;

TEST_CASE("the sshd harness reports sshd's own complaint when it cannot start", "[ssh]") {
  testing::SshdOptions options;
  options.extraConfig = {"NoSuchDirective yes"};
  options.startTimeout = std::chrono::seconds(5);
  auto sshd = testing::SshdHarness::Start(options);
  REQUIRE_FALSE(sshd.ok());
  INFO(sshd.status().message());
  CHECK(sshd.status().message().find("NoSuchDirective") != std::string::npos);
}

TEST_CASE("the sshd harness stops sshd and removes its directory", "[ssh]") {
  std::string dir;
  pid_t pid = -1;
  {
    auto sshd = testing::SshdHarness::Start();
    if (!sshd.ok()) FAIL(sshd.status().ToString());
    dir = sshd.value()->tempDir();
    pid = sshd.value()->pid();
    CHECK(std::filesystem::exists(dir + "/known_hosts"));
    CHECK(::kill(pid, 0) == 0);
  }
  CHECK_FALSE(std::filesystem::exists(dir));
  CHECK(::kill(pid, 0) != 0);  // reaped: no such process
}
