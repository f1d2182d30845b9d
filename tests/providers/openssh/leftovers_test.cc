// Backups an interrupted apply left, against a real sshd: Observe names them
// (and nothing of their content), RemoveLeftoverBackups removes exactly those it
// is given and refuses anything else, and an install over them backs up, restores
// and discards the files of its own apply only.
#include <catch2/catch.hpp>

#include <filesystem>

#include "providers/openssh/slot_files.h"
#include "providers/ssh/remote_files.h"
#include "tests/providers/openssh/openssh_fixture.h"

using namespace pkiform;
using namespace pkiform::testing;

namespace {

// What an apply killed after its backups leaves: the old key copied aside (0600) and a
// copy of the certificate still under its temporary name.
void LeaveBackups(const OpensshHost& host, const std::string& old_key = "old key\n") {
  WriteLocal(host.key() + ".pkiform-backup", old_key, 0600);
  WriteLocal(host.certificate() + ".pkiform-backup.tmp", "old certificate\n");
}

}  // namespace

TEST_CASE("every backup name of a slot, both kinds per file, in slot file order", "[openssh][backups]") {
  openssh::SlotFileSet files;
  files.certificate = "/tls/server.pem";
  files.private_key = "/tls/server.key";
  CHECK(openssh::BackupPathsOf(files) ==
        std::vector<std::string>{"/tls/server.pem.pkiform-backup", "/tls/server.pem.pkiform-backup.tmp",
                                 "/tls/server.key.pkiform-backup", "/tls/server.key.pkiform-backup.tmp"});
  files.fullchain = files.certificate;  // one file named twice is listed once
  CHECK(openssh::BackupPathsOf(files).size() == 4);
}

TEST_CASE("observe names the backups an interrupted apply left, and the digest changes with them",
          "[openssh][backups]") {
  OpensshHost host;
  auto provider = host.Provider();
  host.GenerateAndInstall(provider);
  const Actual clean = MustOk(provider.Observe());
  CHECK(clean.slots[0].leftover_backups.empty());

  LeaveBackups(host);
  const Actual left = MustOk(provider.Observe());
  CHECK(left.slots[0].leftover_backups ==
        std::vector<std::string>{host.certificate() + ".pkiform-backup.tmp", host.key() + ".pkiform-backup"});
  CHECK(left.Digest() != clean.Digest());
  // The current files are read as always; nothing of the backups is.
  CHECK(left.slots[0].certificate_pem == clean.slots[0].certificate_pem);
  CHECK(left.slots[0].key_public_digest == clean.slots[0].key_public_digest);

  // A backup the login user cannot read (root's, 0600) is still named: only its name is looked at.
  REQUIRE(::chown((host.key() + ".pkiform-backup").c_str(), 0, 0) == 0);
  CHECK(MustOk(provider.Observe()).slots[0].leftover_backups == left.slots[0].leftover_backups);
  // A dangling symbolic link under a backup name is a leftover too.
  std::filesystem::create_symlink(host.dir() + "/nowhere", host.chain() + ".pkiform-backup");
  CHECK(MustOk(provider.Observe()).slots[0].leftover_backups.size() == 3);
}

TEST_CASE("RemoveLeftoverBackups removes exactly the files it is given", "[openssh][backups]") {
  OpensshHost host;
  auto provider = host.Provider();
  host.GenerateAndInstall(provider);
  LeaveBackups(host);
  const auto before = ReadLocal(host.key());
  REQUIRE(provider.RemoveLeftoverBackups("nginx", {host.key() + ".pkiform-backup"}).ok());
  CHECK_FALSE(Exists(host.key() + ".pkiform-backup"));
  CHECK(Exists(host.certificate() + ".pkiform-backup.tmp"));  // not asked for
  CHECK(ReadLocal(host.key()) == before);
  CHECK(MustOk(provider.Observe()).slots[0].leftover_backups ==
        std::vector<std::string>{host.certificate() + ".pkiform-backup.tmp"});

  // A file already gone is no error (rm -f): a replacement's own discard may have taken it.
  REQUIRE(provider.RemoveLeftoverBackups("nginx", {host.key() + ".pkiform-backup",
                                                   host.certificate() + ".pkiform-backup.tmp"}).ok());
  CHECK(MustOk(provider.Observe()).slots[0].leftover_backups.empty());
}

TEST_CASE("RemoveLeftoverBackups refuses any path that is not a backup name of the slot", "[openssh][backups]") {
  OpensshHost host;
  auto provider = host.Provider();
  host.GenerateAndInstall(provider);
  LeaveBackups(host);
  WriteLocal(host.dir() + "/precious.pkiform-backup", "keep me");
  for (const std::string& path : {host.key(), host.dir() + "/precious.pkiform-backup",
                                  host.key() + ".pkiform-backup/../server.key", host.key() + ".pkiform-new"}) {
    Status s = provider.RemoveLeftoverBackups("nginx", {host.key() + ".pkiform-backup", path});
    REQUIRE_FALSE(s.ok());
    CHECK(s.message() == "nginx on web1.example.com: remove leftover backups: '" + path +
                             "' is not a backup or temporary upload of this slot's files; refused");
  }
  CHECK(Exists(host.key()));
  CHECK(Exists(host.key() + ".pkiform-backup"));  // nothing at all was removed
  CHECK(ReadLocal(host.dir() + "/precious.pkiform-backup") == "keep me");
  Status unknown = provider.RemoveLeftoverBackups("apache", {host.key() + ".pkiform-backup"});
  REQUIRE_FALSE(unknown.ok());
  CHECK_THAT(unknown.message(), Catch::Contains("has no identity slot 'apache'"));
  CHECK_FALSE(provider.RemoveLeftoverBackups("nginx", {}).ok());
}

