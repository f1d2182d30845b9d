// Observe against a real sshd: absent files, files whose text imitates the
// output markers, unreadable files.
#include <openssl/x509.h>

#include <catch2/catch.hpp>

#include "providers/openssh/remote_script.h"
#include "reconciler/pki/digest.h"
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

namespace {
std::string PublicDer(const pki::PrivateKey& key) {
  unsigned char* der = nullptr;
  const int n = i2d_PUBKEY(key.get(), &der);
  REQUIRE(n > 0);
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  return out;
}
}  // namespace

// Issue 13: a key proved once is not derived again while its file is unchanged.
TEST_CASE("observe proves an unchanged key file by its hash, and derives a changed one again", "[openssh][key-proofs]") {
  OpensshHost host;
  pki::PrivateKey key = MustOk(pki::PrivateKey::Generate(pki::KeySpec::Ecdsa("P-256")));
  WriteLocal(host.key(), MustOk(key.ToPem()).str(), 0600);
  openssh::KeyProofCache cache;
  const std::string peer = "web-eu/web1.example.com";
  {
    openssh::OpensshProvider provider(host.session(), host.cluster(), host.cluster().peers[0], &cache);
    Actual first = MustOk(provider.Observe());
    CHECK(first.slots[0].key_public_digest == key.PublicKeyDigest());
  }
  openssh::KeyProofs proofs = cache.For(peer);
  REQUIRE(proofs.count(host.key()) == 1);
  CHECK(proofs[host.key()].file_sha256 == pki::Sha256Hex(ReadLocal(host.key())));
  CHECK(proofs[host.key()].public_key_digest == key.PublicKeyDigest());  // kept: a proved key is not parsed

  // The host answers "same" and the public key comes from the proof: a proof that names
  // another key's public key shows through, which is how this test knows openssl did not run.
  pki::PrivateKey other = MustOk(pki::PrivateKey::Generate(pki::KeySpec::Ecdsa("P-256")));
  openssh::KeyProofCache doctored;
  doctored.Learn(peer, {{host.key(), {proofs[host.key()].file_sha256, PublicDer(other), ""}}});  // no digest kept: the DER is read
  {
    openssh::OpensshProvider provider(host.session(), host.cluster(), host.cluster().peers[0], &doctored);
    CHECK(MustOk(provider.Observe()).slots[0].key_public_digest == other.PublicKeyDigest());
  }

  // With the digest kept beside it, that is what a proved key gets: its DER is not parsed at all.
  openssh::KeyProofCache with_digest;
  with_digest.Learn(peer, {{host.key(), {proofs[host.key()].file_sha256, PublicDer(key), std::string(64, 'd')}}});
  {
    openssh::OpensshProvider provider(host.session(), host.cluster(), host.cluster().peers[0], &with_digest);
    CHECK(MustOk(provider.Observe()).slots[0].key_public_digest == std::string(64, 'd'));
  }

  // A new key file: its hash differs, the public key is derived and the proof replaced.
  pki::PrivateKey renewed = MustOk(pki::PrivateKey::Generate(pki::KeySpec::Ecdsa("P-256")));
  WriteLocal(host.key(), MustOk(renewed.ToPem()).str(), 0600);
  {
    openssh::OpensshProvider provider(host.session(), host.cluster(), host.cluster().peers[0], &doctored);
    CHECK(MustOk(provider.Observe()).slots[0].key_public_digest == renewed.PublicKeyDigest());
  }
  CHECK(doctored.For(peer)[host.key()].file_sha256 == pki::Sha256Hex(ReadLocal(host.key())));
}

TEST_CASE("observe takes one round trip: one exec, whatever the slot and stores hold", "[openssh][round-trips]") {
  OpensshHost host;
  pki::PrivateKey key = MustOk(pki::PrivateKey::Generate(pki::KeySpec::Ecdsa("P-256")));
  WriteLocal(host.key(), MustOk(key.ToPem()).str(), 0600);
  WriteLocal(host.certificate(), SharedCa().certificate.ToPem());
  WriteLocal(host.bundle(), SharedCa().certificate.ToPem());
  WriteLocal(host.directory() + "/a.pem", SharedCa().certificate.ToPem());
  openssh::KeyProofCache cache;
  openssh::OpensshProvider provider(host.session(), host.cluster(), host.cluster().peers[0], &cache);
  for (int run = 0; run < 2; ++run) {  // without a key proof, then with one
    const int before = host.session().execs();
    MustOk(provider.Observe());
    CHECK(host.session().execs() - before == 1);
  }
}

