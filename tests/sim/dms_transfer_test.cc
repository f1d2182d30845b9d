// The simulated DMS appliance's (S)FTP transfers against a real staging server: an OpenSSH sshd
// (tests/support/sshd_harness.h) with internal-sftp and a password user, whose address, user
// and password are typed into the AAI's forms. GENERATE_CSR delivers the CSR (D16),
// IMPORT_CERTIFICATE pulls the identity and CA files and enforces D1-D6, D10 and D11 with the
// seed's messages, EXPORT_KEYSTORE / IMPORT_KEYSTORE write and read KEYSTORE.DAT with the
// passphrase (D14); the host key is recorded on first use and a changed one refused.
// Addresses 127.0.103.31-60.
#include <pwd.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "reconciler/pki/csr.h"
#include "reconciler/pki/signer.h"
#include "tests/sim/dms_test_support.h"
#include "tests/support/sshd_harness.h"

namespace pkiform::simtest {
namespace {

const std::string kStagingUser = "pkiform-dmsstage";

// The staging server: sshd on 127.0.103.31 with SFTP and the password user, and a directory the
// user reads the staged files from.
struct Staging {
  std::unique_ptr<testing::SshdHarness> sshd;
  std::string password;
  testing::TempDir files;
  std::string home;

  Staging() {
    auto pw = testing::EnsurePasswordUser(kStagingUser);
    REQUIRE(pw.ok());
    password = *pw;
    testing::SshdOptions o;
    o.listenAddress = "127.0.103.31";
    o.passwordUser = kStagingUser;
    o.knownHostsNames = {"127.0.103.31"};
    auto s = testing::SshdHarness::Start(o);
    REQUIRE(s.ok());
    sshd = std::move(*s);
    REQUIRE(chmod(files.path().c_str(), 0755) == 0);
    const passwd* entry = getpwnam(kStagingUser.c_str());
    REQUIRE(entry != nullptr);
    home = entry->pw_dir;
  }

  std::string server() const { return "127.0.103.31:" + std::to_string(sshd->port()); }
  // Keys for the (S)FTP credentials and password forms.
  std::string Credentials() const { return Fill({server(), kStagingUser}) + password + kEnter; }
  // Writes a staged file readable by the staging user; returns its absolute path.
  std::string Stage(const std::string& name, const std::string& text) const {
    std::string path = files.Write(name, text);
    chmod(path.c_str(), 0644);
    return path;
  }
};

std::vector<std::string> Subject() { return {"Video", "Example Corp", "Oslo", "Oslo", "NO", ""}; }

// GENERATE_CSR through the AAI; returns the CSR the staging server received.
std::string GenerateCsr(const DmsBox& box, const Staging& staging) {
  auto run = box.Aai(ToCertificateManagement(0) + kEnter + Fill(Subject()) + staging.Credentials());
  INFO(run.out);
  auto last = FramesTitled(run.out, "GENERATE_CSR").back();
  CHECK(last[2] == "The certificate signing request (CSR) was transferred to");
  CHECK_FALSE(Has(run.out, staging.password));
  std::string delivered = DmsBox::ReadFile(fs::path(staging.home) / (box.spec.fqdn + ".csr"));
  CHECK(delivered == DmsBox::ReadFile(box.dir / "keystore" / "csr.pem"));
  return delivered;
}

// IMPORT_CERTIFICATE with these path fields; `boxes` message boxes are dismissed. Returns the
// message boxes shown after the path form, each as its rows 3.. (the message).
std::vector<std::string> Import(const DmsBox& box, const Staging& staging, const std::string& pemPaths,
                                const std::string& caPaths, int boxes = 1) {
  auto run = box.Aai(ToCertificateManagement(0) + kDown + kEnter + kEnter + staging.Credentials() +
                     Fill({pemPaths, caPaths}) + Times(boxes - 1, kEnter));
  INFO(run.out);
  CHECK_FALSE(Has(run.out, staging.password));
  std::vector<std::string> out;
  for (const auto& f : FramesTitled(run.out, "IMPORT_CERTIFICATE"))
    if (f.size() > 2 && f[2] != "Overwrite your active identity certificates with their replacements?" &&
        f[2] != "Please provide following information :") {
      std::string text;
      for (size_t i = 2; i < f.size() && !f[i].empty(); ++i) text += (i > 2 ? "\n" : "") + f[i];
      out.push_back(text);
    }
  return out;
}

pki::TimePoint Now() { return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()); }

// A certificate for the CSR's key with `subject` and validity, issued by `ca`.
pki::Certificate Issue(const TestCa& ca, const std::string& csrPem, const pki::DistinguishedName& subject,
                       pki::TimePoint notBefore = Now() - std::chrono::minutes(10),
                       std::chrono::seconds validity = std::chrono::hours(24 * 365)) {
  auto csr = pki::Csr::FromPem(csrPem);
  REQUIRE(csr.ok());
  pki::SigningPolicy p;
  p.subject = subject;
  p.dnsNames = {subject.commonName.empty() ? "x.example.com" : subject.commonName};
  p.keyUsage = {"digitalSignature", "keyEncipherment"};
  p.extendedKeyUsage = {"serverAuth"};
  p.notBefore = notBefore;
  p.validity = validity;
  auto cert = pki::SignCsr(*csr, ca.cert, ca.key, p);
  REQUIRE(cert.ok());
  return *cert;
}

pki::DistinguishedName Dn(const std::string& cn, const std::string& o = "Example Corp") {
  pki::DistinguishedName dn;
  dn.commonName = cn;
  dn.organization = o;
  dn.country = "NO";
  return dn;
}

struct Pki {
  TestCa root = TestCa::Make("Example Root CA");
  TestCa issuing = TestCa::Make("Example Issuing CA", &root);
};

}  // namespace

