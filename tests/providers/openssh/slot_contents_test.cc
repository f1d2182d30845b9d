// What InstallIdentity writes into each file of an openssh slot (no host needed;
// identity_test.cc installs through a real sshd).
#include "providers/openssh/slot_contents.h"

#include <catch2/catch.hpp>

#include "tests/reconciler/pki/pki_test_support.h"

using namespace pkiform;
using namespace pkiform::openssh;
using pki::testing::At;
using pki::testing::CsrFor;
using pki::testing::LeafPolicy;
using pki::testing::Must;
using pki::testing::SharedPki;

namespace {

SlotFileSet Files(bool chain, bool fullchain) {
  SlotFileSet f;
  f.certificate = "/etc/tls/server.pem";
  if (chain) f.chain = "/etc/tls/chain.pem";
  if (fullchain) f.fullchain = "/etc/tls/fullchain.pem";
  f.private_key = "/etc/tls/server.key";
  return f;
}

}  // namespace

TEST_CASE("slot contents: with only a certificate file, the chain follows the leaf in it", "[openssh]") {
  const auto& p = SharedPki();
  const SlotContents c = ContentsOf(Files(false, false), p.leaf, {p.intermediate, p.root});
  CHECK(c.certificate == p.leaf.ToPem() + p.intermediate.ToPem());
  CHECK(c.chain.empty());
  CHECK(c.fullchain.empty());
}

TEST_CASE("slot contents: with a chain or fullchain file, the certificate file holds the leaf alone", "[openssh]") {
  const auto& p = SharedPki();
  const std::string leaf = p.leaf.ToPem(), chain = p.intermediate.ToPem();
  SlotContents c = ContentsOf(Files(true, false), p.leaf, {p.intermediate, p.root});
  CHECK(c.certificate == leaf);
  CHECK(c.chain == chain);
  c = ContentsOf(Files(false, true), p.leaf, {p.intermediate, p.root});
  CHECK(c.certificate == leaf);
  CHECK(c.fullchain == leaf + chain);
  c = ContentsOf(Files(true, true), p.leaf, {p.root, p.intermediate});  // any order in, signing order out
  CHECK(c.certificate == leaf);
  CHECK(c.chain == chain);
  CHECK(c.fullchain == leaf + chain);
}

TEST_CASE("slot contents: a root issuer's chain is empty, so no file holds the root", "[openssh]") {
  const auto& p = SharedPki();
  const pki::Certificate leaf = Must(pki::SignCsr(CsrFor("r.example.com", p.leafKey), p.root, p.rootKey,
                                                  LeafPolicy("r.example.com", At("2026-01-01T00:00:00Z"), 397)));
  for (bool chain : {false, true})
    for (bool fullchain : {false, true}) {
      const SlotContents c = ContentsOf(Files(chain, fullchain), leaf, {p.root});
      CHECK(c.certificate == leaf.ToPem());
      CHECK(c.chain.empty());
      CHECK(c.fullchain == (fullchain ? leaf.ToPem() : ""));
    }
}
