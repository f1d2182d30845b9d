// pkiform-sim, platform vcs: the admin xACLI and the root exec emulator of the CLI contract
// (docs/platforms/vcs.md), driven over pipes (`pkiform-sim shell --dir`, the login in USER
// and exec requests in SSH_ORIGINAL_COMMAND as sshd sets them). Loopback 127.0.100.x only.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "reconciler/pki/certificate_file.h"
#include "reconciler/pki/crl.h"
#include "reconciler/pki/csr.h"
#include "reconciler/pki/digest.h"
#include "tests/sim/vcs_test_support.h"

namespace pkiform::simtest {
namespace {

const std::string kOk = "*r/end\r\nOK\r\n";

std::string Refusal(const std::string& name, const std::string& reason) {
  return "*r " + name + "Result (status=Error):\r\n    Reason: " + reason + "\r\n*r/end\r\nOK\r\n";
}

std::string Upload(const std::string& cert, const std::string& key = "") {
  return "xCommand Certificates Server Upload CertificateFile: \"/tmp/pkiform/" + cert + "\"" +
         (key.empty() ? "" : " KeyFile: \"/tmp/pkiform/" + key + "\"");
}

pki::TimePoint Now() { return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()); }

// A certificate for `key` signed by `ca` without a CSR (the "CSR made elsewhere" path).
pki::Certificate SignKey(const TestCa& ca, const pki::PrivateKey& key, const std::string& cn,
                         std::set<std::string> eku = {"serverAuth", "clientAuth"}) {
  pki::SigningPolicy p;
  p.subject.commonName = cn;
  p.dnsNames = {cn};
  p.extendedKeyUsage = std::move(eku);
  p.notBefore = Now() - std::chrono::minutes(5);
  p.validity = std::chrono::hours(24 * 30);
  auto cert = pki::SignPublicKey(key.get(), ca.cert, ca.key, p);
  REQUIRE(cert.ok());
  return *cert;
}

std::string KeyPem(const pki::PrivateKey& key) {
  auto pem = key.ToPem();
  REQUIRE(pem.ok());
  return pem->str();
}

std::string ReadFileText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Reads a result line's date ("Dec 06 2026", UTC) back as the midnight it names.
std::optional<pki::TimePoint> ParseDate(const std::string& text) {
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%b %d %Y", &tm);
  if (!end || *end != '\0' || text.size() != 11) return std::nullopt;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

}  // namespace

TEST_CASE("vcs admin shell: banner, OK framing, xStatus, echo off, unknown command, bye, CRLF", "[sim][vcs]") {
  testing::TempDir tmp;
  VcsPeer peer(tmp.path() / "vcs1", {});
  auto run = peer.Admin(
      "echo off\nxstatus SystemUnit\nno such thing\n\nxConfiguration Nothing Here\nbye\n"
      "xStatus SystemUnit\n");
  INFO(run.out);
  CHECK(run.exitCode == 0);
  CHECK(run.out.starts_with("TANDBERG Video Communication Server X8.1.1\r\n\r\nOK\r\n"));
  CHECK(Has(run.out,
            "*s SystemUnit: /\r\n*s SystemUnit Product: \"TANDBERG VCS\"\r\n"
            "*s SystemUnit Software Version: \"X8.1.1\"\r\n*s SystemUnit Software Build: \"pkiform-sim\"\r\n"
            "*s SystemUnit ExpresswaySeries: \"False\"\r\n*s/end\r\nOK\r\n"));
  CHECK(Count(run.out, Refusal("Command", "Unknown command")) == 2);
  CHECK(Count(run.out, "*s/end") == 1);  // nothing after bye
  for (size_t i = 0; i < run.out.size(); ++i)
    if (run.out[i] == '\n') REQUIRE((i > 0 && run.out[i - 1] == '\r'));
  // The admin account takes no exec request; absurd lines are refused and the session goes on.
  auto exec = RunShell(peer.dir, "", {kAdminEnv, "SSH_ORIGINAL_COMMAND=xStatus SystemUnit"});
  CHECK(exec.exitCode == 1);
  CHECK(Has(exec.err, "exec requests are not supported"));
  CHECK(exec.out.empty());
  auto longLine = peer.Admin(std::string(100000, 'x') + "\nxStatus SystemUnit\nbye\n");
  CHECK(Has(longLine.out, "Reason: Line too long (more than 4096 characters)"));
  CHECK(Has(longLine.out, "*s/end"));
  // Control bytes of the input are never echoed raw.
  auto ctl = peer.Command("xConfiguration SIP TLS CertificateRevocationChecking Mode: \"\x1b[2J\"");
  CHECK(Has(ctl, "Invalid value for Mode: \\x1b[2J"));
}

TEST_CASE("vcs factory state: a temporary CA and a server certificate it issued, nothing else",
          "[sim][vcs][rule:V17]") {
  testing::TempDir tmp;
  VcsPeer peer(tmp.path() / "vcs1", {});
  auto server = pki::Certificate::FromPem(peer.File("server.pem").value_or(""));
  auto cas = pki::ParseCertificates(peer.File("ca.pem").value_or(""));
  REQUIRE(server.ok());
  REQUIRE(cas.ok());
  REQUIRE(cas->size() == 1);
  const auto& ca = cas->front();
  CHECK(ca.Subject().commonName.starts_with("Temporary CA "));
  CHECK(ca.Subject().organization == ca.Subject().commonName);
  CHECK(ca.IsSelfSigned());
  CHECK(ca.IsCa());
  CHECK(server->Issuer() == ca.Subject());
  CHECK(server->Subject().commonName == "vcs1.example.com");
  CHECK(server->DnsNames() == std::vector<std::string>{"vcs1.example.com"});
  CHECK(server->ExtendedKeyUsage() == std::set<std::string>{"serverAuth", "clientAuth"});
  CHECK(server->Key() == pki::KeySpec::Rsa(2048));
  // Per peer: another peer has another temporary CA.
  VcsPeer other(tmp.path() / "vcs2", {"vcs2.example.com", "127.0.100.2"});
  auto otherCa = pki::Certificate::FromPem(other.File("ca.pem").value_or(""));
  REQUIRE(otherCa.ok());
  CHECK_FALSE(*otherCa == ca);
  // No CSR, no CRL; the private key is 0600 and never printed.
  auto tail = peer.Root(
      "tail -n +1 /tandberg/persistent/certs/server.pem /tandberg/persistent/certs/ca.pem "
      "/tandberg/persistent/certs/generated_csr/csr.pem /tandberg/persistent/certs/crl/manual.pem");
  INFO(tail.out << tail.err);
  CHECK(tail.exitCode == 1);
  CHECK(tail.out.starts_with("==> /tandberg/persistent/certs/server.pem <==\n-----BEGIN CERTIFICATE-----\n"));
  CHECK(Has(tail.out, "-----END CERTIFICATE-----\n\n==> /tandberg/persistent/certs/ca.pem <==\n"));
  CHECK(tail.err ==
        "tail: cannot open '/tandberg/persistent/certs/generated_csr/csr.pem' for reading: No such file or directory\n"
        "tail: cannot open '/tandberg/persistent/certs/crl/manual.pem' for reading: No such file or directory\n");
  struct stat st {};
  REQUIRE(stat((peer.dir / "certs" / "privkey.pem").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  auto key = peer.Root("tail -n +1 /tandberg/persistent/certs/privkey.pem");
  CHECK(key.exitCode == 1);
  CHECK(key.err == "tail: cannot open '/tandberg/persistent/certs/privkey.pem' for reading: Permission denied\n");
  CHECK_FALSE(Has(key.out, "PRIVATE KEY"));
}

TEST_CASE("vcs settings: factory values, writes and their refusals", "[sim][vcs][rule:V10][rule:V13]") {
  testing::TempDir tmp;
  VcsPeer peer(tmp.path() / "vcs1", {});
  const std::string crl = "xConfiguration Certificates CRL Automatic ";
  const std::string sip = "xConfiguration SIP TLS CertificateRevocationChecking ";
  auto factory = peer.Command("xConfiguration Certificates CRL Automatic\n" + sip);
  INFO(factory);
  CHECK(Has(factory,
            "*c xConfiguration Certificates CRL Automatic Mode: Off\r\n"
            "*c xConfiguration Certificates CRL Automatic DistributionPoints: \"\"\r\n"
            "*c xConfiguration Certificates CRL Automatic UpdateTime: \"01:00\"\r\nOK\r\n"));
  CHECK(Has(factory,
            "*c xConfiguration SIP TLS CertificateRevocationChecking Mode: Off\r\n"
            "*c xConfiguration SIP TLS CertificateRevocationChecking OCSP: On\r\n"
            "*c xConfiguration SIP TLS CertificateRevocationChecking CRL: On\r\n"
            "*c xConfiguration SIP TLS CertificateRevocationChecking CDP: On\r\n"
            "*c xConfiguration SIP TLS CertificateRevocationChecking FallbackBehavior: NotRevoked\r\nOK\r\n"));
  auto alternates = peer.Command("xConfiguration Alternates");
  CHECK(Has(alternates,
            "*c xConfiguration Alternates ClusterName: \"vcs.example.com\"\r\n"
            "*c xConfiguration Alternates Peer 1 Address: \"\"\r\n"));
  CHECK(Count(alternates, "Address: ") == 6);

  SECTION("V10: HTTP(S) distribution points, the daily time in UTC") {
    auto run = peer.Admin(crl + "Mode: On\n" + crl +
                          "DistributionPoints: \"http://crl.example.com/a.crl   https://crl2.example.com/b.crl\"\n" +
                          crl + "UpdateTime: \"23:59\"\n" + crl + "DistributionPoints: \"ldap://crl.example.com/x\"\n" +
                          crl + "DistributionPoints: \"http:///nohost.crl\"\n" + crl + "UpdateTime: \"24:00\"\n" + crl +
                          "UpdateTime: \"7:00\"\n" + crl + "Mode: on\n" + crl + "DistributionPoints: \"" +
                          std::string(2100, 'a') + "\"\n" + crl.substr(0, crl.size() - 1) + "\nbye\n");
    INFO(run.out);
    CHECK(Has(run.out, "\r\n\r\nOK\r\nOK\r\nOK\r\n"));
    CHECK(Has(run.out, Refusal("Configuration",
                               "Invalid value for DistributionPoints: ldap://crl.example.com/x: only "
                               "HTTP(S) distribution points are supported")));
    CHECK(Has(run.out, Refusal("Configuration",
                               "Invalid value for DistributionPoints: http:///nohost.crl: only "
                               "HTTP(S) distribution points are supported")));
    CHECK(Has(run.out, Refusal("Configuration", "Invalid value for UpdateTime: 24:00")));
    CHECK(Has(run.out, Refusal("Configuration", "Invalid value for UpdateTime: 7:00")));
    CHECK(Has(run.out, Refusal("Configuration", "Invalid value for Mode: on")));
    CHECK(Has(run.out, "Invalid value for DistributionPoints: longer than 2048 characters"));
    // The refused writes changed nothing.
    CHECK(Has(run.out,
              "*c xConfiguration Certificates CRL Automatic Mode: On\r\n"
              "*c xConfiguration Certificates CRL Automatic DistributionPoints: "
              "\"http://crl.example.com/a.crl https://crl2.example.com/b.crl\"\r\n"
              "*c xConfiguration Certificates CRL Automatic UpdateTime: \"23:59\"\r\nOK\r\n"));
    CHECK(Has(peer.Command(crl + "DistributionPoints: \"\"\n" + crl + "DistributionPoints"),
              "OK\r\n*c xConfiguration Certificates CRL Automatic DistributionPoints: \"\"\r\nOK\r\n"));
  }
  SECTION("V13: mode, OCSP, CRLs, CDP downloads, fallback") {
    auto run = peer.Admin(sip + "Mode: On\n" + sip + "OCSP: Off\n" + sip + "CDP: Off\n" + sip +
                          "FallbackBehavior: Revoked\n" + sip + "FallbackBehavior: Maybe\n" + sip + "CRL: Yes\n" +
                          "xconfiguration sip tls certificaterevocationchecking\nbye\n");
    INFO(run.out);
    CHECK(Has(run.out, Refusal("Configuration", "Invalid value for FallbackBehavior: Maybe")));
    CHECK(Has(run.out, Refusal("Configuration", "Invalid value for CRL: Yes")));
    CHECK(Has(run.out,
              "*c xConfiguration SIP TLS CertificateRevocationChecking Mode: On\r\n"
              "*c xConfiguration SIP TLS CertificateRevocationChecking OCSP: Off\r\n"
              "*c xConfiguration SIP TLS CertificateRevocationChecking CRL: On\r\n"
              "*c xConfiguration SIP TLS CertificateRevocationChecking CDP: Off\r\n"
              "*c xConfiguration SIP TLS CertificateRevocationChecking FallbackBehavior: Revoked\r\nOK\r\n"));
  }
  SECTION("Alternates are written and validated") {
    auto run = peer.Admin(
        "xConfiguration Alternates Peer 2 Address: \"vcs2.example.com\"\n"
        "xConfiguration Alternates Peer 3 Address: \"bad name!\"\nxConfiguration Alternates Peer 2\n"
        "bye\n");
    INFO(run.out);
    CHECK(Has(run.out, Refusal("Configuration", "Invalid value for Address: bad name!")));
    CHECK(Has(run.out, "*c xConfiguration Alternates Peer 2 Address: \"vcs2.example.com\"\r\nOK\r\n"));
  }
}

TEST_CASE("vcs CSR: one at a time, its key stays on the appliance, discard", "[sim][vcs][rule:V4]") {
  testing::TempDir tmp;
  VcsPeer peer(tmp.path() / "vcs1", {});
  std::string first = peer.Csr("vcs1.example.com");
  // A second request while one is pending is refused, whatever its fields, and changes nothing.
  auto again =
      peer.Command("xCommand Certificates CSR Generate CommonName: \"*.example.com\" Country: \"NOPE\" KeyLength: 1");
  CHECK(again == Refusal("CertificatesCSRGenerate",
                         "Only one signing request can be in progress at any one time. To discard the current request "
                         "and start a new request, use xCommand Certificates CSR Discard"));
  CHECK(peer.File("generated_csr/csr.pem") == first);
  // The key is there, 0600, never printed.
  struct stat st {};
  REQUIRE(stat((peer.dir / "certs" / "generated_csr" / "privkey.pem").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  auto key = peer.Root("tail -n +1 /tandberg/persistent/certs/generated_csr/privkey.pem");
  CHECK(Has(key.err, "Permission denied"));
  CHECK(peer.Command("xCommand Certificates CSR Discard") == "*r CertificatesCSRDiscardResult (status=OK):\r\n" + kOk);
  CHECK_FALSE(peer.File("generated_csr/csr.pem"));
  CHECK_FALSE(fs::exists(peer.dir / "certs" / "generated_csr" / "privkey.pem"));
  CHECK(peer.Command("xCommand Certificates CSR Discard") ==
        Refusal("CertificatesCSRDiscard", "No certificate signing request is in progress"));
  std::string second = peer.Csr("vcs1.example.com");
  CHECK(second != first);
}

TEST_CASE("vcs CSR: the SANs asked for, the subject fields and EKU serverAuth and clientAuth",
          "[sim][vcs][rule:V1][rule:V3]") {
  testing::TempDir tmp;
  VcsPeer peer(tmp.path() / "vcs1", {});
  auto csr = pki::Csr::FromPem(peer.Csr("vcs1.example.com, vcs.example.com,conf.example.com"));
  REQUIRE(csr.ok());
  CHECK(csr->DnsNames() == std::vector<std::string>{"vcs1.example.com", "vcs.example.com", "conf.example.com"});
  CHECK(csr->Subject() == pki::DistinguishedName{"vcs1.example.com", "Example", "Video", "Oslo", "Oslo", "NO"});
  CHECK(csr->ExtendedKeyUsage() == std::set<std::string>{"serverAuth", "clientAuth"});
  CHECK(csr->Key() == pki::KeySpec::Rsa(2048));
  CHECK(csr->VerifySignature().ok());
  // Field checks (after V4 and V2), each naming its field.
  peer.Command("xCommand Certificates CSR Discard");
  const std::string gen = "xCommand Certificates CSR Generate ";
  auto run = peer.Admin(gen + "CommonName: \"\" Country: \"NO\" KeyLength: 2048\n" + gen +
                        "CommonName: \"a.example.com\" Country: \"Norway\" KeyLength: 2048\n" + gen +
                        "CommonName: \"a.example.com\" Country: \"NO\" KeyLength: 8192\n" + gen +
                        "CommonName: \"a.example.com\" AlternativeNames: \"a b\" Country: \"NO\" KeyLength: 2048\n" +
                        gen + "CommonName: \"a.example.com\" Colour: \"blue\"\nbye\n");
  INFO(run.out);
  CHECK(Has(run.out, Refusal("CertificatesCSRGenerate", "Invalid value for CommonName: ")));
  CHECK(Has(run.out, Refusal("CertificatesCSRGenerate", "Invalid value for Country: Norway")));
  CHECK(Has(run.out, Refusal("CertificatesCSRGenerate", "Invalid value for KeyLength: 8192")));
  CHECK(Has(run.out, Refusal("CertificatesCSRGenerate", "Invalid value for AlternativeNames: a b")));
  CHECK(Has(run.out, Refusal("CertificatesCSRGenerate", "Invalid parameter: Colour")));
  CHECK_FALSE(peer.File("generated_csr/csr.pem"));
}

TEST_CASE("vcs: no wildcard certificates, neither in a CSR nor uploaded", "[sim][vcs][rule:V2]") {
  testing::TempDir tmp;
  VcsPeer peer(tmp.path() / "vcs1", {});
  const std::string refusal = Refusal("CertificatesCSRGenerate", "VCS does not support wildcard certificates");
  CHECK(peer.Command("xCommand Certificates CSR Generate CommonName: \"*.example.com\" Country: \"NO\" "
                     "KeyLength: 2048") == refusal);
  CHECK(peer.Command("xCommand Certificates CSR Generate CommonName: \"vcs1.example.com\" AlternativeNames: "
                     "\"vcs1.example.com,*.example.com\" Country: \"NO\" KeyLength: 2048") == refusal);
  CHECK_FALSE(peer.File("generated_csr/csr.pem"));
  auto ca = TestCa::Make("Test Root CA");
  auto leaf = ca.Sign(peer.Csr("vcs1.example.com"), {"vcs1.example.com", "*.example.com"});
  peer.Stage("server.pem", leaf.ToPem());
  CHECK(peer.Command(Upload("server.pem")) ==
        Refusal("CertificatesServerUpload", "VCS does not support wildcard certificates"));
  CHECK(peer.File("generated_csr/csr.pem"));  // a refused upload keeps the CSR
}

TEST_CASE("vcs server upload: PEM only, no key while a CSR is pending, no encrypted key, a key needed",
          "[sim][vcs][rule:V8]") {
  testing::TempDir tmp;
  VcsPeer peer(tmp.path() / "vcs1", {});
  auto ca = TestCa::Make("Test Root CA");
  auto key = pki::PrivateKey::Generate(pki::KeySpec::Rsa(2048));
  REQUIRE(key.ok());
  auto own = SignKey(ca, *key, "vcs1.example.com");
  peer.Stage("own.pem", own.ToPem());
  peer.Stage("own.key", KeyPem(*key));
  peer.Stage("own.der", own.ToDer());
  const std::string encrypted =
      "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIBvTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQwwHAQI\n"
      "-----END ENCRYPTED PRIVATE KEY-----\n";
  peer.Stage("enc.key", encrypted);
  const std::string name = "CertificatesServerUpload";
  auto run = peer.Admin(Upload("missing.pem") + "\n" + Upload("own.der", "own.key") + "\n" +
                        Upload("own.pem", "enc.key") + "\n" + Upload("own.pem") + "\nbye\n");
  INFO(run.out);
  CHECK(Has(run.out, Refusal(name, "File not found: /tmp/pkiform/missing.pem")));
  CHECK(Has(run.out, Refusal(name, "The certificate information must be supplied to the VCS in PEM format")));
  CHECK(Has(run.out, Refusal(name, "The server private key must not be password protected")));
  CHECK(Has(run.out, Refusal(name, "No private key: upload the server private key, or generate a CSR first")));
  // With a CSR pending, a key upload is refused (before the key is even looked at).
  auto csrLeaf = ca.Sign(peer.Csr("vcs1.example.com"), {"vcs1.example.com"});
  peer.Stage("csr-leaf.pem", csrLeaf.ToPem());
  CHECK(peer.Command(Upload("own.pem", "enc.key")) ==
        Refusal(name, "You cannot upload a server private key if a certificate signing request is in progress"));
  // The certificate for the CSR goes in with the CSR's key; the CSR is then gone.
  auto ok = peer.Command(Upload("csr-leaf.pem"));
  const std::string head = "*r CertificatesServerUploadResult (status=OK):\r\n    Expires: \"";
  const std::string tail =
      "\"\r\n    Note: \"Restart the system for the new server certificate to take effect.\"\r\n" + kOk;
  REQUIRE(ok.size() == head.size() + 11 + tail.size());
  CHECK(ok.starts_with(head));
  CHECK(ok.ends_with(tail));
  auto expires = ParseDate(ok.substr(head.size(), 11));
  REQUIRE(expires);
  CHECK(csrLeaf.NotAfter() - *expires >= std::chrono::hours(0));  // the day of notAfter
  CHECK(csrLeaf.NotAfter() - *expires < std::chrono::hours(24));
  CHECK_FALSE(peer.File("generated_csr/csr.pem"));
  CHECK(peer.File("server.pem") == csrLeaf.ToPem());
  // Without a CSR, a certificate made elsewhere goes in with its (plain) key.
  CHECK(Has(peer.Command(Upload("own.pem", "own.key")), "(status=OK)"));
  CHECK(peer.File("server.pem") == own.ToPem());
  CHECK(ReadFileText(peer.dir / "certs" / "privkey.pem") == KeyPem(*key));
}

TEST_CASE("vcs cluster: a certificate for one peer's CSR does not match another peer's key", "[sim][vcs][rule:V5]") {
  testing::TempDir tmp;
  VcsPeer one(tmp.path() / "vcs1", {});
  VcsPeer two(tmp.path() / "vcs2", {"vcs2.example.com", "127.0.100.2"});
  auto ca = TestCa::Make("Test Root CA");
  auto leafOne = ca.Sign(one.Csr("vcs1.example.com,vcs.example.com"), {"vcs1.example.com", "vcs.example.com"});
  two.Csr("vcs2.example.com,vcs.example.com");
  two.Stage("one.pem", leafOne.ToPem());
  CHECK(two.Command(Upload("one.pem")) ==
        Refusal("CertificatesServerUpload", "The server certificate does not match the private key"));
  one.Stage("one.pem", leafOne.ToPem());
  CHECK(Has(one.Command(Upload("one.pem")), "(status=OK)"));
}

TEST_CASE("vcs server upload: EKU must hold serverAuth and clientAuth", "[sim][vcs][rule:V3]") {
  testing::TempDir tmp;
  VcsPeer peer(tmp.path() / "vcs1", {});
  auto ca = TestCa::Make("Test Root CA");
  auto key = pki::PrivateKey::Generate(pki::KeySpec::Rsa(2048));
  REQUIRE(key.ok());
  peer.Stage("k.key", KeyPem(*key));
  peer.Stage("server-only.pem", SignKey(ca, *key, "vcs1.example.com", {"serverAuth"}).ToPem());
  peer.Stage("no-eku.pem", SignKey(ca, *key, "vcs1.example.com", {}).ToPem());
  CHECK(peer.Command(Upload("server-only.pem", "k.key")) ==
        Refusal("CertificatesServerUpload",
                "The server certificate must be capable of being used as a Server and as a Client certificate "
                "(Extended Key Usage serverAuth and clientAuth)"));
  CHECK(Has(peer.Command(Upload("no-eku.pem", "k.key")), "(status=OK)"));  // no EKU: any use
}

TEST_CASE("vcs trusted CA list: append, same issuer and subject refused until deleted, delete, reset",
          "[sim][vcs][rule:V9]") {
  testing::TempDir tmp;
  VcsPeer peer(tmp.path() / "vcs1", {});
  auto factory = peer.File("ca.pem");
  auto root = TestCa::Make("Corp Root");
  auto issuing = TestCa::Make("Corp Issuing", &root);
  auto newRoot = TestCa::Make("Corp Root");  // same issuer and subject, other bytes
  peer.Stage("chain.pem", root.cert.ToPem() + issuing.cert.ToPem());
  peer.Stage("new-root.pem", newRoot.cert.ToPem());
  peer.Stage("root.der", root.cert.ToDer());
  const std::string append = "xCommand Certificates CA Append File: \"/tmp/pkiform/";
  CHECK(peer.Command(append + "chain.pem\"") ==
        "*r CertificatesCAAppendResult (status=OK):\r\n    Appended: 2\r\n" + kOk);
  CHECK(peer.File("ca.pem") == *factory + root.cert.ToPem() + issuing.cert.ToPem());
  CHECK(Has(peer.Command(append + "chain.pem\""), "    Appended: 0\r\n"));  // the same certificates: kept once
  CHECK(peer.Command(append + "new-root.pem\"") ==
        Refusal("CertificatesCAAppend",
                "A certificate for issuer CN=Corp Root, O=Example Corp and subject CN=Corp Root, O=Example Corp is "
                "already in the list: if you are replacing existing certificates for a particular issuer and subject, "
                "you have to manually delete the previous certificates"));
  CHECK(peer.Command(append + "root.der\"") ==
        Refusal("CertificatesCAAppend", "The certificate information must be supplied to the VCS in PEM format"));
  const std::string fp = pki::Sha256Hex(root.cert.ToDer());
  CHECK(peer.Command("xCommand Certificates CA Delete Fingerprint: \"" + fp + "\"") ==
        "*r CertificatesCADeleteResult (status=OK):\r\n" + kOk);
  CHECK(peer.Command("xCommand Certificates CA Delete Fingerprint: \"" + fp + "\"") ==
        Refusal("CertificatesCADelete", "No trusted CA certificate with fingerprint " + fp));
  CHECK(Has(peer.Command("xCommand Certificates CA Delete Fingerprint: \"AB:CD\""),
            "Invalid value for Fingerprint: AB:CD"));
  CHECK(Has(peer.Command(append + "new-root.pem\""), "    Appended: 1\r\n"));
  CHECK(peer.File("ca.pem") == *factory + issuing.cert.ToPem() + newRoot.cert.ToPem());
  CHECK(peer.Command("xCommand Certificates CA ResetToDefault") ==
        "*r CertificatesCAResetToDefaultResult (status=OK):\r\n" + kOk);
  CHECK(peer.File("ca.pem") == factory);
}

TEST_CASE("vcs CRL: a PEM upload replaces the previous one, removal, DER refused", "[sim][vcs][rule:V11]") {
  testing::TempDir tmp;
  VcsPeer peer(tmp.path() / "vcs1", {});
  auto ca = TestCa::Make("Corp Root");
  auto first = pki::CreateCrl(ca.cert, ca.key, {"01"}, Now() - std::chrono::hours(1), Now() + std::chrono::hours(24));
  auto second = pki::CreateCrl(ca.cert, ca.key, {"01", "02"}, Now(), Now() + std::chrono::hours(48));
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  peer.Stage("first.crl", first->ToPem());
  peer.Stage("second.crl", second->ToPem());
  peer.Stage("crl.der", first->ToDer());
  peer.Stage("cert.pem", ca.cert.ToPem());
  const std::string upload = "xCommand Certificates CRL Upload File: \"/tmp/pkiform/";
  CHECK(peer.Command(upload + "first.crl\"") == "*r CertificatesCRLUploadResult (status=OK):\r\n" + kOk);
  CHECK(peer.File("crl/manual.pem") == first->ToPem());
  CHECK(Has(peer.Command(upload + "second.crl\""), "(status=OK)"));
  CHECK(peer.File("crl/manual.pem") == second->ToPem());
  for (const char* bad : {"crl.der", "cert.pem"})
    CHECK(peer.Command(upload + bad + "\"") ==
          Refusal("CertificatesCRLUpload", "The CRL file must be in PEM encoded format"));
  CHECK(peer.File("crl/manual.pem") == second->ToPem());
  CHECK(peer.Command("xCommand Certificates CRL Remove") == "*r CertificatesCRLRemoveResult (status=OK):\r\n" + kOk);
  CHECK_FALSE(peer.File("crl/manual.pem"));
  CHECK(Has(peer.Command("xCommand Certificates CRL Remove"), "(status=OK)"));  // none: no error
}

TEST_CASE("vcs root account: exec only, the contract's commands, everything else not found", "[sim][vcs]") {
  testing::TempDir tmp;
  VcsPeer peer(tmp.path() / "vcs1", {});
  auto notFound = peer.Root("openssl x509 -in /tandberg/persistent/certs/server.pem");
  CHECK(notFound.exitCode == 127);
  CHECK(notFound.err == "sh: openssl: not found\n");
  CHECK(peer.Root("echo 'xStatus' | tsh").err == "sh: echo: not found\n");
  auto interactive = RunShell(peer.dir, "ls\n", {kRootEnv});
  CHECK(interactive.exitCode == 1);
  CHECK(Has(interactive.err, "exec requests only"));
  // Staging needs the folder; names are checked; at most 256 KiB.
  CHECK(peer.Root("cat > /tmp/pkiform/a.pem", "x").err == "sh: /tmp/pkiform/a.pem: Directory nonexistent\n");
  CHECK(peer.Root("mkdir -p /tmp/pkiform").exitCode == 0);
  for (const char* bad : {"/tmp/pkiform/../x", "/tmp/pkiform/a b", "/etc/passwd", "/tmp/pkiform/"}) {
    auto r = peer.Root(std::string("cat > ") + bad, "x");
    CHECK(r.exitCode != 0);
  }
  CHECK(peer.Root("cat > /etc/passwd", "x").err == "sh: /etc/passwd: Permission denied\n");
  auto big = peer.Root("cat > /tmp/pkiform/big.pem", std::string(300 * 1024, 'a'));
  CHECK(big.exitCode == 1);
  CHECK(big.err == "sh: write error: No space left on device\n");
  CHECK_FALSE(fs::exists(peer.dir / "staging" / "big.pem"));
  CHECK(peer.Root("cat >/tmp/pkiform/a.pem", "hello\n").exitCode == 0);
  struct stat st {};
  REQUIRE(stat((peer.dir / "staging" / "a.pem").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  auto one = peer.Root("tail -n +1 /tmp/pkiform/a.pem");
  CHECK(one.out == "hello\n");  // one file: no header
  CHECK(peer.Root("rm -f /tmp/pkiform/a.pem /tmp/pkiform/never.pem").exitCode == 0);
  CHECK_FALSE(fs::exists(peer.dir / "staging" / "a.pem"));
  auto outside = peer.Root("tail -n +1 /etc/shadow /tandberg/persistent/certs/../../../etc/passwd");
  CHECK(outside.exitCode == 1);
  CHECK(Count(outside.err, "No such file or directory") == 2);
  CHECK(peer.Root("tail -n +1 /tandberg/persistent/certs").err ==
        "tail: error reading '/tandberg/persistent/certs': Is a directory\n");
  CHECK(peer.Root("tail -f /tandberg/persistent/certs/ca.pem").exitCode == 2);
  // A staged key is not read back either.
  peer.Stage("k.key", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
  CHECK(Has(peer.Root("tail -n +1 /tmp/pkiform/k.key").err, "Permission denied"));
}

TEST_CASE("vcs faults: dropped connection, slow answers, no prompt", "[sim][vcs]") {
  testing::TempDir tmp;
  VcsPeer peer(tmp.path() / "vcs1", {});
  std::ofstream(peer.dir / "faults") << "drop-at-command=2\n";
  auto dropped = peer.Admin("echo off\nxStatus SystemUnit\nxStatus SystemUnit\nbye\n");
  CHECK(Count(dropped.out, "OK\r\n") == 1);
  CHECK_FALSE(Has(dropped.out, "*s SystemUnit"));
  // A root exec is the one command of its session: only drop-at-command=1 drops it.
  CHECK(peer.Root("mkdir -p /tmp/pkiform").exitCode == 0);
  std::ofstream(peer.dir / "faults", std::ios::trunc) << "drop-at-command=1\n";
  auto killed = peer.Root("mkdir -p /tmp/pkiform");
  CHECK(killed.exitCode == -1);  // killed: no exit status
  std::ofstream(peer.dir / "faults", std::ios::trunc) << "slow-ms=400\n";
  auto start = std::chrono::steady_clock::now();
  auto slow = peer.Admin("xStatus SystemUnit\nbye\n");
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(800));  // banner + answer
  CHECK(Has(slow.out, "*s/end"));
  std::ofstream(peer.dir / "faults", std::ios::trunc) << "no-prompt=1\n";
  auto silent = peer.Admin("xStatus SystemUnit\nbye\n");
  CHECK(Has(silent.out, "TANDBERG Video Communication Server"));
  CHECK_FALSE(Has(silent.out, "OK"));
}

}  // namespace pkiform::simtest
