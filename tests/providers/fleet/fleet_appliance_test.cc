// The fleet harness's appliance hosts (platform ucm): pkiform-sim's factory
// state per host, host-shell handing logins to `pkiform-sim shell` (no exec,
// no SFTP), administrator logins with keyboard-interactive (PAM) or password
// and never a key, and one `pkiform-sim tls` daemon for every appliance.
//
// These check the harness, not the simulator: with a build that has the
// pkiform-sim target they run the real one; without it, a stand-in written
// into the test's temporary directory that keeps the same command-line
// contract (init writes sim.conf, shell prints `admin:` and refuses exec,
// tls serves a self-signed certificate per appliance and says `ready`).
//
// Addresses: 127.0.92.x, a different block per test case (ctest runs them in parallel).
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <re2/re2.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "providers/ssh/session.h"
#include "providers/ssh/shell.h"
#include "reconciler/pki/certificate.h"
#include "tests/providers/fleet/fleet_test_support.h"
#include "tests/support/fleet_harness.h"
#include "tests/support/must.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

using namespace pkiform;
using pkiform::testing::FleetHarness;
using pkiform::testing::FleetHost;
using pkiform::testing::FleetOptions;
using pkiform::testing::Connect;
using pkiform::testing::Slurp;
using pkiform::testing::StartFleet;
using pkiform::testing::Must;
using pkiform::testing::MustOk;

namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

// The real simulator (tests/CMakeLists.txt defines its path; these cases are [ucm], which only the
// build with the simulator runs).
std::string SimFor(const pkiform::testing::TempDir&) { return PKIFORM_SIM_PATH; }

FleetHost Appliance(const std::string& fqdn, const std::string& address, const std::string& role = "publisher") {
  FleetHost host;
  host.fqdn = fqdn;
  host.address = address;
  host.platform = "ucm";
  host.role = role;
  return host;
}

// The CLI answers; the shell ends with `quit`.
void ExpectCli(ssh::SshSession& session) {
  auto shell = Must(ssh::InteractiveShell::Open(session));
  Must(shell->Expect(RE2("admin:"), milliseconds(10000)));
  MustOk(shell->Send("show nothing-such\n"));
  const std::string answer = Must(shell->Expect(RE2("admin:"), milliseconds(10000)));
  CHECK(answer.find("Executed command unsuccessfully") != std::string::npos);
  MustOk(shell->Send("quit\n"));
}

}  // namespace