TEST_CASE("dms transfers: GENERATE_CSR delivers the CSR, IMPORT_CERTIFICATE pulls the identity and its chain",
          "[sim][dms][rule:D16]") {
  Staging staging;
  testing::TempDir tmp;
  DmsBox box(tmp.path() / "sns31", {"sns31.example.com", "127.0.103.32"});
  Pki ca;
  auto csr = GenerateCsr(box, staging);
  // The host key was recorded on first use in the appliance's own known_hosts.
  CHECK(Has(DmsBox::ReadFile(box.dir / "known_hosts"), staging.sshd->hostPublicKey().substr(12, 40)));
  auto cert = Issue(ca.issuing, csr, Dn("sns31.example.com"));
  auto id = staging.Stage("sns31.pem", cert.ToPem());
  auto issuing = staging.Stage("issuing.pem", ca.issuing.cert.ToPem());
  auto root = staging.Stage("root.pem", ca.root.cert.ToPem());
  auto boxes = Import(box, staging, id, issuing + "," + root);
  REQUIRE(boxes.size() == 1);
  CHECK(boxes[0] == "The identity certificate was imported for sns31.example.com,\nwith 2 CA certificate(s).");
  CHECK(box.Identity() == cert);
  auto key = pki::PrivateKey::FromPem(DmsBox::ReadFile(box.dir / "keystore" / "identity.key"), nullptr);
  REQUIRE(key.ok());
  CHECK(key->PublicKeyDigest() == cert.PublicKeyDigest());
  auto chain = DmsBox::ReadFile(box.dir / "keystore" / "chain.pem");
  CHECK(chain == ca.issuing.cert.ToPem() + ca.root.cert.ToPem());
  // The typed password is on no file of the appliance.
  for (const auto& e : fs::recursive_directory_iterator(box.dir))
    if (e.is_regular_file()) CHECK_FALSE(Has(DmsBox::ReadFile(e.path()), staging.password));

  SECTION("a file that is not there: the seed's two messages, nothing imported") {
    auto before = box.Identity();
    auto b = Import(box, staging, id, issuing + ",/nonexistent/root.pem", 2);
    REQUIRE(b.size() == 2);
    CHECK(b[0].starts_with("Failed to get file /nonexistent/root.pem from remote server.\n"));
    CHECK(b[1] == "Certificate is not readable or does not exist:\n/nonexistent/root.pem");
    CHECK(box.Identity() == before);
  }
  SECTION("a changed host key is refused") {
    std::ofstream(box.dir / "known_hosts")
        << "[127.0.103.31]:" << staging.sshd->port()
        << " ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n";
    auto b = Import(box, staging, id, issuing + "," + root);
    REQUIRE(b.size() == 1);
    CHECK(b[0].starts_with("Failed to get file " + id + " from remote server.\n"));
    CHECK(Has(b[0], "changed"));
  }
}

