// pkiform-sim tls: real TLS handshakes against the identities each service runs with,
// and the restarts that change them (rule U13).
#include <catch2/catch.hpp>
#include <future>

#include "tests/sim/sim_test_support.h"

namespace pkiform::simtest {
namespace {

pki::Certificate Own(const fs::path& node, const std::string& unit) {
  auto run = RunShell(node, "show cert own " + unit + "/" + unit + ".pem\nquit\n");
  auto cert = pki::Certificate::FromPem(PemBlock(run.out, "CERTIFICATE"));
  REQUIRE(cert.ok());
  return *cert;
}

}  // namespace

TEST_CASE("HTTPS serves tomcat or tomcat-ECDSA as the client's sigalgs choose and SIP TLS serves CallManager",
          "[sim][rule:U1]") {
  testing::TempDir tmp;
  NodeSpec spec;
  spec.address = "127.0.91.11";
  auto node = InitNode(tmp.path() / "pub", tmp.path() / "cluster", spec);
  TlsDaemon daemon({node}, tmp.path() / "tls.log");
  auto kv = std::ifstream(node / "sim.conf");
  std::string line;
  int https = 0, sip = 0;
  while (std::getline(kv, line)) {
    if (line.starts_with("https-port=")) https = std::stoi(line.substr(11));
    if (line.starts_with("sip-tls-port=")) sip = std::stoi(line.substr(13));
  }
  auto rsa = PeerCertificate(spec.address, https, kRsaSigalgs);
  auto ec = PeerCertificate(spec.address, https, kEcdsaSigalgs);
  auto cm = PeerCertificate(spec.address, sip, kRsaSigalgs);
  auto cmEc = PeerCertificate(spec.address, sip, kEcdsaSigalgs);
  REQUIRE(rsa);
  REQUIRE(ec);
  REQUIRE(cm);
  REQUIRE(cmEc);
  CHECK(*rsa == Own(node, "tomcat"));
  CHECK(*ec == Own(node, "tomcat-ECDSA"));
  CHECK(*cm == Own(node, "CallManager"));
  CHECK(*cmEc == Own(node, "CallManager-ECDSA"));
}

TEST_CASE("an imported identity is served only after its service restarts and the service is down meanwhile",
          "[sim][rule:U13][rule:U8]") {
  testing::TempDir tmp;
  NodeSpec spec;
  spec.address = "127.0.91.12";
  spec.restartMs = 1500;
  spec.httpsPort = FreePort(spec.address);
  auto node = InitNode(tmp.path() / "pub", tmp.path() / "cluster", spec);
  TlsDaemon daemon({node}, tmp.path() / "tls.log");
  auto before = PeerCertificate(spec.address, spec.httpsPort, kRsaSigalgs);
  REQUIRE(before);

  auto ca = TestCa::Make("Test Root CA");
  auto gen = RunShell(node, "set csr gen tomcat\nyes\nshow csr own tomcat/tomcat.csr\nquit\n");
  auto leaf = ca.Sign(PemBlock(gen.out, "CERTIFICATE REQUEST"), {"cucm-pub.example.com"});
  auto import = RunShell(node, "set cert import trust tomcat\n" + Paste(ca.cert.ToPem()) +
                                   "set cert import own tomcat\n" + Paste(leaf.ToPem()) + "quit\n");
  REQUIRE(Count(import.out, "Successfully imported certificate for tomcat.") == 2);
  // Installed, not yet running: the old certificate is still served.
  auto stillOld = PeerCertificate(spec.address, spec.httpsPort, kRsaSigalgs);
  REQUIRE(stillOld);
  CHECK(*stillOld == *before);

  // Restarting another unit's service changes nothing for tomcat.
  auto other = RunShell(node, "utils service restart Cisco CallManager\nquit\n");
  CHECK(Has(other.out, "Cisco CallManager[STARTED]"));
  CHECK(*PeerCertificate(spec.address, spec.httpsPort, kRsaSigalgs) == *before);

  auto restart = std::async(std::launch::async, [&] { return RunShell(node, "utils service restart Cisco Tomcat\n"
                                                                            "utils service list\nquit\n"); });
  // During the restart the endpoint refuses connections.
  CHECK(Eventually([&] { return !PeerCertificate(spec.address, spec.httpsPort, kRsaSigalgs); },
                   std::chrono::milliseconds(1200)));
  auto run = restart.get();
  INFO(run.out);
  CHECK(Has(run.out, "Do not press Ctrl+C while the service is restarting. If the service has not restarted "
                     "properly, execute the same command again.\r\nCisco Tomcat[STOPPING]\r\nCisco Tomcat[STARTING]"
                     "\r\nCisco Tomcat[STARTED]\r\n"));
  CHECK(Has(run.out, "Cisco Tomcat[STARTED]\r\nCisco DRF Local[STARTED]"));
  std::optional<pki::Certificate> after;
  CHECK(Eventually([&] {
    after = PeerCertificate(spec.address, spec.httpsPort, kRsaSigalgs);
    return after && *after == leaf;
  }));
}

TEST_CASE("a failing restart leaves the service down with its old identity", "[sim]") {
  testing::TempDir tmp;
  NodeSpec spec;
  spec.address = "127.0.91.13";
  spec.sipTlsPort = FreePort(spec.address);
  auto node = InitNode(tmp.path() / "pub", tmp.path() / "cluster", spec);
  TlsDaemon daemon({node}, tmp.path() / "tls.log");
  REQUIRE(PeerCertificate(spec.address, spec.sipTlsPort, kRsaSigalgs));
  std::ofstream(node / "faults") << "fail-restart=Cisco CallManager\n";
  auto run = RunShell(node, "set cert regen CallManager\nyes\nutils service restart Cisco CallManager\n"
                            "utils service list\nquit\n");
  INFO(run.out);
  CHECK(Has(run.out, "Cisco CallManager[STOPPING]\r\nCisco CallManager[STARTING]\r\nCisco CallManager[FAILED]\r\n"));
  CHECK(Has(run.out, "Cisco CallManager[STOPPED]\r\n"));
  CHECK(Eventually([&] { return !PeerCertificate(spec.address, spec.sipTlsPort, kRsaSigalgs); }));
  // Without the fault, the restart brings it back with the regenerated identity.
  std::ofstream(node / "faults", std::ios::trunc) << "";
  auto again = RunShell(node, "utils service restart Cisco CallManager\nquit\n");
  CHECK(Has(again.out, "Cisco CallManager[STARTED]"));
  std::optional<pki::Certificate> served;
  CHECK(Eventually([&] {
    served = PeerCertificate(spec.address, spec.sipTlsPort, kRsaSigalgs);
    return served && *served == Own(node, "CallManager");
  }));
}

TEST_CASE("the services listed follow the release: CTI Manager restarts with CallManager before 14SU1",
          "[sim][rule:U13]") {
  testing::TempDir tmp;
  NodeSpec spec;
  spec.release = "14";
  auto node = InitNode(tmp.path() / "pub", tmp.path() / "cluster", spec);
  auto run = RunShell(node, "utils service list\nutils service restart Cisco CTIManager\n"
                            "utils service restart No Such Service\nquit\n");
  INFO(run.out);
  CHECK(Has(run.out, "Cisco CTIManager[STARTED]"));
  CHECK(Has(run.out, "Cisco CTIManager[STARTING]\r\nCisco CTIManager[STARTED]"));
  CHECK(Has(run.out, "Executed command unsuccessfully\r\nService not found: No Such Service"));
  testing::TempDir tmp2;
  NodeSpec su1;
  su1.release = "14SU1";
  auto node2 = InitNode(tmp2.path() / "pub", tmp2.path() / "cluster", su1);
  CHECK_FALSE(Has(RunShell(node2, "utils service list\nquit\n").out, "Cisco CTIManager"));
}

}  // namespace pkiform::simtest

