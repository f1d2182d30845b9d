// A dms appliance in the fleet harness (tests/support/fleet_harness.h) with its staging
// server: an openssh host of the same fleet that the staging login reaches over SFTP. The
// AAI is driven over a real SSH PTY shell as a provider would; EXPORT_KEYSTORE writes
// KEYSTORE.DAT into that host's staging directory. Addresses 127.0.103.41-42.
#include <re2/re2.h>

#include <catch2/catch.hpp>

#include "providers/ssh/session.h"
#include "providers/ssh/shell.h"
#include "tests/sim/dms_test_support.h"
#include "tests/support/fleet_harness.h"

namespace pkiform::simtest {

TEST_CASE("dms in the fleet: the AAI over SSH exports its keystore to the fleet's staging host",
          "[sim][dms][fleet][rule:D14]") {
  testing::FleetOptions options;
  options.hosts = {testing::FleetHost("stage41.fleet.test", "127.0.103.41"),
                   testing::FleetHost("sns42.fleet.test", "127.0.103.42")};
  options.hosts[1].platform = "dms";
  options.nginxPort = 0;
  options.httpsPort = FreePort("127.0.103.42");
  auto fleet = testing::FleetHarness::Start(options);
  REQUIRE(fleet.ok());
  auto& f = **fleet;
  REQUIRE(f.hasDms());
  auto password = DmsBox::ReadFile(f.stagingPasswordPath());
  REQUIRE(!password.empty());
  password.pop_back();  // the line end

  auto target = f.Target("sns42.fleet.test");
  REQUIRE(target.ok());
  auto session = ssh::SshSession::Connect(*target);
  REQUIRE(session.ok());
  auto shell = (*session)->OpenShell();
  REQUIRE(shell.ok());
  using std::chrono::milliseconds;
  // Keys only once the AAI is drawn (its terminal is in raw mode by then: nothing is echoed).
  REQUIRE((*shell)->Expect(RE2("Appliance Administration Interface"), milliseconds(10000)).ok());
  const std::string keystore = std::string(testing::FleetHarness::kStagingDir) + "/KEYSTORE.DAT";
  const std::string passphrase = "fleet-Keystore-41";
  REQUIRE((*shell)
              ->Send(ToCertificateManagement(4) + passphrase + kEnter +
                     Fill({"127.0.103.41:" + std::to_string(f.port()), f.stagingUser()}) + password + kEnter +
                     Fill({keystore}))
              .ok());
  std::string matched;
  auto out = (*shell)->Expect(RE2("The keystore was exported to [^\x1b]*|Failed to [^\x1b]*\x1b\\[[0-9;]*H[^\x1b]*"),
                              milliseconds(40000), ssh::InteractiveShell::kMaxPending, &matched);
  REQUIRE(out.ok());
  INFO(matched);
  CHECK(matched == "The keystore was exported to 127.0.103.41:" + keystore + ".");
  CHECK_FALSE(Has(*out + matched, password));
  CHECK_FALSE(Has(*out + matched, passphrase));
  auto dir = f.hostDir("stage41.fleet.test");
  REQUIRE(dir.ok());
  auto data = DmsBox::ReadFile(fs::path(*dir) / "staging" / "KEYSTORE.DAT");
  CHECK(data.size() > 1000);
  // The staging server's host key was recorded in the appliance's own known_hosts.
  auto applianceDir = f.hostDir("sns42.fleet.test");
  REQUIRE(applianceDir.ok());
  CHECK(Has(DmsBox::ReadFile(fs::path(*applianceDir) / "known_hosts"), "[127.0.103.41]:" + std::to_string(f.port())));
}

}  // namespace pkiform::simtest
