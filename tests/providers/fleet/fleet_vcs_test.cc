// The fleet harness's vcs hosts (Cisco VCS peers simulated by pkiform-sim): two SSH
// logins per peer, the admin account (the xACLI on an interactive PTY shell, exec
// refused) and the root account (exec requests only, the certificate files under
// /tandberg/persistent/certs/), both password-only; the peers of a cluster name each
// other in `xConfiguration Alternates`; SFTP refused on both; the TLS daemon serves the
// installed server certificate on the HTTPS port.
//
// These check the harness and host-shell with the real simulator (docs/platforms/vcs.md,
// "Simulator", has the contract they rely on), not the simulator's own behaviour
// (tests/sim/vcs_*_test.cc).
//
// Addresses: 127.0.102.1-9, a different one per test case (ctest runs them in parallel).
//
// They need pkiform-sim, which the instrumented builds (sanitizers, fuzzing) do not build;
// there (PKIFORM_SIM_BUILT=0, tests/CMakeLists.txt) this file has no cases, as the [ucm]
// appliance cases are left out of those runs by tag.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <re2/re2.h>

#include <chrono>
#include <regex>
#include <thread>

#include "providers/ssh/session.h"
#include "providers/ssh/shell.h"
#include "reconciler/pki/certificate.h"
#include "tests/providers/fleet/fleet_test_support.h"
#include "tests/support/fleet_harness.h"
#include "tests/support/must.h"

#if PKIFORM_SIM_BUILT

using namespace pkiform;
using namespace pkiform::testing;  // the harness, its test helpers, Must

namespace {

using std::chrono::milliseconds;

FleetHost Peer(const std::string& fqdn, const std::string& address) {
  FleetHost host;
  host.fqdn = fqdn;
  host.address = address;
  host.platform = "vcs";
  return host;
}

FleetOptions VcsOptions(std::vector<FleetHost> hosts) {
  FleetOptions options;
  options.simPath = PKIFORM_SIM_PATH;
  options.hosts = std::move(hosts);
  return options;
}

// The xACLI's end of an answer: a line `OK` (the shell has no prompt).
const RE2& AnswerEnd() {
  static const RE2 re("(?m)^OK\n");
  return re;
}

}  // namespace

