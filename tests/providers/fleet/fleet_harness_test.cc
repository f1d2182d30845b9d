// The fleet harness itself: one sshd, many hosts with their own files at the
// same paths, SFTP and exec through host-shell, and nginx per host serving the
// identity that is installed over SSH.
//
// Addresses: 127.0.77.x, a different block per test case so that test cases
// run in parallel by ctest do not share nginx's port on one address.
#include "tests/providers/fleet/fleet_test_support.h"
#include "tests/support/fleet_harness.h"
#include "tests/support/must.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <re2/re2.h>
#include <sstream>
#include <thread>

#include "providers/ssh/remote_files.h"
#include "providers/ssh/session.h"
#include "providers/ssh/sftp.h"
#include "providers/ssh/shell.h"
#include "reconciler/pki/certificate.h"
#include "reconciler/pki/key.h"
#include "reconciler/pki/signer.h"

using namespace pkiform;
using pkiform::testing::FleetHarness;
using pkiform::testing::FleetHost;
using pkiform::testing::FleetOptions;
using pkiform::testing::Connect;
using pkiform::testing::Slurp;
using pkiform::testing::StartFleet;

namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

using pkiform::testing::Must;
using pkiform::testing::MustOk;

ssh::SftpClient& SftpOf(ssh::SshSession& session) {
  auto sftp = session.Sftp();
  if (!sftp.ok()) FAIL(sftp.status().ToString());
  return **sftp;
}

std::string FingerprintOfPem(const std::string& pem) { return Must(pki::Certificate::FromPem(pem)).FingerprintSha256(); }

std::string ServedFingerprint(const FleetHarness& fleet, const std::string& fqdn) {
  const std::string address = Must(fleet.address(fqdn));
  return FingerprintOfPem(
      Must(FleetHarness::FetchServedCertificatePem(address, fleet.nginxPort(), fqdn, milliseconds(2000))));
}

struct Identity {
  std::string certPem;
  std::string keyPem;
};

Identity NewIdentity(const std::string& fqdn) {
  auto key = Must(pki::PrivateKey::Generate(pki::KeySpec::Ecdsa("P-256")));
  pki::SigningPolicy policy;
  policy.subject.commonName = fqdn;
  policy.subject.organization = "fleet harness test (replacement)";
  policy.dnsNames = {fqdn};
  policy.notBefore =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) - std::chrono::hours(1);
  policy.validity = std::chrono::hours(24);
  auto cert = Must(pki::SelfSign(key, policy));
  return {cert.ToPem(), Must(key.ToPem()).str()};
}

}  // namespace

TEST_CASE("fleet hosts see their own files at the same absolute path", "[fleet]") {
  FleetOptions options;
  options.hosts = {{"a.fleet.test", "127.0.77.1", false}, {"b.fleet.test", "127.0.77.2", false}};
  auto fleet = StartFleet(options);
  const std::string path = std::string(FleetHarness::kHostRoot) + "/tls/x";

  auto a = Connect(Must(fleet->Target("a.fleet.test")));
  MustOk(SftpOf(*a).Upload(path, "only on a\n", 0644));

  // Host a has it, here in its directory and there at the fixed path.
  CHECK(Slurp(Must(fleet->hostDir("a.fleet.test")) + "/tls/x") == "only on a\n");
  CHECK(Must(SftpOf(*a).Download(path)) == "only on a\n");
  CHECK(Must(fleet->Exec("a.fleet.test", "cat " + path)) == "only on a\n");

  // Host b, same sshd, same path: absent.
  CHECK_FALSE(fs::exists(Must(fleet->hostDir("b.fleet.test")) + "/tls/x"));
  auto b = Connect(Must(fleet->Target("b.fleet.test")));
  CHECK_FALSE(Must(SftpOf(*b).Stat(path)).has_value());
  auto test = Must(b->Exec("test -e " + path));
  CHECK(test.exitStatus == 1);
  CHECK_FALSE(fleet->Exec("b.fleet.test", "cat " + path).ok());

  // Each host knows which one it is; commands run as "root" with sbin in PATH.
  CHECK(Must(fleet->Exec("a.fleet.test", "echo $PKIFORM_HOST_ADDRESS")) == "127.0.77.1\n");
  CHECK(Must(fleet->Exec("b.fleet.test", "echo $PKIFORM_HOST_ADDRESS")) == "127.0.77.2\n");
  CHECK(Must(fleet->Exec("b.fleet.test", "id -u; command -v nginx")) == "0\n/usr/sbin/nginx\n");

  // known_hosts also names the hosts by address (no alias).
  auto byAddress = Connect(fleet->sshd().Target("127.0.77.2"));
  CHECK(Must(byAddress->Exec("echo $PKIFORM_HOST_ADDRESS")).out == "127.0.77.2\n");

  CHECK_FALSE(fleet->hostDir("c.fleet.test").ok());
  CHECK_FALSE(fleet->Exec("c.fleet.test", "true").ok());
}