TEST_CASE("observe refuses a host that answers 'same' for a key it was given no proof of", "[openssh][key-proofs]") {
  std::vector<openssh::SlotToObserve> slots(1);
  slots[0].name = "nginx";
  slots[0].files.certificate = "/etc/tls/server.pem";
  slots[0].files.private_key = "/etc/tls/server.key";
  const std::string out =
      "@@pkiform encoding 0 b64\n@@pkiform cert 0 absent\n@@pkiform key 0 same\n@@pkiform end 0 0\n";
  auto actual = openssh::ReadObservation(out, slots, {}, "web", "web1");
  REQUIRE_FALSE(actual.ok());
  CHECK_THAT(actual.status().message(), Catch::Contains("no earlier proof"));
  const std::string hashless = "@@pkiform encoding 0 b64\n@@pkiform cert 0 absent\n@@pkiform key 0 absent\n"
                               "@@pkiform keysum 0 abc\n@@pkiform end 0 0\n";
  CHECK_FALSE(openssh::ReadObservation(hashless, slots, {}, "web", "web1").ok());
}

TEST_CASE("key proofs survive a round trip through JSON, and a broken file is refused", "[openssh][key-proofs]") {
  openssh::KeyProofCache cache;
  pki::PrivateKey key = MustOk(pki::PrivateKey::Generate(pki::KeySpec::Ecdsa("P-256")));
  const std::string sha(64, 'a');
  cache.Learn("web/w1", {{"/etc/k.pem", {sha, PublicDer(key), key.PublicKeyDigest()}}});
  auto back = MustOk(openssh::KeyProofCache::FromJson(cache.ToJson()));
  CHECK(back.For("web/w1").at("/etc/k.pem").file_sha256 == sha);
  CHECK(back.For("web/w1").at("/etc/k.pem").public_key_der == PublicDer(key));
  CHECK(back.For("web/w1").at("/etc/k.pem").public_key_digest == key.PublicKeyDigest());
  // A file of the earlier version (no digest) still loads; a digest that is not one is refused.
  auto old = MustOk(openssh::KeyProofCache::FromJson(R"({"version":1,"peers":{"p":{"/k":{"sha256":")" + sha +
                                                     R"(","public_key":"AA=="}}}})"));
  CHECK(old.For("p").at("/k").public_key_digest.empty());
  CHECK_FALSE(openssh::KeyProofCache::FromJson(R"({"version":1,"peers":{"p":{"/k":{"sha256":")" + sha +
                                               R"(","public_key":"AA==","public_key_digest":"zz"}}}})").ok());
  back.Prune([](const std::string& peer) { return peer != "web/w1"; });
  CHECK(back.For("web/w1").empty());
  CHECK_FALSE(openssh::KeyProofCache::FromJson("{").ok());
  CHECK_FALSE(openssh::KeyProofCache::FromJson(R"({"version":1,"peers":{"p":{"/k":{"sha256":"xyz","public_key":"AA=="}}}})").ok());
  CHECK_FALSE(openssh::KeyProofCache::FromJson(R"({"version":2,"peers":{}})").ok());
}

TEST_CASE("a script runs as one group read to its end: a command reading stdin gets nothing of it", "[openssh]") {
  OpensshHost host;
  // `cat` alone would print the rest of the script if the shell were still reading it from stdin.
  auto run = openssh::RunScript(host.session(), "cat\nprintf 'after %s\\n' \"$(cat | wc -c)\"\nfinish\n");
  REQUIRE(run.ok());
  INFO(run->out);
  CHECK(run->exitStatus == 0);
  CHECK(run->out.find("after 0\n") != std::string::npos);
  CHECK(run->out.find("finish") == std::string::npos);  // no script text came back
  CHECK(run->out.find("@@pkiform end 0 0") != std::string::npos);
  CHECK(host.session().execs() >= 1);
}
