// InstallIdentity, RestoreIdentity and DiscardBackup against a real sshd.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <set>

#include "tests/providers/openssh/openssh_fixture.h"

using namespace pkiform;
using namespace pkiform::testing;

namespace {

struct FileState {
  std::string bytes;
  int mode;
  bool operator==(const FileState&) const = default;
};

std::map<std::string, FileState> Snapshot(const OpensshHost& host) {
  std::map<std::string, FileState> files;
  for (const auto& f : {host.certificate(), host.chain(), host.fullchain(), host.key()})
    files[f] = Exists(f) ? FileState{ReadLocal(f), ModeOf(f)} : FileState{"<absent>", -1};
  return files;
}

IdentityInstall InstallOf(const pki::Certificate& leaf) {
  IdentityInstall install;
  install.slot = "nginx";
  install.certificate_pem = leaf.ToPem();
  install.chain_pems = {SharedCa().certificate.ToPem()};
  return install;
}

}  // namespace

TEST_CASE("a CSR made on the host, signed locally and installed with the pending key is what Observe sees",
          "[openssh]") {
  OpensshHost host;
  auto provider = host.Provider();
  IdentityBackup backup;
  pki::Certificate leaf = host.GenerateAndInstall(provider, &backup);
  CHECK(backup.slot == "nginx");
  CHECK_FALSE(backup.had_identity);

  // The shared CA is a root: the trust anchor is never part of a chain, so the chain file is empty.
  CHECK(ReadLocal(host.certificate()) == leaf.ToPem());
  CHECK(ReadLocal(host.chain()).empty());
  CHECK(ReadLocal(host.fullchain()) == leaf.ToPem());
  CHECK(ModeOf(host.certificate()) == 0644);
  CHECK(ModeOf(host.chain()) == 0644);
  CHECK(ModeOf(host.fullchain()) == 0644);
  CHECK(ModeOf(host.key()) == 0600);
  CHECK_FALSE(Exists(host.key() + ".pkiform-new"));
  CHECK_FALSE(Exists(host.key() + ".pkiform-new.csr"));
  CHECK_FALSE(Exists(host.certificate() + ".pkiform-backup"));  // nothing was there to back up

  Actual actual = MustOk(provider.Observe());
  const ObservedSlot& slot = actual.slots[0];
  REQUIRE(slot.certificate_pem.has_value());
  CHECK(*slot.certificate_pem == leaf.ToPem());
  CHECK(slot.chain_pems.empty());
  CHECK(slot.key_public_digest == leaf.PublicKeyDigest());
  CHECK_FALSE(slot.pending_csr_pem.has_value());
}

TEST_CASE("with only a certificate file, an intermediate issuer's chain follows the leaf there and Observe "
          "reads it back as the chain", "[openssh]") {
  OpensshHost host;
  host.slot().files->chain.clear();
  host.slot().files->fullchain.clear();
  auto provider = host.Provider();
  pki::PrivateKey issuing_key = MustOk(pki::PrivateKey::Generate(pki::KeySpec::Ecdsa("P-256")));
  pki::DistinguishedName issuing_name;
  issuing_name.commonName = "openssh test issuing CA";
  pki::Certificate issuing = MustOk(pki::SignPublicKey(issuing_key.get(), SharedCa().certificate, SharedCa().key,
                                                       PolicyFor(issuing_name, {}, {}, true)));
  pki::Csr csr = MustOk(pki::Csr::FromPem(MustOk(provider.GenerateCsr(OpensshHost::Request()))));
  pki::Certificate leaf = MustOk(pki::SignCsr(csr, issuing, issuing_key,
                                              PolicyFor(csr.Subject(), csr.DnsNames(), csr.IpAddresses(), false)));
  IdentityInstall install;
  install.slot = "nginx";
  install.certificate_pem = leaf.ToPem();
  install.chain_pems = {issuing.ToPem(), SharedCa().certificate.ToPem()};
  install.use_pending_key = true;
  IdentityBackup backup = MustOk(provider.InstallIdentity(install));
  CHECK(backup.saved.size() == 2);  // the certificate and the key: no other file is named

  CHECK(ReadLocal(host.certificate()) == leaf.ToPem() + issuing.ToPem());  // as nginx ssl_certificate wants it
  std::set<std::string> written;
  for (const auto& e : std::filesystem::directory_iterator(host.dir() + "/tls")) written.insert(e.path().filename());
  CHECK(written == std::set<std::string>{"server.pem", "server.key"});
  const ObservedSlot slot = MustOk(provider.Observe()).slots[0];
  REQUIRE(slot.certificate_pem.has_value());
  CHECK(*slot.certificate_pem == leaf.ToPem());
  CHECK(slot.chain_pems == std::vector<std::string>{issuing.ToPem()});
  CHECK(slot.key_public_digest == leaf.PublicKeyDigest());
}

