// The sshd harness itself: how it fails and what it leaves behind.
#include "tests/support/sshd_harness.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <vector>

#include "tests/support/test_ports.h"

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

TEST_CASE("a reserved test port is held against every other test process and lies below the ephemeral range", "[ssh]") {
  std::vector<int> ports;
  for (int i = 0; i < 20; ++i) {
    auto port = testing::ReserveTestPort();
    if (!port.ok()) FAIL(port.status().ToString());
    CHECK(std::find(ports.begin(), ports.end(), *port) == ports.end());  // never twice in one process
    ports.push_back(*port);
  }
  int ephemeralLow = 0;
  std::ifstream("/proc/sys/net/ipv4/ip_local_port_range") >> ephemeralLow;
  for (int port : ports) CHECK(port < ephemeralLow);
  // Another process (a parallel test) cannot take the claims while this one lives.
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    int taken = 0;
    for (int port : ports) {
      int fd = open(("/tmp/pkiform-test-ports/" + std::to_string(port)).c_str(), O_RDWR | O_CLOEXEC);
      if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0) ++taken;
      if (fd >= 0) close(fd);
    }
    _exit(taken);
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}
