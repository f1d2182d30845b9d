#include "state/backups.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "state/atomic_file.h"
#include "tests/reconciler/pki/pki_test_support.h"
#include "tests/state/state_test_support.h"
#include "tests/support/temp_dir.h"

namespace pkiform::state {
namespace {

using pkiform::testing::TempDir;
using testing::Contains;
using testing::ModeOf;
using testing::Must;
using testing::MustOk;
using testing::ScopedUmask;

std::string FingerprintPrefix(const pki::Certificate& certificate) {
  std::string hex;
  for (char c : certificate.FingerprintSha256())
    if (c != ':') hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return hex.substr(0, 16);
}

TEST_CASE("replaced certificates are backed up byte for byte and listed newest first", "[state]") {
  TempDir dir;
  ScopedUmask umask(022);
  const std::string state_dir = dir.path().string();
  const pki::testing::TestPki& pki = pki::testing::SharedPki();
  const std::string older = pki.leaf.ToPem();
  const std::string newer = "subject=vcs1\n" + pki.intermediate.ToPem();  // kept as given, text and all

  MustOk(BackupCertificate(state_dir, "expressway-emea", "vcs1.example.com", "server", older, "2026-01-01T00:00:00Z"));
  MustOk(BackupCertificate(state_dir, "expressway-emea", "vcs1.example.com", "server", newer, "2026-11-22T13:00:00Z"));

  const std::string slot_dir = state_dir + "/backups/expressway-emea/vcs1.example.com/server";
  const std::vector<std::string> listed = Must(ListBackups(state_dir, "expressway-emea", "vcs1.example.com", "server"));
  REQUIRE(listed == std::vector<std::string>{
                        slot_dir + "/20261122T130000Z-" + FingerprintPrefix(pki.intermediate) + ".pem",
                        slot_dir + "/20260101T000000Z-" + FingerprintPrefix(pki.leaf) + ".pem",
                    });
  CHECK(Must(ReadFile(listed[0])) == newer);
  CHECK(Must(ReadFile(listed[1])) == older);
  CHECK(ModeOf(listed[0]) == 0644);
  CHECK(ModeOf(state_dir + "/backups") == 0700);

  CHECK(Must(ListBackups(state_dir, "expressway-emea", "vcs1.example.com", "other-slot")).empty());
  CHECK(Must(ListBackups(state_dir, "nowhere", "vcs1.example.com", "server")).empty());
}

TEST_CASE("backups refuse private keys and write nothing", "[state]") {
  TempDir dir;
  const std::string state_dir = dir.path().string();
  const pki::testing::TestPki& pki = pki::testing::SharedPki();
  const std::string key_pem = pki::testing::Must(pki.leafKey.ToPem()).str();
  REQUIRE(Contains(key_pem, "PRIVATE KEY"));
  for (const std::string& content : {pki.leaf.ToPem() + key_pem, key_pem + pki.leaf.ToPem(),
                                     pki.leaf.ToPem() + "-----BEGIN RSA PRIVATE KEY-----\nMII\n"}) {
    const Status refused = BackupCertificate(state_dir, "c", "p", "s", content, "2026-11-22T13:00:00Z");
    CHECK(refused.code() == Status::Code::kInvalidInput);
    CHECK(Contains(refused.message(), "private key"));
  }
  CHECK_FALSE(std::filesystem::exists(dir.path() / "backups"));
}

TEST_CASE("backups refuse what is not a certificate, bad times and unsafe names", "[state]") {
  TempDir dir;
  const std::string state_dir = dir.path().string();
  const std::string pem = pki::testing::SharedPki().leaf.ToPem();
  CHECK_FALSE(BackupCertificate(state_dir, "c", "p", "s", "hello", "2026-11-22T13:00:00Z").ok());
  CHECK_FALSE(BackupCertificate(state_dir, "c", "p", "s", pem, "2026-11-22 13:00").ok());
  CHECK_FALSE(BackupCertificate(state_dir, "..", "p", "s", pem, "2026-11-22T13:00:00Z").ok());
  CHECK_FALSE(BackupCertificate(state_dir, "c", "../../etc", "s", pem, "2026-11-22T13:00:00Z").ok());
  CHECK_FALSE(ListBackups(state_dir, "c", "p", "a/b").ok());
  CHECK_FALSE(std::filesystem::exists(dir.path() / "backups"));
}

}  // namespace
}  // namespace pkiform::state