TEST_CASE("an interactive shell runs in the host's namespace", "[fleet]") {
  FleetOptions options;
  options.hosts = {{"a.fleet.test", "127.0.77.5", false}};
  auto fleet = StartFleet(options);
  std::ofstream(Must(fleet->hostDir("a.fleet.test")) + "/tls/marker") << "marker-of-a";

  auto session = Connect(Must(fleet->Target("a.fleet.test")));
  auto shell = Must(session->OpenShell());
  MustOk(shell->Send("cat /srv/pkiform-host/tls/marker; echo; echo DONE-$((40+2))\n"));
  std::string out = Must(shell->Expect(RE2("DONE-42"), milliseconds(5000)));
  CHECK(out.find("marker-of-a") != std::string::npos);
}

TEST_CASE("an address without a host is refused by host-shell", "[fleet]") {
  FleetOptions options;
  options.hosts = {{"a.fleet.test", "127.0.77.9", false}};
  auto fleet = StartFleet(options);
  ssh::SshTarget target = Must(fleet->Target("a.fleet.test"));
  target.host = "127.0.77.250";  // same sshd (0.0.0.0), no host directory
  auto session = Connect(target);
  auto result = Must(session->Exec("true"));
  CHECK(result.exitStatus == 1);
  CHECK(result.err.find("no simulated host at 127.0.77.250") != std::string::npos);
  CHECK_FALSE(session->Sftp().ok());
}

TEST_CASE("SFTP uploads through host-shell replace files atomically", "[fleet]") {
  FleetOptions options;
  options.hosts = {{"a.fleet.test", "127.0.77.11", false}};
  auto fleet = StartFleet(options);
  const std::string localDir = Must(fleet->hostDir("a.fleet.test")) + "/tls";
  const std::string remote = std::string(FleetHarness::kHostRoot) + "/tls/server.key";
  std::ofstream(localDir + "/server.key") << "old key";

  auto session = Connect(Must(fleet->Target("a.fleet.test")));
  ssh::SftpClient& sftp = SftpOf(*session);
  CHECK(sftp.hasPosixRename());  // sftp-server, not internal-sftp, and it offers it

  std::string tempSeen, contentBeforeRename;
  sftp.SetUploadHooksForTesting({nullptr, [&](const std::string& temp) {
                                   tempSeen = temp;
                                   contentBeforeRename = Slurp(localDir + "/server.key");
                                 }});
  MustOk(sftp.Upload(remote, "new key\n", 0600));

  CHECK(tempSeen.rfind(std::string(FleetHarness::kHostRoot) + "/tls/.server.key.pkiform-tmp-", 0) == 0);
  CHECK(contentBeforeRename == "old key");  // readers saw the old file until the rename
  CHECK(Slurp(localDir + "/server.key") == "new key\n");
  std::vector<std::string> names;
  for (auto& e : fs::directory_iterator(localDir)) names.push_back(e.path().filename().string());
  CHECK(names == std::vector<std::string>{"server.key"});  // no temporary file left

  // On the host the file is root's, 0600; here it belongs to the login user.
  auto st = Must(sftp.Stat(remote));
  REQUIRE(st.has_value());
  CHECK(st->uid == 0);
  CHECK(st->mode == 0600);
  struct stat local{};
  REQUIRE(::stat((localDir + "/server.key").c_str(), &local) == 0);
  struct passwd* pw = ::getpwnam(fleet->user().c_str());
  REQUIRE(pw != nullptr);
  CHECK(local.st_uid == pw->pw_uid);
  CHECK((local.st_mode & 07777) == 0600);
}

TEST_CASE("a fleet without SFTP refuses it everywhere; files go over exec into the host's namespace", "[fleet]") {
  FleetOptions options;
  options.hosts = {{"a.fleet.test", "127.0.83.101", false}};
  options.sftp = false;
  auto fleet = StartFleet(options);
  const std::string localDir = Must(fleet->hostDir("a.fleet.test")) + "/tls";
  const std::string remote = std::string(FleetHarness::kHostRoot) + "/tls/server.key";
  std::ofstream(localDir + "/server.key") << "old key";

  auto session = Connect(Must(fleet->Target("a.fleet.test")));
  auto sftp = session->Sftp();  // sshd has no Subsystem line: refused before host-shell runs
  REQUIRE_FALSE(sftp.ok());
  CHECK(sftp.status().code() == Status::Code::kUnsupported);
  // Nor does host-shell start an SFTP server for a command that names one.
  for (const std::string command : {"internal-sftp", "/usr/lib/openssh/sftp-server"}) {
    auto r = Must(session->Exec(command));
    CHECK(r.exitStatus == 1);
    CHECK(r.err.find("this fleet has no SFTP subsystem") != std::string::npos);
  }

  ssh::RemoteFiles* files = Must(session->Files());
  REQUIRE(files->transport() == "exec");
  MustOk(files->Upload(remote, "new key\n", 0600));
  CHECK(Slurp(localDir + "/server.key") == "new key\n");
  std::vector<std::string> names;
  for (auto& e : fs::directory_iterator(localDir)) names.push_back(e.path().filename().string());
  CHECK(names == std::vector<std::string>{"server.key"});
  auto st = Must(files->Stat(remote));
  REQUIRE(st.has_value());
  CHECK(st->uid == 0);  // root on the host, the login user here
  CHECK(st->mode == 0600);
  CHECK(Must(files->Download(remote)) == "new key\n");
}