TEST_CASE("a second install, then RestoreIdentity, brings the first files back byte for byte", "[openssh]") {
  OpensshHost host;
  auto provider = host.Provider();
  host.GenerateAndInstall(provider);
  REQUIRE(::chmod(host.chain().c_str(), 0640) == 0);  // modes are restored too
  const auto first = Snapshot(host);
  const std::string firstDigest = MustOk(provider.Observe()).Digest();

  IdentityBackup backup;
  pki::Certificate second = host.GenerateAndInstall(provider, &backup);
  CHECK(backup.had_identity);
  CHECK(backup.saved.size() == 4);
  CHECK(ReadLocal(host.certificate()) == second.ToPem());
  CHECK(Snapshot(host) != first);
  for (const auto& f : {host.certificate(), host.chain(), host.fullchain(), host.key()})
    CHECK(ReadLocal(f + ".pkiform-backup") == first.at(f).bytes);

  REQUIRE(provider.RestoreIdentity(backup).ok());
  CHECK(Snapshot(host) == first);
  CHECK(MustOk(provider.Observe()).Digest() == firstDigest);
  for (const auto& f : {host.certificate(), host.chain(), host.fullchain(), host.key()})
    CHECK_FALSE(Exists(f + ".pkiform-backup"));

  // Restoring twice finds no backups and says so.
  Status again = provider.RestoreIdentity(backup);
  REQUIRE_FALSE(again.ok());
  CHECK_THAT(again.message(), Catch::Contains("nginx on web1.example.com: restore identity: backup"));
  CHECK_THAT(again.message(), Catch::Contains("is missing"));
}

TEST_CASE("RestoreIdentity after a first install removes the new files", "[openssh]") {
  OpensshHost host;
  auto provider = host.Provider();
  IdentityBackup backup;
  host.GenerateAndInstall(provider, &backup);
  REQUIRE(Exists(host.certificate()));
  REQUIRE(provider.RestoreIdentity(backup).ok());
  for (const auto& f : {host.certificate(), host.chain(), host.fullchain(), host.key()}) CHECK_FALSE(Exists(f));
}

TEST_CASE("DiscardBackup removes the backup copies and nothing else", "[openssh]") {
  OpensshHost host;
  auto provider = host.Provider();
  host.GenerateAndInstall(provider);
  IdentityBackup backup;
  pki::Certificate second = host.GenerateAndInstall(provider, &backup);
  REQUIRE(Exists(host.key() + ".pkiform-backup"));
  REQUIRE(provider.DiscardBackup(backup).ok());
  for (const auto& f : {host.certificate(), host.chain(), host.fullchain(), host.key()}) {
    CHECK_FALSE(Exists(f + ".pkiform-backup"));
    CHECK(Exists(f));
  }
  CHECK(ReadLocal(host.certificate()) == second.ToPem());
}

TEST_CASE("a backup handle that is not one of the slot's files is refused", "[openssh]") {
  OpensshHost host;
  WriteLocal(host.dir() + "/precious", "keep me");
  auto provider = host.Provider();
  IdentityBackup forged;
  forged.slot = "nginx";
  forged.saved = {host.dir() + "/precious"};
  Status s = provider.RestoreIdentity(forged);
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(s.message(), Catch::Contains("is not a backup of this slot's files"));
  CHECK(ReadLocal(host.dir() + "/precious") == "keep me");
}

TEST_CASE("installing a key pkiform generated writes it 0600 with one trailing newline", "[openssh]") {
  OpensshHost host;
  host.slot().files->mode = "0640";
  host.slot().files->owner = SharedSshd().user();
  host.slot().files->group = SharedSshd().user();
  auto provider = host.Provider();
  pki::PrivateKey key = MustOk(pki::PrivateKey::Generate(pki::KeySpec::Ecdsa("P-256")));
  pki::DistinguishedName name;
  name.commonName = "web1.example.com";
  pki::Certificate leaf = MustOk(pki::SignPublicKey(key.get(), SharedCa().certificate, SharedCa().key,
                                                    PolicyFor(name, {"web1.example.com"}, {}, false)));
  pki::SecretString pem = MustOk(key.ToPem());
  pki::SecretString padded(pem.str() + "\n\n");
  IdentityInstall install = InstallOf(leaf);
  install.private_key_pem = &padded;
  IdentityBackup backup = MustOk(provider.InstallIdentity(install));

  CHECK(ReadLocal(host.key()) == pem.str());
  CHECK(ModeOf(host.key()) == 0600);
  CHECK(ModeOf(host.certificate()) == 0640);
  CHECK(ModeOf(host.fullchain()) == 0640);
  struct stat st {}, data {};
  REQUIRE(::stat(host.key().c_str(), &st) == 0);
  REQUIRE(::stat(SharedSshd().dataDir().c_str(), &data) == 0);
  CHECK(st.st_uid == data.st_uid);
  CHECK(st.st_gid == data.st_gid);
  CHECK(MustOk(provider.Observe()).slots[0].key_public_digest == leaf.PublicKeyDigest());
}