TEST_CASE("dms transfers: IMPORT_CERTIFICATE enforces the seed's restrictions on the pulled files",
          "[sim][dms][rule:D1][rule:D2][rule:D3][rule:D4][rule:D5][rule:D6][rule:D10][rule:D11]") {
  Staging staging;
  testing::TempDir tmp;
  DmsBox box(tmp.path() / "sns33", {"sns33.example.com", "127.0.103.33"});
  Pki ca;
  auto csr = GenerateCsr(box, staging);
  const auto before = box.Identity();
  const auto good = Issue(ca.issuing, csr, Dn("sns33.example.com"));
  const std::string chain =
      staging.Stage("issuing.pem", ca.issuing.cert.ToPem()) + "," + staging.Stage("root.pem", ca.root.cert.ToPem());
  auto refused = [&](const std::string& pem, const std::string& expected, int boxes = 1,
                     const std::string& caPaths = "") {
    auto path = staging.Stage("identity.pem", pem);
    auto b = Import(box, staging, path, caPaths.empty() ? chain : caPaths, boxes);
    INFO(pem);
    REQUIRE(b.size() == static_cast<size_t>(boxes));
    std::string all;
    for (const auto& s : b) all += s + "\n";
    CHECK(Has(all, expected));
    CHECK(box.Identity() == before);
    return all;
  };
  SECTION("[rule:D1] DER is refused") {
    auto text = refused(good.ToDer(), "Certificate import failed.\n");
    CHECK(Has(text, "not a PEM-encoded certificate"));
  }
  SECTION("[rule:D2] blank lines or carriage returns after the END line are refused") {
    refused(good.ToPem() + "\n", "extra carriage returns or blank lines after the END line");
    refused(good.ToPem().substr(0, good.ToPem().size() - 1) + "\r\n", "extra carriage returns or blank lines");
  }
  SECTION("[rule:D3] a wildcard CN is refused") {
    refused(Issue(ca.issuing, csr, Dn("*.example.com")).ToPem(), "Do not use any wildcards (*) in the common name");
  }
  SECTION("[rule:D4] a subject without CN is refused") {
    refused(Issue(ca.issuing, csr, Dn("")).ToPem(), "The certificate's subject has no common name (CN).");
  }
  SECTION("[rule:D5] a concatenated file is refused, in either field") {
    refused(good.ToPem() + ca.issuing.cert.ToPem(), "more than one certificate in one file");
    auto both = staging.Stage("both.pem", ca.issuing.cert.ToPem() + ca.root.cert.ToPem());
    auto text = refused(good.ToPem(), "Cannot process CA certificate:\n", 1, both);
    CHECK(Has(text, "more than one certificate in one file"));
  }
  SECTION("[rule:D6] forbidden subject characters are refused") {
    refused(Issue(ca.issuing, csr, Dn("sns33.example.com", "Example; Corp")).ToPem(),
            "Do not use any of these characters: , + = \" ' ` \\ < > # ;");
  }
  SECTION("[rule:D10] each mismatch has the seed's message") {
    // Another key than the newest CSR's.
    auto otherKey = pki::PrivateKey::Generate(pki::KeySpec::Rsa(2048));
    REQUIRE(otherKey.ok());
    pki::CsrRequest req;
    req.subject = Dn("sns33.example.com");
    auto other = pki::Csr::Create(req, *otherKey);
    REQUIRE(other.ok());
    refused(Issue(ca.issuing, other->ToPem(), Dn("sns33.example.com")).ToPem(),
            "Certificate rejected.\nIt does not match the newest certificate signing request (CSR) for "
            "sns33.example.com.");
    refused(Issue(ca.issuing, csr, Dn("sns99.example.com")).ToPem(),
            "Certificate rejected.\nIts subject does not match sns33.example.com.");
    refused(Issue(ca.issuing, csr, Dn("sns33.example.com"), Now() - std::chrono::hours(48), std::chrono::hours(24))
                .ToPem(),
            "Certificate rejected.\nIt has expired and is no longer valid.");
    auto later = Now() + std::chrono::hours(24 * 10);
    refused(Issue(ca.issuing, csr, Dn("sns33.example.com"), later).ToPem(),
            "Certificate not yet valid.\nIt takes effect in the future, on " + pki::FormatDate(later) + ".");
  }
  SECTION("[rule:D11] a missing CA breaks the chain") {
    auto issuingOnly = staging.Stage("issuing-only.pem", ca.issuing.cert.ToPem());
    refused(good.ToPem(), "Internal Error:\nCannot build certificate chain.\n1 MISSING_CA_CERTIFICATE", 2,
            issuingOnly);
  }
  SECTION("a CA alone in the PEM field: no identity") {
    refused(ca.issuing.cert.ToPem(),
            "The certificate chain is broken.\nAn identity certificate is missing for sns33.example.com.");
  }
}

