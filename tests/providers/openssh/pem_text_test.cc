// Bundle text editing and slot file rules, without a host.
#include <catch2/catch.hpp>

#include "providers/openssh/pem_text.h"
#include "providers/openssh/slot_files.h"
#include "providers/openssh/trust_store_files.h"
#include "tests/providers/openssh/openssh_fixture.h"

using namespace pkiform;
using namespace pkiform::openssh;
using pkiform::testing::MakeCa;
using pkiform::testing::SharedCa;

TEST_CASE("bundle text: find, remove and append certificates by fingerprint", "[openssh]") {
  const std::string a = SharedCa().certificate.ToPem();
  const pki::Certificate other = MakeCa("bundle test CA").certificate;
  const std::string b = other.ToPem();
  const std::string bundle = "# first\n" + a + "\n# second\n" + b + "-----BEGIN CERTIFICATE-----\ntruncated\n";

  CHECK(CertificatePems(bundle) == std::vector<std::string>{a, b});
  CHECK(ContainsFingerprint(bundle, SharedCa().certificate.FingerprintSha256()));
  std::string bare = NormalizeFingerprint(other.FingerprintSha256());
  for (char& c : bare) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  CHECK(ContainsFingerprint(bundle, bare));
  CHECK(RemoveFingerprint(bundle, other.FingerprintSha256()) ==
        "# first\n" + a + "\n# second\n-----BEGIN CERTIFICATE-----\ntruncated\n");
  CHECK(RemoveFingerprint(bundle, std::string(64, 'A')) == bundle);
  CHECK(AppendPem("# no newline", b) == "# no newline\n" + b);
  CHECK(AppendPem("", b + "\n\n") == b);
  CHECK(WithOneTrailingNewline("x\r\n\n") == "x\n");
}

TEST_CASE("slot files: absolute paths, octal modes, sane owners", "[openssh]") {
  IdentitySlot slot;
  slot.slot = "nginx";
  CHECK_FALSE(SlotFilesOf(slot).ok());
  slot.files = SlotFiles{};
  slot.files->certificate = "/etc/nginx/tls/server.pem";
  auto files = SlotFilesOf(slot);
  REQUIRE(files.ok());
  CHECK(files->certificate_mode == 0644);
  CHECK(files->All() == std::vector<std::string>{"/etc/nginx/tls/server.pem"});
  slot.files->mode = "640";
  CHECK(SlotFilesOf(slot)->certificate_mode == 0640);
  slot.files->mode = "0944";
  CHECK_FALSE(SlotFilesOf(slot).ok());
  slot.files->mode.clear();
  slot.files->owner = "www-data; rm";
  CHECK_FALSE(SlotFilesOf(slot).ok());
  slot.files->owner = "www-data";
  slot.files->private_key = "tls/server.key";
  CHECK_FALSE(SlotFilesOf(slot).ok());
  CHECK(ParseFileMode("0600") == 0600);
  CHECK_FALSE(ParseFileMode("06000").has_value());
  CHECK(BackupPathOf("/a/b.pem") == "/a/b.pem.pkiform-backup");
  CHECK(PendingKeyPathOf("/a/k") == "/a/k.pkiform-new");
  CHECK(DirectoryEntryNameFor("AB:CD:EF:01:23:45:67:89:AA:BB") == "pkiform-abcdef0123456789.crt");
  CHECK(JoinPath("/d/", "x") == "/d/x");
}

// A host's file of many BEGIN lines and one END line far below made the search for END
// start over at every BEGIN: minutes of work for an 840 KB file (seen reading the parser
// while fuzzing, shown with tests/fuzz/fuzz_openssh_output on such an input). Every
// BEGIN before that END is a truncated block.
TEST_CASE("bundle text: BEGIN lines without END lines are skipped in one pass", "[openssh]") {
  const std::string a = SharedCa().certificate.ToPem();
  std::string text;
  for (int i = 0; i < 100000; ++i) text += "-----BEGIN CERTIFICATE-----\n";
  text += "-----END CERTIFICATE-----\n" + a;
  CHECK(CertificatePems(text) == std::vector<std::string>{a});
  CHECK(CertificatePems(a + text) == std::vector<std::string>{a, a});
}