TEST_CASE("a temporary upload name is one of the file's: prefix, then 1 to 32 letters or digits", "[openssh][backups]") {
  CHECK(ssh::UploadTempPrefixOf("/tls/server.key") == "/tls/.server.key.pkiform-tmp-");
  CHECK(ssh::IsUploadTempNameOf("/tls/server.key", "/tls/.server.key.pkiform-tmp-0123abcdef4567ab"));
  CHECK(ssh::IsUploadTempNameOf("/tls/server.key", "/tls/.server.key.pkiform-tmp-Ab3XyZ09qW"));  // mktemp
  for (const std::string& other : std::vector<std::string>{"/tls/.server.key.pkiform-tmp-", "/tls/.server.key.pkiform-tmp-../x", "/tls/.server.key.pkiform-tmp-a/b",
        "/tls/.server.pem.pkiform-tmp-abc", "/other/.server.key.pkiform-tmp-abc", "/tls/server.key",
        "/tls/.server.key.pkiform-tmp-" + std::string(33, 'a')})
    CHECK_FALSE(ssh::IsUploadTempNameOf("/tls/server.key", other));
}

TEST_CASE("observe names the temporary files of an upload an apply was killed in, and they are removed",
          "[openssh][backups]") {
  OpensshHost host;
  auto provider = host.Provider();
  host.GenerateAndInstall(provider);
  // What a kill between the write of a key's temporary file and its rename leaves (0600, the new key).
  const std::string left = ssh::UploadTempPrefixOf(host.key()) + "Ab3XyZ09qW";
  WriteLocal(left, "new key\n", 0600);
  WriteLocal(ssh::UploadTempPrefixOf(host.key()) + "not-ours!", "keep me");  // not a name pkiform makes
  const Actual seen = MustOk(provider.Observe());
  CHECK(seen.slots[0].leftover_backups == std::vector<std::string>{left});
  REQUIRE(provider.RemoveLeftoverBackups("nginx", {left}).ok());
  CHECK_FALSE(Exists(left));
  CHECK(Exists(ssh::UploadTempPrefixOf(host.key()) + "not-ours!"));
  CHECK(MustOk(provider.Observe()).slots[0].leftover_backups.empty());
  // A name of another file's pattern is refused for this slot.
  Status other = provider.RemoveLeftoverBackups("nginx", {host.dir() + "/.precious.pkiform-tmp-abc"});
  CHECK_FALSE(other.ok());
}

TEST_CASE("RemoveLeftoverBackups reports what rm could not remove", "[openssh][backups]") {
  OpensshHost host;
  auto provider = host.Provider();
  std::filesystem::create_directories(host.key() + ".pkiform-backup");  // not a file: rm -f refuses it
  Status s = provider.RemoveLeftoverBackups("nginx", {host.key() + ".pkiform-backup"});
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(s.message(), Catch::StartsWith("nginx on web1.example.com: remove leftover backups: exit status 1"));
}

TEST_CASE("an install over old backups restores the files as they were before it, never an old backup",
          "[openssh][backups]") {
  OpensshHost host;
  auto provider = host.Provider();
  host.GenerateAndInstall(provider);
  const std::string cert = ReadLocal(host.certificate()), key = ReadLocal(host.key());
  REQUIRE(::unlink(host.chain().c_str()) == 0);  // a file absent before the install...
  WriteLocal(host.chain() + ".pkiform-backup", "old chain\n");  // ...with an old backup of it
  LeaveBackups(host);
  // A temporary name left as a symbolic link: the new backup is never written through it.
  WriteLocal(host.dir() + "/elsewhere", "untouched\n");
  std::filesystem::create_symlink(host.dir() + "/elsewhere", host.key() + ".pkiform-backup.tmp");

  IdentityBackup backup;
  host.GenerateAndInstall(provider, &backup);
  CHECK(ReadLocal(host.key() + ".pkiform-backup") == key);  // this apply's backup replaced the old one
  CHECK_FALSE(Exists(host.key() + ".pkiform-backup.tmp"));
  CHECK(ReadLocal(host.dir() + "/elsewhere") == "untouched\n");
  REQUIRE(provider.RestoreIdentity(backup).ok());
  CHECK(ReadLocal(host.certificate()) == cert);
  CHECK(ReadLocal(host.key()) == key);
  CHECK_FALSE(Exists(host.chain()));  // removed, as it was absent: the old backup is not brought back
  CHECK(ReadLocal(host.chain() + ".pkiform-backup") == "old chain\n");
  CHECK(MustOk(provider.Observe()).slots[0].leftover_backups ==
        std::vector<std::string>{host.chain() + ".pkiform-backup"});
}