TEST_CASE("dms transfers: EXPORT_KEYSTORE writes KEYSTORE.DAT, IMPORT_KEYSTORE restores it with the passphrase",
          "[sim][dms][rule:D14]") {
  Staging staging;
  testing::TempDir tmp;
  DmsBox box(tmp.path() / "sns34", {"sns34.example.com", "127.0.103.34"});
  const auto original = box.Identity();
  const std::string passphrase = "keystore-Pass-34";
  const std::string file = (staging.files.path() / "backup").string();
  fs::create_directories(file);
  chmod(file.c_str(), 0777);
  const std::string keystore = file + "/KEYSTORE.DAT";
  auto keystoreRun = [&](int item, const std::string& pass) {
    auto run = box.Aai(ToCertificateManagement(item) + pass + kEnter + staging.Credentials() +
                       Fill({keystore}));
    INFO(run.out);
    CHECK_FALSE(Has(run.out, pass));
    CHECK_FALSE(Has(run.out, staging.password));
    auto frames = FramesTitled(run.out, item == 4 ? "EXPORT_KEYSTORE" : "IMPORT_KEYSTORE");
    REQUIRE(!frames.empty());
    return Text(frames.back());
  };
  CHECK(Has(keystoreRun(4, passphrase), "The keystore was exported to 127.0.103.31:" + keystore + "."));
  auto data = DmsBox::ReadFile(keystore);
  REQUIRE(!data.empty());
  CHECK_FALSE(Has(data, passphrase));
  // A new self-signed identity, then the keystore brings the old one back.
  auto run = box.Aai(ToCertificateManagement(1) + kEnter + Fill({"Video", "Example", "Oslo", "Oslo", "NO", "12"}));
  REQUIRE(!(box.Identity() == original));
  const auto replaced = box.Identity();
  CHECK(Has(keystoreRun(5, "wrong-passphrase"), "The passphrase does not open this keystore."));
  CHECK(box.Identity() == replaced);
  CHECK(Has(keystoreRun(5, passphrase), "The keystore was imported from 127.0.103.31:" + keystore + "."));
  CHECK(box.Identity() == original);
  auto key = pki::PrivateKey::FromPem(DmsBox::ReadFile(box.dir / "keystore" / "identity.key"), nullptr);
  REQUIRE(key.ok());
  CHECK(key->PublicKeyDigest() == original.PublicKeyDigest());
  // Not a keystore: refused, nothing changes.
  staging.Stage("backup/KEYSTORE.DAT", "not a keystore\n");
  CHECK(Has(keystoreRun(5, passphrase), "Cannot read the keystore file."));
  CHECK(box.Identity() == original);
}

}  // namespace pkiform::simtest
