// Helpers shared by the fleet harness's tests (tests/providers/fleet/*_test.cc): start a
// fleet or an SSH session or fail the test case with the reason, and read a local file.
#pragma once

#include <catch2/catch.hpp>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "providers/ssh/session.h"
#include "tests/support/fleet_harness.h"

namespace pkiform::testing {

inline std::unique_ptr<FleetHarness> StartFleet(const FleetOptions& options) {
  auto fleet = FleetHarness::Start(options);
  if (!fleet.ok()) FAIL(fleet.status().ToString());
  return std::move(fleet).value();
}

inline std::unique_ptr<ssh::SshSession> Connect(const ssh::SshTarget& target) {
  auto session = ssh::SshSession::Connect(target);
  if (!session.ok()) FAIL(session.status().ToString());
  return std::move(session).value();
}

// The whole file; empty when it cannot be read (the test's checks then say what is missing).
inline std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace pkiform::testing
