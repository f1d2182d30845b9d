// What a server presents after its certificate: the issuer's certificates in
// signing order, never a self-signed root.
#include "reconciler/pki/presented_chain.h"

#include <catch2/catch.hpp>

#include "tests/reconciler/pki/pki_test_support.h"

namespace pkiform::pki {
namespace {

using namespace testing;

std::vector<std::string> Names(const std::vector<Certificate>& certs) {
  std::vector<std::string> out;
  for (const auto& c : certs) out.push_back(c.Subject().commonName);
  return out;
}

// Under the shared intermediate: a second intermediate, and a leaf it signs.
struct Deeper {
  Certificate team, leaf;
};

const Deeper& Team() {
  static const Deeper d = [] {
    const TestPki& p = SharedPki();
    PrivateKey key = NewP256Key();
    Certificate team = Must(SignCsr(CaCsrFor("Test Team CA", key), p.intermediate, p.intermediateKey,
                                    CaPolicy("Test Team CA", At("2025-01-01T00:00:00Z"), 1000)));
    Certificate leaf = Must(SignCsr(CsrFor("web.example.com", p.leafKey), team, key,
                                    LeafPolicy("web.example.com", At("2026-01-01T00:00:00Z"), 397)));
    return Deeper{team, leaf};
  }();
  return d;
}

TEST_CASE("WithoutRoots drops self-signed certificates and repeats, keeping the order", "[pki]") {
  const TestPki& p = SharedPki();
  CHECK(Names(WithoutRoots({p.root})).empty());
  CHECK(Names(WithoutRoots({p.intermediate, p.root, p.intermediate})) == std::vector<std::string>{"Test Issuing CA"});
  CHECK(Names(WithoutRoots({p.root, Team().team, p.intermediate})) ==
        std::vector<std::string>{"Test Team CA", "Test Issuing CA"});
}

TEST_CASE("PresentedChain: from the leaf's issuer upward, whatever the given order, without the root", "[pki]") {
  const TestPki& p = SharedPki();
  CHECK(PresentedChain(p.leaf, {p.intermediate, p.root}) == std::vector<Certificate>{p.intermediate});
  CHECK(PresentedChain(p.leaf, {p.root, p.intermediate}) == std::vector<Certificate>{p.intermediate});
  CHECK(Names(PresentedChain(Team().leaf, {p.root, p.intermediate, Team().team})) ==
        std::vector<std::string>{"Test Team CA", "Test Issuing CA"});
  CHECK(PresentedChain(p.leaf, {}).empty());
}

TEST_CASE("PresentedChain: a root issuer presents nothing", "[pki]") {
  const TestPki& p = SharedPki();
  const Certificate leaf = Must(SignCsr(CsrFor("r.example.com", p.leafKey), p.root, p.rootKey,
                                        LeafPolicy("r.example.com", At("2026-01-01T00:00:00Z"), 397)));
  CHECK(PresentedChain(leaf, {p.root}).empty());
}

TEST_CASE("PresentedChain: a listed CA off the leaf's path still follows, not dropped", "[pki]") {
  const TestPki& p = SharedPki();
  CHECK(Names(PresentedChain(p.leaf, {Team().team, p.intermediate, p.root})) ==
        std::vector<std::string>{"Test Issuing CA", "Test Team CA"});
}

}  // namespace
}  // namespace pkiform::pki
