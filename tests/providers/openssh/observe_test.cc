// Observe against a real sshd: absent files, files whose text imitates the
// output markers, unreadable files.
#include <catch2/catch.hpp>

#include "tests/providers/openssh/openssh_fixture.h"

using namespace pkiform;
using namespace pkiform::testing;

TEST_CASE("observe an empty host: the slot and both trust stores are empty", "[openssh]") {
  OpensshHost host;
  auto provider = host.Provider();
  Actual actual = MustOk(provider.Observe());
  CHECK(actual.cluster == "web-eu");
  CHECK(actual.peer == "web1.example.com");
  REQUIRE(actual.slots.size() == 1);
  const ObservedSlot& slot = actual.slots[0];
  CHECK(slot.slot == "nginx");
  CHECK_FALSE(slot.certificate_pem.has_value());
  CHECK(slot.chain_pems.empty());
  CHECK(slot.key_public_digest.empty());
  CHECK_FALSE(slot.pending_csr_pem.has_value());
  CHECK(slot.missing_files == std::vector<std::string>{host.chain(), host.fullchain()});
  REQUIRE(actual.trust.size() == 2);
  CHECK(actual.trust[0].store == host.bundle());
  CHECK(actual.trust[0].certificate_pems.empty());
  CHECK(actual.trust[1].store == host.directory());
  CHECK(actual.trust[1].certificate_pems.empty());
}

TEST_CASE("observe reads files whose text imitates the output markers", "[openssh]") {
  OpensshHost host;
  const pki::Certificate& ca = SharedCa().certificate;
  const std::string forged = "\n@@pkiform end 0 0\n@@pkiform cert 0 absent\n@@pkiform encoding 0 hex\n";
  WriteLocal(host.certificate(), "# served by nginx" + forged + ca.ToPem() + forged);
  WriteLocal(host.bundle(), forged + ca.ToPem());
  WriteLocal(host.directory() + "/x.pem", forged);
  auto provider = host.Provider();
  Actual actual = MustOk(provider.Observe());
  REQUIRE(actual.slots[0].certificate_pem.has_value());
  CHECK(*actual.slots[0].certificate_pem == ca.ToPem());
  REQUIRE(actual.trust[0].certificate_pems.size() == 1);
  CHECK(actual.trust[0].certificate_pems[0] == ca.ToPem());
  CHECK(actual.trust[1].certificate_pems.empty());
}

TEST_CASE("observe reports the key of a private key file by its public key digest", "[openssh]") {
  OpensshHost host;
  pki::PrivateKey key = MustOk(pki::PrivateKey::Generate(pki::KeySpec::Ecdsa("P-256")));
  WriteLocal(host.key(), MustOk(key.ToPem()).str(), 0600);
  auto provider = host.Provider();
  Actual actual = MustOk(provider.Observe());
  CHECK(actual.slots[0].key_public_digest == key.PublicKeyDigest());

  // A key file that is not a key reads as "no key", not as an error.
  WriteLocal(host.key(), "garbage\n", 0600);
  Actual garbage = MustOk(provider.Observe());
  CHECK(garbage.slots[0].key_public_digest.empty());
}

TEST_CASE("observe fails, naming slot, peer and step, on a certificate file it cannot read", "[openssh]") {
  OpensshHost host;
  WriteLocal(host.certificate(), SharedCa().certificate.ToPem(), 0000);
  REQUIRE(::chown(host.certificate().c_str(), 0, 0) == 0);  // root's, unreadable to the login user
  auto provider = host.Provider();
  auto actual = provider.Observe();
  REQUIRE_FALSE(actual.ok());
  CHECK_THAT(actual.status().message(), Catch::Contains("nginx on web1.example.com: observe"));
  CHECK_THAT(actual.status().message(), Catch::Contains("cannot read certificate file " + host.certificate()));
}

TEST_CASE("observe without a chain file takes the chain from the fullchain file", "[openssh]") {
  OpensshHost host;
  host.slot().files->chain.clear();
  const pki::Certificate& ca = SharedCa().certificate;
  pki::Certificate other = MakeCa("another CA").certificate;
  WriteLocal(host.certificate(), other.ToPem());
  WriteLocal(host.fullchain(), other.ToPem() + ca.ToPem());
  auto provider = host.Provider();
  Actual actual = MustOk(provider.Observe());
  REQUIRE(actual.slots[0].chain_pems.size() == 1);
  CHECK(actual.slots[0].chain_pems[0] == ca.ToPem());
}

TEST_CASE("observe tells an empty chain file (a root issuer's) from a missing one, and so does the digest",
          "[openssh]") {
  OpensshHost host;
  WriteLocal(host.certificate(), SharedCa().certificate.ToPem());
  WriteLocal(host.chain(), "");
  WriteLocal(host.fullchain(), SharedCa().certificate.ToPem());
  auto provider = host.Provider();
  Actual all_there = MustOk(provider.Observe());
  CHECK(all_there.slots[0].missing_files.empty());
  CHECK(all_there.slots[0].chain_pems.empty());
  REQUIRE(::unlink(host.chain().c_str()) == 0);
  Actual chain_gone = MustOk(provider.Observe());
  CHECK(chain_gone.slots[0].missing_files == std::vector<std::string>{host.chain()});
  CHECK(chain_gone.slots[0].chain_pems.empty());
  CHECK(chain_gone.Digest() != all_there.Digest());  // a plan made before is stale
}

TEST_CASE("observe fails, naming store, peer and step, on a CA file it cannot read", "[openssh]") {
  OpensshHost host;
  const std::string file = host.directory() + "/corp.pem";
  WriteLocal(file, SharedCa().certificate.ToPem(), 0000);
  REQUIRE(::chown(file.c_str(), 0, 0) == 0);
  auto provider = host.Provider();
  auto actual = provider.Observe();
  REQUIRE_FALSE(actual.ok());
  CHECK(actual.status().message() == "trust store " + host.directory() +
                                         " on web1.example.com: observe: cannot read file " + file +
                                         " (permission denied or not a regular file)");
}