TEST_CASE("a two-peer vcs fleet: the admin xACLI, the root door, Alternates and the served certificate",
          "[fleet][vcs]") {
  auto fleet = StartFleet(VcsOptions({Peer("vcs1.example.test", "127.0.102.1"), Peer("vcs2.example.test", "127.0.102.2")}));
  REQUIRE(fleet->hasAppliances());
  REQUIRE(fleet->hasVcs());

  // The peers' state, marked vcs for host-shell; the root password like the appliance one.
  CHECK(Slurp(Must(fleet->hostDir("vcs1.example.test")) + "/sim.conf").find("platform=vcs\n") != std::string::npos);
  CHECK(fleet->rootUser() == "pkiform-vcsroot");
  REQUIRE(fleet->rootPasswordPath() == fleet->fleetDir() + "/ssh/root-password");
  struct stat st{};
  REQUIRE(stat(fleet->rootPasswordPath().c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(std::regex_match(Slurp(fleet->rootPasswordPath()), std::regex("[A-Za-z0-9]{24}\n")));
  CHECK(Slurp(fleet->rootPasswordPath()) != Slurp(fleet->appliancePasswordPath()));

  SECTION("the admin target: the banner, xStatus SystemUnit, the other peer in Alternates; exec refused") {
    auto session = Connect(Must(fleet->Target("vcs1.example.test")));
    auto exec = Must(session->Exec("xStatus SystemUnit"));
    CHECK(exec.exitStatus == 1);
    CHECK(exec.err.find("exec requests are not supported") != std::string::npos);
    CHECK(exec.out.empty());

    auto shell = Must(ssh::InteractiveShell::Open(*session));
    Must(shell->Expect(RE2("TANDBERG Video Communication Server X8\\.1\\.1\n"), milliseconds(10000)));
    MustOk(shell->Send("xStatus SystemUnit\n"));
    const std::string unit = Must(shell->Expect(AnswerEnd(), milliseconds(10000)));
    CHECK(unit.find("Product: \"TANDBERG VCS\"") != std::string::npos);
    CHECK(unit.find("Software Version: \"X8.1.1\"") != std::string::npos);
    MustOk(shell->Send("xConfiguration Alternates\n"));
    const std::string alternates = Must(shell->Expect(AnswerEnd(), milliseconds(10000)));
    CHECK(alternates.find("Alternates ClusterName: \"vcs.example.test\"") != std::string::npos);
    CHECK(alternates.find("Alternates Peer 1 Address: \"127.0.102.2\"") != std::string::npos);
    CHECK(alternates.find("127.0.102.1") == std::string::npos);  // the other peers only
    MustOk(shell->Send("bye\n"));
  }
  SECTION("the root target: exec prints the factory certificate, the one served over HTTPS") {
    auto session = Connect(Must(fleet->RootTarget("vcs2.example.test")));
    auto tail = Must(session->Exec("tail -n +1 /tandberg/persistent/certs/server.pem"));
    REQUIRE(tail.exitStatus == 0);
    const auto installed = Must(pki::Certificate::FromPem(tail.out));
    CHECK(tail.out == Slurp(Must(fleet->hostDir("vcs2.example.test")) + "/certs/server.pem"));
    auto served = FleetHarness::FetchServedCertificatePem("127.0.102.2", fleet->httpsPort(), "vcs2.example.test",
                                                          milliseconds(5000));
    if (!served.ok()) FAIL(served.status().ToString() + "\nthe TLS daemon's log:\n" + fleet->SimTlsLog());
    CHECK(Must(pki::Certificate::FromPem(*served)).FingerprintSha256() == installed.FingerprintSha256());
    // SIP TLS and the MRA endpoint serve it too, on the fleet's ports.
    for (int port : {fleet->sipTlsPort(), fleet->mraPort()}) {
      auto pem = FleetHarness::FetchServedCertificatePem("127.0.102.2", port, "vcs2.example.test", milliseconds(5000));
      if (!pem.ok()) FAIL("port " + std::to_string(port) + ": " + pem.status().ToString());
      CHECK(Must(pki::Certificate::FromPem(*pem)).FingerprintSha256() == installed.FingerprintSha256());
    }
    // The other peer has a factory identity of its own.
    auto other = Must(FleetHarness::FetchServedCertificatePem("127.0.102.1", fleet->httpsPort(), "vcs1.example.test",
                                                              milliseconds(5000)));
    CHECK(Must(pki::Certificate::FromPem(other)).FingerprintSha256() != installed.FingerprintSha256());
    // The private key stays unreadable even to the root door.
    auto key = Must(session->Exec("tail -n +1 /tandberg/persistent/certs/privkey.pem"));
    CHECK(key.exitStatus != 0);
    CHECK(key.out.find("PRIVATE KEY") == std::string::npos);
    CHECK(fleet->sshd().Log().find("Accepted password for " + fleet->rootUser()) != std::string::npos);
  }
  SECTION("SFTP is refused on both logins; the root login takes no shell") {
    for (bool root : {false, true}) {
      auto session = Connect(Must(root ? fleet->RootTarget("vcs1.example.test") : fleet->Target("vcs1.example.test")));
      CHECK_FALSE(session->Sftp().ok());
    }
    auto root = Connect(Must(fleet->RootTarget("vcs1.example.test")));
    auto shell = Must(ssh::InteractiveShell::Open(*root));
    CHECK_FALSE(shell->Expect(RE2("TANDBERG"), milliseconds(3000)).ok());
  }
  SECTION("the root login is password-only and no other host has one") {
    ssh::SshTarget keyed = Must(fleet->RootTarget("vcs1.example.test"));
    keyed.passwordFile.clear();
    keyed.identityFile = fleet->clientKeyPath();
    CHECK_FALSE(ssh::SshSession::Connect(keyed).ok());
    ssh::SshTarget wrong = Must(fleet->RootTarget("vcs1.example.test"));
    wrong.passwordFile = fleet->appliancePasswordPath();  // the admin's password is not root's
    CHECK_FALSE(ssh::SshSession::Connect(wrong).ok());
    CHECK(fleet->RootTarget("nowhere.example.test").status().code() == Status::Code::kNotFound);
  }
}

TEST_CASE("a vcs peer beside a ucm node and an openssh host: each keeps its own door", "[fleet][vcs]") {
  FleetHost ucm;
  ucm.fqdn = "pub.ucm.test";
  ucm.address = "127.0.102.5";
  ucm.platform = "ucm";
  auto fleet = StartFleet(
      VcsOptions({{"web.fleet.test", "127.0.102.4", false}, ucm, Peer("vcs.example.test", "127.0.102.6")}));
  // ucm: still no exec channel; openssh: still a Linux shell.
  auto ucmSession = Connect(Must(fleet->Target("pub.ucm.test")));
  auto refused = Must(ucmSession->Exec("show version active"));
  CHECK(refused.exitStatus == 1);
  CHECK(refused.err.find("127.0.102.5 is an appliance: no exec channel") != std::string::npos);
  CHECK(Must(fleet->Exec("web.fleet.test", "echo $PKIFORM_HOST_ADDRESS")) == "127.0.102.4\n");
  CHECK(fleet->RootTarget("pub.ucm.test").status().code() == Status::Code::kInvalidInput);
  CHECK(fleet->RootTarget("web.fleet.test").status().code() == Status::Code::kInvalidInput);
  // A lone peer: an empty Alternates peer list, its root door answers.
  auto root = Connect(Must(fleet->RootTarget("vcs.example.test")));
  auto ls = Must(root->Exec("tail -n +1 /tandberg/persistent/certs/ca.pem"));
  CHECK(ls.exitStatus == 0);
  CHECK(ls.out.find("-----BEGIN CERTIFICATE-----") != std::string::npos);
}

TEST_CASE("a vcs restart in the fleet: sessions end, logins and TLS are down for restart-ms, then back",
          "[fleet][vcs]") {
  FleetOptions options = VcsOptions({Peer("vcs.example.test", "127.0.102.8")});
  options.applianceRestartMs = 4000;
  auto fleet = StartFleet(options);
  auto session = Connect(Must(fleet->Target("vcs.example.test")));
  auto shell = Must(ssh::InteractiveShell::Open(*session));
  Must(shell->Expect(RE2("TANDBERG Video Communication Server"), milliseconds(10000)));
  MustOk(shell->Send("xCommand Restart\n"));
  const std::string answer = Must(shell->Expect(AnswerEnd(), milliseconds(10000)));
  CHECK(answer.find("*r RestartResult (status=OK):") != std::string::npos);
  // The session is dropped within 2 s: nothing more comes.
  CHECK_FALSE(shell->Expect(RE2("never printed"), milliseconds(3000)).ok());

  // Down: the root door turns the login away, TLS refuses.
  auto root = Connect(Must(fleet->RootTarget("vcs.example.test")));
  auto refused = Must(root->Exec("tail -n +1 /tandberg/persistent/certs/server.pem"));
  CHECK(refused.exitStatus == 255);
  CHECK(refused.err.find("vcs.example.test is restarting") != std::string::npos);
  CHECK_FALSE(
      FleetHarness::FetchServedCertificatePem("127.0.102.8", fleet->httpsPort(), "", milliseconds(1000)).ok());

  // Up again within restart-ms and a little: TLS serves, the root door answers.
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  bool up = false;
  while (!up && std::chrono::steady_clock::now() < end) {
    up = FleetHarness::FetchServedCertificatePem("127.0.102.8", fleet->httpsPort(), "", milliseconds(500)).ok();
    if (!up) std::this_thread::sleep_for(milliseconds(100));
  }
  REQUIRE(up);
  auto again = Connect(Must(fleet->RootTarget("vcs.example.test")));
  CHECK(Must(again->Exec("tail -n +1 /tandberg/persistent/certs/server.pem")).exitStatus == 0);
}

TEST_CASE("the fleet harness refuses bad vcs options clearly", "[fleet][vcs]") {
  auto refusal = [](FleetOptions options) {
    auto fleet = FleetHarness::Start(options);
    REQUIRE_FALSE(fleet.ok());
    return fleet.status().message();
  };
  FleetHost host = Peer("vcs1.example.test", "127.0.102.9");
  host.release = "14SU1";
  CHECK(refusal(VcsOptions({host})).find("release '14SU1' is not a vcs X8 release") != std::string::npos);
  host = Peer("vcs1.example.test", "127.0.102.9");
  host.nginx = true;
  CHECK(refusal(VcsOptions({host})).find("a vcs appliance runs no nginx") != std::string::npos);
  FleetHost other = Peer("vcs2.other.test", "127.0.102.8");
  CHECK(refusal(VcsOptions({Peer("vcs1.example.test", "127.0.102.9"), other})).find("two cluster FQDNs") !=
        std::string::npos);
  FleetOptions root = VcsOptions({Peer("vcs1.example.test", "127.0.102.9")});
  root.applianceRootUser = "root";
  CHECK(refusal(root).find("never the machine's root") != std::string::npos);
  CHECK(Peer("a.b.example.test", "127.0.102.9").ClusterFqdn() == "vcs.b.example.test");
  CHECK(Peer("a.b.example.test", "127.0.102.9").Release() == "X8.1.1");
}

#endif  // PKIFORM_SIM_BUILT
