// The simulated DMS AAI over a pipe: init's factory state, the screens as the contract
// draws them, navigation of every menu, the views, GENERATE_NEW_CERT (D6, D8, D15),
// GENERATE_CSR, and the (S)FTP forms (their transfers, against a server that refuses; the real
// ones are in dms_transfer_test.cc).
#include <catch2/catch.hpp>

#include "tests/sim/dms_test_support.h"

namespace pkiform::simtest {
namespace {

// A staging server that refuses at once (nothing listens on port 1): the transfers of these
// pipe tests fail fast; dms_transfer_test.cc has the real ones.
std::string Refusing(const std::string& address) { return address + ":1"; }

// The subject fields of a GENERATE_NEW_CERT or GENERATE_CSR form and its months.
std::vector<std::string> Subject(const std::string& months, const std::string& department = "Video") {
  return {department, "Example Corp", "Oslo", "Oslo", "NO", months};
}

}  // namespace

TEST_CASE("dms init writes a self-signed identity for the FQDN, and refuses bad options", "[sim][dms]") {
  testing::TempDir tmp;
  DmsBox box(tmp.path() / "sns1", {"sns1.example.com", "127.0.103.1"});
  auto id = box.Identity();
  CHECK(id.Subject().commonName == "sns1.example.com");
  CHECK(id.IsSelfSigned());
  auto key = pki::PrivateKey::FromPem(DmsBox::ReadFile(box.dir / "keystore" / "identity.key"), nullptr);
  REQUIRE(key.ok());
  CHECK(key->PublicKeyDigest() == id.PublicKeyDigest());
  CHECK((fs::status(box.dir / "keystore" / "identity.key").permissions() & fs::perms::others_read) == fs::perms::none);
  CHECK(DmsBox::ReadFile(box.dir / "keystore" / "chain.pem").empty());

  for (const auto& bad : std::vector<std::vector<std::string>>{
           {"--fqdn", "*.example.com", "--address", "127.0.103.2"},
           {"--fqdn", "sns2.example.com", "--address", "not-an-address"},
           {"--fqdn", "sns2.example.com", "--address", "127.0.103.2", "--https-port", "70000"},
           {"--fqdn", "sns2.example.com", "--address", "127.0.103.2", "--bogus", "1"}}) {
    std::vector<std::string> argv{kSim, "init", "--platform", "dms", "--dir", (tmp.path() / "bad").string()};
    argv.insert(argv.end(), bad.begin(), bad.end());
    auto r = testing::RunProcess(argv);
    REQUIRE(r.ok());
    INFO(r->output);
    CHECK(r->exitCode == 2);
  }
}

TEST_CASE("dms AAI: the main menu, every menu by its seed names, EXIT", "[sim][dms]") {
  testing::TempDir tmp;
  DmsBox box(tmp.path() / "sns1", {"sns1.example.com", "127.0.103.2"});
  // Main menu > CERTIFICATE_MANAGEMENT > MANAGE_SIGNED_CERTS, back, MANAGE_SELF_SIGNED_CERTS,
  // back, back to the main menu, Down to EXIT, Enter.
  auto run = box.Aai(kEnter + kEnter + kDown + kEscKey + kDown + kEnter + kEscKey + kEscKey + kDown + kEnter);
  CHECK(run.exitCode == 0);
  auto frames = Frames(run.out);
  REQUIRE(frames.size() >= 8);
  INFO(Text(frames[0]));
  CHECK(frames[0] == std::vector<std::string>{"Appliance Administration Interface", "", "> CERTIFICATE_MANAGEMENT",
                                              "  EXIT", "", "<Up/Down> move  <Enter> select"});
  auto cm = FramesTitled(run.out, "CERTIFICATE_MANAGEMENT");
  REQUIRE(!cm.empty());
  CHECK(cm[0] == std::vector<std::string>{"CERTIFICATE_MANAGEMENT", "", "> MANAGE_SIGNED_CERTS",
                                          "  MANAGE_SELF_SIGNED_CERTS", "  VIEW_CERTIFICATE", "  VIEW_CERT_CHAIN",
                                          "  EXPORT_KEYSTORE", "  IMPORT_KEYSTORE", "",
                                          "<Up/Down> move  <Enter> select  <Esc> back"});
  auto signed_ = FramesTitled(run.out, "MANAGE_SIGNED_CERTS");
  REQUIRE(signed_.size() == 2);  // drawn, then redrawn after Down
  CHECK(signed_[0][2] == "> GENERATE_CSR");
  CHECK(signed_[1][2] == "  GENERATE_CSR");
  CHECK(signed_[1][3] == "> IMPORT_CERTIFICATE");
  auto self = FramesTitled(run.out, "MANAGE_SELF_SIGNED_CERTS");
  REQUIRE(self.size() == 1);
  CHECK(self[0][2] == "> GENERATE_NEW_CERT");
  // The last main menu has EXIT highlighted; the session ends with a cleared screen.
  auto mains = FramesTitled(run.out, "Appliance Administration Interface");
  CHECK(mains.back()[3] == "> EXIT");
  CHECK(run.out.ends_with("\x1b[2J\x1b[H"));
}

TEST_CASE("dms AAI key reader: ESC O arrows, unknown sequences and bytes ignored, Esc ignored on the main menu",
          "[sim][dms]") {
  testing::TempDir tmp;
  DmsBox box(tmp.path() / "sns1", {"sns1.example.com", "127.0.103.3"});
  // F1 (ESC O P), a long CSI, control bytes and a non-ASCII byte change nothing; ESC O B is Down.
  std::string noise = std::string("\x1bOP") + "\x1b[1;2;3;4;5;6;7;8;9;10;11;12~" + "\x01\x02\xff\x80";
  auto run = box.Aai(noise + kEscKey + "x" + "\x1bOB" + noise);
  auto mains = FramesTitled(run.out, "Appliance Administration Interface");
  REQUIRE(!mains.empty());
  CHECK(mains.back()[3] == "> EXIT");
  CHECK(FramesTitled(run.out, "CERTIFICATE_MANAGEMENT").empty());
  CHECK(run.exitCode == 0);
}

TEST_CASE("dms AAI VIEW_CERTIFICATE and VIEW_CERT_CHAIN show the identity's fields and PEM, EXIT", "[sim][dms]") {
  testing::TempDir tmp;
  DmsBox box(tmp.path() / "sns1", {"sns1.example.com", "127.0.103.4"});
  auto run = box.Aai(ToCertificateManagement(2) + kEnter + kDown + kEnter + kEnter);
  auto view = FramesTitled(run.out, "VIEW_CERTIFICATE");
  REQUIRE(view.size() == 1);
  std::string text = Text(view[0]);
  INFO(text);
  CHECK(Has(text, "Subject Name: CN=sns1.example.com\n"));
  CHECK(Has(text, "Issuer Name: CN=sns1.example.com\n"));
  CHECK(PemBlock(text, "CERTIFICATE") == box.Identity().ToPem());
  CHECK(view[0].back() == "[EXIT]");
  auto chain = FramesTitled(run.out, "VIEW_CERT_CHAIN");
  REQUIRE(chain.size() == 1);
  CHECK(chain[0][2] == "Certificate 1 of 1");
  CHECK(PemBlock(Text(chain[0]), "CERTIFICATE") == box.Identity().ToPem());
}

TEST_CASE("dms AAI GENERATE_NEW_CERT: months 1..999, then a new self-signed identity and the warning",
          "[sim][dms][rule:D8][rule:D15]") {
  testing::TempDir tmp;
  DmsBox box(tmp.path() / "sns1", {"sns1.example.com", "127.0.103.5"});
  auto before = box.Identity();
  const std::string toForm = ToCertificateManagement(1) + kEnter;
  const std::string title = "GENERATE_NEW_CERT";
  for (const std::string months : {"0", "1000", "abc", "", "-1"}) {
    auto run = box.Aai(toForm + Fill(Subject(months)) + kEnter);
    auto frames = FramesTitled(run.out, title);
    REQUIRE(frames.size() >= 2);
    INFO(months << "\n" << run.out);
    CHECK(Has(Text(frames[frames.size() - 2]), "\nPermitted values range from 1 to 999.\n\n[OK]\n"));
    // Back on the form after OK, with the values kept.
    CHECK(Has(Text(frames.back()), "> Department: Video\n"));
    CHECK(box.Identity() == before);
  }
  auto run = box.Aai(toForm + Fill(Subject("999")) + kEnter);
  auto frames = FramesTitled(run.out, title);
  REQUIRE(!frames.empty());
  CHECK(Text(frames.back()) ==
        "GENERATE_NEW_CERT\n\nWarning! Browsers will reject this certificate.\nIt is self-signed.\n\n[OK]\n");
  auto after = box.Identity();
  CHECK_FALSE(after == before);
  CHECK(after.IsSelfSigned());
  auto s = after.Subject();
  CHECK(s.commonName == "sns1.example.com");
  CHECK(s.organizationalUnit == "Video");
  CHECK(s.organization == "Example Corp");
  CHECK(s.country == "NO");
  auto days = std::chrono::duration_cast<std::chrono::hours>(after.NotAfter() - after.NotBefore()).count() / 24;
  CHECK(days >= 999 * 28);
  CHECK(days <= 999 * 31);
  // One month is the least.
  box.Aai(toForm + Fill(Subject("1")) + kEnter);
  auto one = box.Identity();
  auto oneDays = std::chrono::duration_cast<std::chrono::hours>(one.NotAfter() - one.NotBefore()).count() / 24;
  CHECK(oneDays >= 28);
  CHECK(oneDays <= 31);
}

TEST_CASE("dms AAI subject fields refuse the seed's forbidden characters and a bad country",
          "[sim][dms][rule:D6]") {
  testing::TempDir tmp;
  DmsBox box(tmp.path() / "sns1", {"sns1.example.com", "127.0.103.6"});
  auto before = box.Identity();
  const std::string toForm = ToCertificateManagement(1) + kEnter;
  for (char c : std::string(",+=\"'`\\<>#;")) {
    auto run = box.Aai(toForm + Fill(Subject("12", std::string("Vi") + c + "deo")) + kEnter);
    auto frames = FramesTitled(run.out, "GENERATE_NEW_CERT");
    REQUIRE(frames.size() >= 2);
    INFO(c);
    CHECK(Has(Text(frames[frames.size() - 2]), "Do not use any of these characters: , + = \" ' ` \\ < > # ;  (Department)"));
  }
  auto run = box.Aai(toForm + Fill({"Video", "Example", "Oslo", "Oslo", "NOR", "12"}) + kEnter);
  CHECK(Has(run.out, "Country must be a 2-character country code."));
  CHECK(box.Identity() == before);
}

TEST_CASE("dms AAI GENERATE_CSR writes the newest CSR, asks for the (S)FTP server, and says when the delivery "
          "failed",
          "[sim][dms]") {
  testing::TempDir tmp;
  DmsBox box(tmp.path() / "sns1", {"sns1.example.com", "127.0.103.7"});
  auto before = box.Identity();
  auto run = box.Aai(ToCertificateManagement(0) + kEnter + Fill(Subject("")) + Fill({Refusing("127.0.103.7"), "pki"}) +
                     "s3cret-pw" + kEnter + kEnter);
  INFO(run.out);
  auto csr = pki::Csr::FromPem(DmsBox::ReadFile(box.dir / "keystore" / "csr.pem"));
  REQUIRE(csr.ok());
  CHECK(csr->Subject().commonName == "sns1.example.com");
  CHECK(csr->Subject().organizationalUnit == "Video");
  CHECK(csr->VerifySignature().ok());
  auto creds = FramesTitled(run.out, "Cisco Digital Media Manager");
  REQUIRE(creds.size() >= 2);
  CHECK(creds[0][2] == "Please enter (S)FTP server credentials:");
  CHECK(creds[0][4] == "> (S)FTP SERVER FQDN/IP: ");
  CHECK(creds[0][5] == "  USER NAME: ");
  CHECK(creds[0].back() == "[OK]  <Cancel>");
  CHECK(Has(Text(creds.back()), "Please enter password for (S)FTP server\n\n> PASSWORD: *********\n"));
  CHECK_FALSE(Has(run.out, "s3cret-pw"));
  auto last = FramesTitled(run.out, "GENERATE_CSR").back();
  CHECK(last[2] == "Failed to put file sns1.example.com.csr on remote server.");
  CHECK(Has(last[3], "127.0.103.7:1"));
  CHECK(box.Identity() == before);  // a CSR does not change the identity
}

TEST_CASE("dms AAI IMPORT_CERTIFICATE: the overwrite question, the (S)FTP and path forms, an unreachable server",
          "[sim][dms]") {
  testing::TempDir tmp;
  DmsBox box(tmp.path() / "sns1", {"sns1.example.com", "127.0.103.8"});
  auto before = box.Identity();
  const std::string toImport = ToCertificateManagement(0) + kDown + kEnter;
  SECTION("No returns to the menu") {
    auto run = box.Aai(toImport + kTab + kEnter);
    auto q = FramesTitled(run.out, "IMPORT_CERTIFICATE");
    REQUIRE(q.size() == 2);
    CHECK(q[0][2] == "Overwrite your active identity certificates with their replacements?");
    CHECK(q[0][4] == "[Yes]  <No>");
    CHECK(q[1][4] == "<Yes>  [No]");
    CHECK(FramesTitled(run.out, "MANAGE_SIGNED_CERTS").size() == 3);
  }
  SECTION("Yes, the forms, bad then good paths") {
    auto run = box.Aai(toImport + kEnter + Fill({Refusing("127.0.103.8"), "pki"}) + "pw" + kEnter +
                       Fill({"cert.pem", ""}) + kEnter + kUp + Times(8, "\x7f") +
                       Fill({"/pki/sns1.pem", "/pki/issuing.pem,/pki/root.pem"}) + kEnter);
    INFO(run.out);
    CHECK(Has(run.out, "Please enter absolute file paths, comma-separated."));
    auto forms = FramesTitled(run.out, "IMPORT_CERTIFICATE");
    bool sawPaths = false;
    for (const auto& f : forms)
      sawPaths = sawPaths || (f.size() > 5 && f[2] == "Please provide following information :" &&
                              f[4].ends_with("Path to PEM file: /pki/sns1.pem") &&
                              f[5].ends_with("Path to CAchain file(s): /pki/issuing.pem,/pki/root.pem"));
    CHECK(sawPaths);
    CHECK(forms.back()[2] == "Failed to get file /pki/sns1.pem from remote server.");
    CHECK(box.Identity() == before);
  }
}

TEST_CASE("dms AAI EXPORT_KEYSTORE and IMPORT_KEYSTORE: passphrase hidden, forms, an unreachable server",
          "[sim][dms][rule:D14]") {
  testing::TempDir tmp;
  DmsBox box(tmp.path() / "sns1", {"sns1.example.com", "127.0.103.9"});
  auto before = box.Identity();
  for (int item : {4, 5}) {
    const std::string title = item == 4 ? "EXPORT_KEYSTORE" : "IMPORT_KEYSTORE";
    // An empty passphrase is refused first.
    auto run = box.Aai(ToCertificateManagement(item) + kEnter + kEnter + "keystore-pass" + kEnter +
                       Fill({Refusing("127.0.103.9"), "pki"}) + "pw" + kEnter + Fill({"/backup/KEYSTORE.DAT"}) +
                       kEnter);
    INFO(run.out);
    CHECK(Has(run.out, "Please enter a passphrase."));
    CHECK_FALSE(Has(run.out, "keystore-pass"));
    CHECK(Has(run.out, "> Passphrase: *************"));
    auto frames = FramesTitled(run.out, title);
    REQUIRE(!frames.empty());
    CHECK(frames[0][2] == "Please enter the passphrase from which your private key was derived");
    CHECK(frames.back()[2] == (item == 4 ? "Failed to put file /backup/KEYSTORE.DAT on remote server."
                                         : "Failed to get file /backup/KEYSTORE.DAT from remote server."));
  }
  CHECK(box.Identity() == before);
}

TEST_CASE("dms AAI fields are bounded and Backspace edits them; exec requests are refused", "[sim][dms]") {
  testing::TempDir tmp;
  DmsBox box(tmp.path() / "sns1", {"sns1.example.com", "127.0.103.10"});
  auto run = box.Aai(ToCertificateManagement(1) + kEnter + std::string(300, 'a') + "\x7f\x08" + kEscKey);
  auto form = FramesTitled(run.out, "GENERATE_NEW_CERT");
  REQUIRE(!form.empty());
  CHECK(form.back()[4] == "> Department: " + std::string(253, 'a'));
  auto exec = RunShell(box.dir, "", {"SSH_ORIGINAL_COMMAND=cat /etc/passwd"});
  CHECK(exec.exitCode == 1);
  CHECK(Has(exec.err, "exec requests are not supported"));
  CHECK(exec.out.empty());
}

TEST_CASE("dms AAI under sshd: --fleet finds the appliance by SSH_CONNECTION's local address", "[sim][dms]") {
  testing::TempDir tmp;
  DmsBox box(tmp.path() / "fleet" / "hosts" / "127.0.103.12", {"sns2.example.com", "127.0.103.12"});
  auto run = RunShellWith({"--fleet", (tmp.path() / "fleet").string()}, kDown + kEnter,
                          {"SSH_CONNECTION=127.0.0.1 40000 127.0.103.12 22"});
  CHECK(run.exitCode == 0);
  auto mains = FramesTitled(run.out, "Appliance Administration Interface");
  REQUIRE(mains.size() == 2);
  CHECK(mains.back()[3] == "> EXIT");
  auto exec = RunShellWith({"--fleet", (tmp.path() / "fleet").string()}, "",
                           {"SSH_CONNECTION=127.0.0.1 40000 127.0.103.12 22", "SSH_ORIGINAL_COMMAND=id"});
  CHECK(exec.exitCode == 1);
  CHECK(Has(exec.err, "exec requests are not supported: this appliance offers only the Appliance Administration"));
}

}  // namespace pkiform::simtest
