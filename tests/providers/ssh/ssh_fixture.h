// Shared sshd for the [ssh] tests: started on first use, stopped at exit.
// Tests that need a differently configured sshd start their own SshdHarness.
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "providers/ssh/session.h"
#include "tests/support/sshd_harness.h"

namespace pkiform::testing {

inline SshdHarness& SharedSshd() {
  static Result<std::unique_ptr<SshdHarness>> sshd = SshdHarness::Start();
  if (!sshd.ok()) FAIL(sshd.status().ToString());
  return *sshd.value();
}

inline std::unique_ptr<SshdHarness> StartSshd(SshdOptions options = {}) {
  auto sshd = SshdHarness::Start(std::move(options));
  if (!sshd.ok()) FAIL(sshd.status().ToString());
  return std::move(sshd).value();
}

inline std::unique_ptr<ssh::SshSession> ConnectOrFail(const ssh::SshTarget& target) {
  auto session = ssh::SshSession::Connect(target);
  if (!session.ok()) FAIL(session.status().ToString());
  return std::move(session).value();
}

}  // namespace pkiform::testing