TEST_CASE("a ucm host appears next to an openssh host, with its own state, cluster and password", "[fleet][ucm]") {
  pkiform::testing::TempDir tmp;
  FleetOptions options;
  options.simPath = SimFor(tmp);
  options.hosts = {{"web.fleet.test", "127.0.92.1", false}, Appliance("pub.ucm.test", "127.0.92.2"),
                   Appliance("sub.ucm.test", "127.0.92.3", "subscriber")};
  auto fleet = StartFleet(options);
  REQUIRE(fleet->hasAppliances());

  const std::string pubDir = Must(fleet->hostDir("pub.ucm.test"));
  CHECK(fs::exists(pubDir + "/sim.conf"));
  CHECK(fs::exists(Must(fleet->hostDir("sub.ucm.test")) + "/sim.conf"));
  CHECK(fs::is_directory(fleet->fleetDir() + "/clusters/ucm"));
  struct stat st{};
  REQUIRE(stat(pubDir.c_str(), &st) == 0);
  CHECK(st.st_uid == getpwnam(fleet->applianceUser().c_str())->pw_uid);  // pkiform-sim shell writes its state

  // The password: 0600, one line, the one sshd accepts (below).
  REQUIRE(stat(fleet->appliancePasswordPath().c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(std::regex_match(Slurp(fleet->appliancePasswordPath()), std::regex("[A-Za-z0-9]{24}\n")));

  // The openssh host is what it was: a key login and a shell command.
  CHECK(Must(fleet->Exec("web.fleet.test", "echo $PKIFORM_HOST_ADDRESS")) == "127.0.92.1\n");
  // The appliance: its CLI, reached with the password from the file.
  auto session = Connect(Must(fleet->Target("pub.ucm.test")));
  ExpectCli(*session);
}

TEST_CASE("an appliance has no exec channel and no SFTP: host-shell refuses them", "[fleet][ucm]") {
  pkiform::testing::TempDir tmp;
  FleetOptions options;
  options.simPath = SimFor(tmp);
  options.hosts = {Appliance("pub.ucm.test", "127.0.92.11")};
  auto fleet = StartFleet(options);

  auto session = Connect(Must(fleet->Target("pub.ucm.test")));
  auto result = Must(session->Exec("show version active"));
  CHECK(result.exitStatus == 1);
  CHECK(result.err.find("127.0.92.11 is an appliance: no exec channel") != std::string::npos);
  CHECK(result.out.empty());
  auto sftp = session->Sftp();
  CHECK_FALSE(sftp.ok());
  // Exec refused, the session still opens the CLI.
  ExpectCli(*session);
}

TEST_CASE("appliance logins: keyboard-interactive through PAM or password, never a key", "[fleet][ucm]") {
  pkiform::testing::TempDir tmp;
  FleetOptions options;
  options.simPath = SimFor(tmp);
  options.hosts = {Appliance("pub.ucm.test", "127.0.92.21")};

  SECTION("an appliance that offers keyboard-interactive only: pkiform's SshSession answers its prompt") {
    options.appliancePasswordMethod = false;
    auto fleet = StartFleet(options);
    auto session = Connect(Must(fleet->Target("pub.ucm.test")));
    ExpectCli(*session);
    CHECK(fleet->sshd().Log().find("Accepted keyboard-interactive/pam for " + fleet->applianceUser()) !=
          std::string::npos);
  }
  SECTION("the password method works too") {
    auto fleet = StartFleet(options);
    auto session = Connect(Must(fleet->Target("pub.ucm.test")));
    ExpectCli(*session);
    CHECK(fleet->sshd().Log().find("Accepted password for " + fleet->applianceUser()) != std::string::npos);
  }
  SECTION("a wrong password is refused") {
    auto fleet = StartFleet(options);
    ssh::SshTarget target = Must(fleet->Target("pub.ucm.test"));
    target.passwordFile = tmp.Write("wrong-password", "not-the-password\n");
    auto refused = ssh::SshSession::Connect(target);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.status().message().find("refused") != std::string::npos);
  }
  SECTION("the fleet's client key is refused for the appliance user") {
    auto fleet = StartFleet(options);
    ssh::SshTarget target = Must(fleet->Target("pub.ucm.test"));
    target.passwordFile.clear();
    target.identityFile = fleet->clientKeyPath();
    auto refused = ssh::SshSession::Connect(target);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.status().message().find("publickey") != std::string::npos);
  }
  SECTION("OpenSSH's own client logs in with keyboard-interactive and with password") {
    auto fleet = StartFleet(options);
    const std::string askpass = tmp.Write("askpass", "#!/bin/sh\nexec cat '" + fleet->appliancePasswordPath() + "'\n");
    chmod(askpass.c_str(), 0700);
    for (const std::string method : {"keyboard-interactive", "password"}) {
      auto run = Must(pkiform::testing::RunProcess(
          {"ssh", "-n", "-T", "-o", "BatchMode=no", "-o", "StrictHostKeyChecking=yes", "-o", "PreferredAuthentications=" + method, "-o",
           "UserKnownHostsFile=" + fleet->knownHostsPath(), "-o", "NumberOfPasswordPrompts=1", "-p", std::to_string(fleet->port()), "-l", fleet->applianceUser(),
           "127.0.92.21", "show version active"},
          milliseconds(20000), {"SSH_ASKPASS=" + askpass, "SSH_ASKPASS_REQUIRE=force", "DISPLAY=none"}));
      // Logged in (the sshd log says how), then the exec request is refused by host-shell.
      CHECK(run.exitCode == 1);
      CHECK(run.output.find("no exec channel") != std::string::npos);
      const std::string accepted = method == "password" ? "Accepted password for " : "Accepted keyboard-interactive/pam for ";
      CHECK(fleet->sshd().Log().find(accepted + fleet->applianceUser()) != std::string::npos);
    }
  }
}