TEST_CASE("nginx on each host serves the identity installed over SSH after a reload", "[fleet]") {
  FleetOptions options;
  options.hosts = {{"c.fleet.test", "127.0.77.21", true}, {"d.fleet.test", "127.0.77.22", true}};
  auto fleet = StartFleet(options);
  REQUIRE(fleet->nginxPort() == 8443);
  const std::string tls = std::string(FleetHarness::kHostRoot) + "/tls";

  // Each host serves its own bootstrap certificate, for its own name.
  const std::string cDir = Must(fleet->hostDir("c.fleet.test"));
  const std::string dDir = Must(fleet->hostDir("d.fleet.test"));
  const std::string cBootstrap = FingerprintOfPem(Slurp(cDir + "/tls/fullchain.pem"));
  const std::string dBootstrap = FingerprintOfPem(Slurp(dDir + "/tls/fullchain.pem"));
  CHECK(cBootstrap != dBootstrap);
  CHECK(ServedFingerprint(*fleet, "c.fleet.test") == cBootstrap);
  CHECK(ServedFingerprint(*fleet, "d.fleet.test") == dBootstrap);
  auto served = Must(pki::Certificate::FromPem(
      Must(FleetHarness::FetchServedCertificatePem("127.0.77.21", 8443, "c.fleet.test", milliseconds(2000)))));
  CHECK(served.Subject().commonName == "c.fleet.test");
  CHECK(served.IpAddresses() == std::vector<std::string>{"127.0.77.21"});

  // As on a real host, the configuration can be tested over SSH.
  CHECK_THAT(Must(fleet->Exec("c.fleet.test", "nginx -c /srv/pkiform-host/nginx/nginx.conf -t 2>&1")),
             Catch::Matchers::Contains("test is successful"));

  // Install a new identity on c over SFTP and reload nginx over SSH.
  const Identity next = NewIdentity("c.fleet.test");
  {
    auto session = Connect(Must(fleet->Target("c.fleet.test")));
    MustOk(SftpOf(*session).Upload(tls + "/server.key", next.keyPem, 0600));
    MustOk(SftpOf(*session).Upload(tls + "/fullchain.pem", next.certPem, 0644));
    auto reload = Must(session->Exec(FleetHarness::kNginxReloadCommand));
    INFO(reload.err << fleet->NginxErrorLog("c.fleet.test"));
    REQUIRE(reload.exitStatus == 0);
  }
  // The master re-reads its configuration asynchronously: poll, bounded.
  const std::string want = FingerprintOfPem(next.certPem);
  std::string now;
  for (auto end = std::chrono::steady_clock::now() + milliseconds(5000); std::chrono::steady_clock::now() < end;) {
    now = ServedFingerprint(*fleet, "c.fleet.test");
    if (now == want) break;
    std::this_thread::sleep_for(milliseconds(20));
  }
  INFO(fleet->NginxErrorLog("c.fleet.test"));
  CHECK(now == want);
  CHECK(ServedFingerprint(*fleet, "d.fleet.test") == dBootstrap);  // the other host is untouched

  // A key that does not match the certificate: nginx -s reload loads both
  // before signalling, fails, and the previous identity stays served.
  const Identity other = NewIdentity("d.fleet.test");
  {
    auto session = Connect(Must(fleet->Target("d.fleet.test")));
    MustOk(SftpOf(*session).Upload(tls + "/server.key", other.keyPem, 0600));
    MustOk(SftpOf(*session).Upload(tls + "/fullchain.pem", next.certPem, 0644));
    auto reload = Must(session->Exec(FleetHarness::kNginxReloadCommand));
    CHECK(reload.exitStatus != 0);
    CHECK(reload.err.find("key values mismatch") != std::string::npos);
  }
  CHECK(ServedFingerprint(*fleet, "d.fleet.test") == dBootstrap);
}

TEST_CASE("the fleet harness refuses bad options and a busy nginx port clearly", "[fleet]") {
  FleetOptions duplicate;
  duplicate.hosts = {{"a.fleet.test", "127.0.77.31", false}, {"b.fleet.test", "127.0.77.31", false}};
  auto refused = FleetHarness::Start(duplicate);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().message().find("127.0.77.31 appears twice") != std::string::npos);

  FleetOptions notLoopback;
  notLoopback.hosts = {{"a.fleet.test", "10.0.0.1", false}};
  CHECK_FALSE(FleetHarness::Start(notLoopback).ok());

  // Something already listens where the host's nginx should.
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  REQUIRE(inet_pton(AF_INET, "127.0.77.32", &addr.sin_addr) == 1);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::listen(fd, 4) == 0);
  socklen_t len = sizeof addr;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  FleetOptions busy;
  busy.hosts = {{"a.fleet.test", "127.0.77.32", true}};
  busy.nginxPort = ntohs(addr.sin_port);
  auto failed = FleetHarness::Start(busy);
  ::close(fd);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.status().message().find("127.0.77.32:" + std::to_string(busy.nginxPort) + " is already in use") !=
        std::string::npos);
}
