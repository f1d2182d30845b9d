// pkiform-sim shell: the OS Administration settings pkiform keeps, Certificate Revocation
// (OCSP, rule U16) and the Certificate Monitor (rule U17), with their ASSUMED CLI
// (os_settings_cli.h, docs/platforms/ucm.md), driven over pipes.
#include <catch2/catch.hpp>

#include "tests/sim/sim_test_support.h"

namespace pkiform::simtest {
namespace {

struct Node {
  testing::TempDir tmp;
  fs::path dir;
  explicit Node(bool commonCriteria = false) {
    NodeSpec spec;
    spec.address = "127.0.96.200";
    spec.commonCriteria = commonCriteria;
    dir = InitNode(tmp.path() / "pub", tmp.path() / "cluster", spec);
  }
  std::string Run(const std::string& commands) const {
    auto run = RunShell(dir, commands + "quit\n");
    REQUIRE(run.exitCode == 0);
    return run.out;
  }
};

constexpr const char* kFailed = "Executed command unsuccessfully";
constexpr const char* kOcspSaved = "Successfully updated Certificate Revocation settings";
constexpr const char* kMonitorSaved = "Successfully updated Certificate Monitor settings";

}  // namespace

TEST_CASE("sim: OCSP from the factory is off, using the URI from the certificate", "[sim][rule:U16]") {
  Node node;
  const std::string out = node.Run("show ocsp\n");
  INFO(out);
  CHECK(Has(out, "Enable OCSP                   : Disabled"));
  CHECK(Has(out, "OCSP URI                      : Use OCSP URI from Certificate"));
  CHECK(Has(out, "Enable Revocation Check       : Disabled"));
  CHECK(Has(out, "Check Every                   : 24 hours"));
  CHECK(Has(out, "Common Criteria Mode          : Disabled"));
  CHECK_FALSE(Has(out, kFailed));
}

TEST_CASE("sim: the configured OCSP responder needs its URI first", "[sim][rule:U16]") {
  Node node;
  // The configured URI cannot be chosen while none is set, neither before nor after enabling.
  std::string out = node.Run("set ocsp uri-source configured\n");
  INFO(out);
  CHECK(Has(out, kFailed));
  CHECK(Has(out, "OCSP Configured URI is required when Use configured OCSP URI is selected"));
  out = node.Run("set ocsp enable\nset ocsp uri-source configured\nshow ocsp\n");
  CHECK(Count(out, kFailed) == 1);
  CHECK(Has(out, "Enable OCSP                   : Enabled"));
  CHECK(Has(out, "OCSP URI                      : Use OCSP URI from Certificate"));
  // With the URI set, the configured responder is taken, and kept across sessions.
  out = node.Run("set ocsp responder http://ocsp.example.com:8080/status\nset ocsp uri-source configured\n");
  CHECK(Count(out, kOcspSaved) == 2);
  CHECK_FALSE(Has(out, kFailed));
  out = node.Run("show ocsp\n");
  CHECK(Has(out, "OCSP URI                      : Use configured OCSP URI"));
  CHECK(Has(out, "OCSP Configured URI           : http://ocsp.example.com:8080/status"));
  CHECK(Has(out, "Enable OCSP                   : Enabled"));
}

TEST_CASE("sim: enabling OCSP on the configured responder without a URI is refused", "[sim][rule:U16]") {
  Node node;
  // A node whose settings say "configured" with no URI (edited by hand): enabling is refused.
  std::ofstream(node.dir / "os-settings.conf") << "ocsp-use-certificate-uri=false\n";
  std::string out = node.Run("set ocsp enable\nshow ocsp\n");
  INFO(out);
  CHECK(Has(out, "OCSP Configured URI is required when Use configured OCSP URI is selected"));
  CHECK(Has(out, "Enable OCSP                   : Disabled"));
  out = node.Run("set ocsp responder https://ocsp.example.com\nset ocsp enable\nshow ocsp\n");
  CHECK_FALSE(Has(out, kFailed));
  CHECK(Has(out, "Enable OCSP                   : Enabled"));
}

TEST_CASE("sim: OCSP refuses a bad responder URI and an interval out of range", "[sim][rule:U16]") {
  Node node;
  for (const char* uri : {"ftp://ocsp.example.com", "ocsp.example.com", "http://", "http:///x"}) {
    const std::string out = node.Run(std::string("set ocsp responder ") + uri + "\n");
    INFO(uri << "\n" << out);
    CHECK(Has(out, "Invalid OCSP Configured URI"));
  }
  for (const char* hours : {"0", "721", "1.5", "-1", "abc", "24h"}) {
    const std::string out = node.Run(std::string("set ocsp interval ") + hours + "\n");
    INFO(hours << "\n" << out);
    CHECK(Has(out, "Invalid value for Check Every"));
  }
  std::string out = node.Run("show ocsp\n");
  CHECK(Has(out, "Enable Revocation Check       : Disabled"));
  CHECK(Has(out, "OCSP Configured URI           : \r\n"));
  out = node.Run("set ocsp interval 12\nshow ocsp\n");
  INFO(out);
  CHECK(Has(out, kOcspSaved));
  CHECK(Has(out, "Enable Revocation Check       : Enabled"));
  CHECK(Has(out, "Check Every                   : 12 hours"));
  out = node.Run("set ocsp interval 720\nshow ocsp\n");
  CHECK(Has(out, "Check Every                   : 720 hours"));
}

TEST_CASE("sim: a node in Common Criteria mode says so with its OCSP settings", "[sim][rule:U16]") {
  Node node(/*commonCriteria=*/true);
  const std::string out = node.Run("show ocsp\nset ocsp enable\nshow ocsp\n");
  INFO(out);
  CHECK(Count(out, "Common Criteria Mode          : Enabled") == 2);
  CHECK(Has(out, "Enable OCSP                   : Enabled"));
}

TEST_CASE("sim: the certificate monitor from the factory", "[sim][rule:U17]") {
  Node node;
  const std::string out = node.Run("show cert-monitor\n");
  INFO(out);
  CHECK(Has(out, "Notification Start Time       : 30 days"));
  CHECK(Has(out, "Notification Frequency        : 24 hours"));
  CHECK(Has(out, "Enable E-mail notification    : Disabled"));
  CHECK(Has(out, "E-mail IDs                    : \r\n"));
}

TEST_CASE("sim: the certificate monitor's notification start and frequency, in range only", "[sim][rule:U17]") {
  Node node;
  for (const char* days : {"0", "366", "7d", "x"}) {
    const std::string out = node.Run(std::string("set cert-monitor notification-start ") + days + "\n");
    INFO(days << "\n" << out);
    CHECK(Has(out, "Invalid value for Notification Start Time"));
  }
  for (const char* f : {"0 hours", "721 hours", "31 days", "2 weeks", "1.5 days"}) {
    const std::string out = node.Run(std::string("set cert-monitor frequency ") + f + "\n");
    INFO(f << "\n" << out);
    CHECK(Has(out, kFailed));
  }
  std::string out = node.Run("show cert-monitor\n");
  CHECK(Has(out, "Notification Start Time       : 30 days"));
  CHECK(Has(out, "Notification Frequency        : 24 hours"));
  out = node.Run("set cert-monitor notification-start 60\nset cert-monitor frequency 2 days\n");
  CHECK(Count(out, kMonitorSaved) == 2);
  out = node.Run("show cert-monitor\n");
  INFO(out);
  CHECK(Has(out, "Notification Start Time       : 60 days"));
  CHECK(Has(out, "Notification Frequency        : 2 days"));
  out = node.Run("set cert-monitor frequency 12 hours\nshow cert-monitor\n");
  CHECK(Has(out, "Notification Frequency        : 12 hours"));
}

TEST_CASE("sim: the certificate monitor's e-mail IDs", "[sim][rule:U17]") {
  Node node;
  for (const char* ids : {"uc-team", "uc-team@example.com;", "a@b@example.com", "x@localhost", "a@example.com,b@example.com"}) {
    const std::string out = node.Run(std::string("set cert-monitor email ") + ids + "\n");
    INFO(ids << "\n" << out);
    CHECK(Has(out, "Invalid E-mail ID"));
  }
  std::string out = node.Run("set cert-monitor email-notification enable\n");
  CHECK(Has(out, "Enter at least one E-mail ID"));
  out = node.Run("set cert-monitor email uc-team@example.com;pki@example.com\nshow cert-monitor\n");
  INFO(out);
  CHECK(Has(out, kMonitorSaved));
  CHECK(Has(out, "Enable E-mail notification    : Enabled"));
  CHECK(Has(out, "E-mail IDs                    : uc-team@example.com;pki@example.com"));
  out = node.Run("set cert-monitor email-notification disable\nshow cert-monitor\n");
  CHECK(Has(out, "Enable E-mail notification    : Disabled"));
  CHECK(Has(out, "E-mail IDs                    : uc-team@example.com;pki@example.com"));
}

}  // namespace pkiform::simtest