TEST_CASE("one pkiform-sim tls daemon serves every appliance, and stops with the fleet", "[fleet][ucm]") {
  pkiform::testing::TempDir tmp;
  FleetOptions options;
  options.simPath = SimFor(tmp);
  options.hosts = {Appliance("pub.ucm.test", "127.0.92.31"), Appliance("sub.ucm.test", "127.0.92.32", "subscriber")};
  auto fleet = StartFleet(options);
  for (const auto& [fqdn, address] : {std::pair{"pub.ucm.test", "127.0.92.31"}, {"sub.ucm.test", "127.0.92.32"}}) {
    auto pem = FleetHarness::FetchServedCertificatePem(address, fleet->httpsPort(), fqdn, milliseconds(5000));
    if (!pem.ok()) FAIL(pem.status().ToString() + "\nits log:\n" + fleet->SimTlsLog());
    // tomcat (CN = the FQDN) or, for a client that offers ECDSA first, tomcat-ECDSA (CN = HOST-EC.DOMAIN).
    const std::string cn = Must(pki::Certificate::FromPem(*pem)).Subject().commonName;
    const std::string host = std::string(fqdn).substr(0, std::string(fqdn).find('.'));
    const std::string ecCn = host + "-EC" + std::string(fqdn).substr(host.size());
    CHECK((cn == fqdn || cn == ecCn));
  }
  fleet.reset();
  CHECK_FALSE(FleetHarness::FetchServedCertificatePem("127.0.92.31", 443, "", milliseconds(1000)).ok());
}

TEST_CASE("the fleet harness refuses bad appliance options clearly", "[fleet][ucm]") {
  pkiform::testing::TempDir tmp;
  FleetOptions options;
  options.simPath = SimFor(tmp);
  auto refusal = [&](FleetHost host) {
    options.hosts = {host};
    auto fleet = FleetHarness::Start(options);
    REQUIRE_FALSE(fleet.ok());
    return fleet.status().message();
  };
  FleetHost host = Appliance("pub.ucm.test", "127.0.92.41");
  host.role = "primary";
  CHECK(refusal(host).find("role 'primary' is not publisher or subscriber") != std::string::npos);
  host = Appliance("pub.ucm.test", "127.0.92.41");
  host.release = "12.5";
  CHECK(refusal(host).find("release '12.5' is not 14") != std::string::npos);
  host = Appliance("pub.ucm.test", "127.0.92.41");
  host.nginx = true;
  CHECK(refusal(host).find("runs no nginx") != std::string::npos);
  host = Appliance("pub.ucm.test", "127.0.92.41");
  host.platform = "cucm";
  CHECK(refusal(host).find("platform 'cucm' is not openssh, ucm, vcs or dms") != std::string::npos);
  options.hosts = {Appliance("pub.ucm.test", "127.0.92.41"), Appliance("pub2.ucm.test", "127.0.92.42")};
  auto twoPublishers = FleetHarness::Start(options);
  REQUIRE_FALSE(twoPublishers.ok());
  CHECK(twoPublishers.status().message().find("ucm cluster 'ucm' has 2 publishers") != std::string::npos);
  options.simPath = tmp.path().string() + "/no-such-sim";
  CHECK(refusal(Appliance("pub.ucm.test", "127.0.92.41")).find("no-such-sim is not executable") != std::string::npos);
}