TEST_CASE("a key that does not belong to the certificate is refused before anything changes", "[openssh]") {
  OpensshHost host;
  auto provider = host.Provider();
  host.GenerateAndInstall(provider);
  const auto before = Snapshot(host);

  // The pending key of a new CSR, with a certificate for some other key.
  MustOk(provider.GenerateCsr(OpensshHost::Request()));
  pki::PrivateKey other = MustOk(pki::PrivateKey::Generate(pki::KeySpec::Ecdsa("P-256")));
  pki::DistinguishedName name;
  name.commonName = "web1.example.com";
  pki::Certificate wrong = MustOk(pki::SignPublicKey(other.get(), SharedCa().certificate, SharedCa().key,
                                                     PolicyFor(name, {"web1.example.com"}, {}, false)));
  IdentityInstall pending = InstallOf(wrong);
  pending.use_pending_key = true;
  auto r = provider.InstallIdentity(pending);
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.status().message(), Catch::StartsWith("nginx on web1.example.com: install identity: the pending key"));
  CHECK_THAT(r.status().message(), Catch::Contains("does not belong to the certificate"));

  // Keeping the installed key: it does not belong to that certificate either.
  auto kept = provider.InstallIdentity(InstallOf(wrong));
  REQUIRE_FALSE(kept.ok());
  CHECK_THAT(kept.status().message(), Catch::Contains("the private key " + host.key() + " does not belong"));

  // A generated key for another certificate: refused without contacting the host.
  pki::SecretString generated = MustOk(MustOk(pki::PrivateKey::Generate(pki::KeySpec::Ecdsa("P-256"))).ToPem());
  IdentityInstall upload = InstallOf(wrong);
  upload.private_key_pem = &generated;
  auto uploaded = provider.InstallIdentity(upload);
  REQUIRE_FALSE(uploaded.ok());
  CHECK_THAT(uploaded.status().message(),
             Catch::EndsWith("the generated private key does not belong to the certificate"));

  CHECK(Snapshot(host) == before);
  CHECK_FALSE(Exists(host.certificate() + ".pkiform-backup"));
}

TEST_CASE("use_pending_key without a pending key fails clearly", "[openssh]") {
  OpensshHost host;
  auto provider = host.Provider();
  IdentityInstall install = InstallOf(SharedCa().certificate);
  install.use_pending_key = true;
  auto r = provider.InstallIdentity(install);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message() == "nginx on web1.example.com: install identity: no pending key at " + host.key() +
                                    ".pkiform-new (GenerateCsr makes it; was it used already?)");
  CHECK_FALSE(Exists(host.certificate()));
}

TEST_CASE("an owner that does not exist on the host is refused", "[openssh]") {
  OpensshHost host;
  host.slot().files->owner = "no-such-user-pkiform";
  auto provider = host.Provider();
  MustOk(provider.GenerateCsr(OpensshHost::Request()));
  IdentityInstall install = InstallOf(SharedCa().certificate);
  install.use_pending_key = true;
  auto r = provider.InstallIdentity(install);
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.status().message(), Catch::Contains("owner 'no-such-user-pkiform' does not exist on the host"));
  CHECK(Exists(host.key() + ".pkiform-new"));
}

TEST_CASE("an upload that fails puts the previous files back", "[openssh]") {
  OpensshHost host;
  auto provider = host.Provider();
  host.GenerateAndInstall(provider);
  const auto before = Snapshot(host);
  // The fullchain's directory becomes unwritable for the login user after the backups are made:
  // a fullchain path in a root-owned directory fails at upload time.
  const std::string locked = host.dir() + "/locked";
  std::filesystem::create_directories(locked);
  host.slot().files->fullchain = locked + "/fullchain.pem";
  auto failing = host.Provider();
  MustOk(failing.GenerateCsr(OpensshHost::Request()));
  pki::Certificate leaf = SignWithCa(*MustOk(failing.Observe()).slots[0].pending_csr_pem);
  IdentityInstall install = InstallOf(leaf);
  install.use_pending_key = true;
  auto r = failing.InstallIdentity(install);
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.status().message(), Catch::StartsWith("nginx on web1.example.com: install fullchain: "));
  CHECK_THAT(r.status().message(), Catch::EndsWith("; the previous files were put back"));
  for (const auto& f : {host.certificate(), host.chain(), host.key()})
    CHECK(before.at(f) == FileState{ReadLocal(f), ModeOf(f)});
}