namespace pkiform::simtest {

TEST_CASE("with --fleet the shell finds its node from SSH_CONNECTION and the daemon serves every host", "[sim]") {
  testing::TempDir tmp;
  fs::path fleet = tmp.path() / "fleet";
  NodeSpec a;
  a.address = "127.0.91.21";
  a.httpsPort = FreePort(a.address);
  NodeSpec b;
  b.fqdn = "cucm-sub.example.com";
  b.address = "127.0.91.22";
  b.role = "subscriber";
  b.httpsPort = FreePort(b.address);
  InitNode(fleet / "hosts" / a.address, tmp.path() / "cluster", a);
  InitNode(fleet / "hosts" / b.address, tmp.path() / "cluster", b);
  fs::create_directories(fleet / "hosts" / "127.0.91.23");  // an nginx host of the same fleet: skipped
  auto run = RunShellWith({"--fleet", fleet.string()}, "show network cluster\nshow cert list own\nquit\n",
                          {"SSH_CONNECTION=127.0.0.1 40000 127.0.91.22 22"});
  INFO(run.out);
  CHECK(Has(run.out, "127.0.91.2"));
  CHECK_FALSE(Has(run.out, "CAPF/CAPF.pem"));  // the subscriber answered
  auto bad = RunShellWith({"--fleet", fleet.string()}, "quit\n", {"SSH_CONNECTION=garbage"});
  CHECK(bad.exitCode == 1);
  TlsDaemon daemon({fleet}, tmp.path() / "tls.log", "--fleet");
  auto pubCert = PeerCertificate(a.address, a.httpsPort, kRsaSigalgs);
  auto subCert = PeerCertificate(b.address, b.httpsPort, kRsaSigalgs);
  REQUIRE(pubCert);
  REQUIRE(subCert);
  CHECK(pubCert->Subject().commonName == "cucm-pub.example.com");
  CHECK(subCert->Subject().commonName == "cucm-sub.example.com");
}

}  // namespace pkiform::simtest
