#include "reconciler/pki/chain.h"

#include <catch2/catch.hpp>

#include "pki_test_support.h"

namespace pkiform::pki {
namespace {

using testing::At;
using testing::CaPolicy;
using testing::Must;
using testing::SharedPki;

std::vector<std::string> Subjects(const std::vector<Certificate>& chain) {
  std::vector<std::string> out;
  for (const auto& certificate : chain) out.push_back(certificate.Subject().commonName);
  return out;
}

TEST_CASE("BuildChain orders a shuffled bundle from leaf to root", "[pki]") {
  const auto& pki = SharedPki();
  const Certificate unrelated =
      Must(SelfSign(testing::NewP256Key(), CaPolicy("Unrelated Root", At("2025-01-01T00:00:00Z"), 365)));
  const std::vector<Certificate> bundle = {pki.root, unrelated, pki.leaf, pki.intermediate, pki.root};
  const std::vector<Certificate> chain = Must(BuildChain(pki.leaf, bundle));
  CHECK(Subjects(chain) == std::vector<std::string>{"vcs1.example.com", "Test Issuing CA", "Test Root CA"});
  CHECK(chain[2] == pki.root);
}

TEST_CASE("BuildChain stops where the bundle has no issuer", "[pki]") {
  const auto& pki = SharedPki();
  CHECK(Subjects(Must(BuildChain(pki.leaf, {}))) == std::vector<std::string>{"vcs1.example.com"});
  CHECK(Subjects(Must(BuildChain(pki.leaf, {pki.root}))) == std::vector<std::string>{"vcs1.example.com"});
  CHECK(Subjects(Must(BuildChain(pki.root, {pki.root, pki.intermediate}))) == std::vector<std::string>{"Test Root CA"});
}

TEST_CASE("BuildChain terminates on CAs that certify each other", "[pki]") {
  const TimePoint start = At("2025-01-01T00:00:00Z");
  const PrivateKey keyA = testing::NewP256Key();
  const PrivateKey keyB = testing::NewP256Key();
  const Certificate selfA = Must(SelfSign(keyA, CaPolicy("Loop A", start, 365)));
  const Certificate selfB = Must(SelfSign(keyB, CaPolicy("Loop B", start, 365)));
  // A certified by B and B certified by A: following issuers alone would cycle forever.
  const Certificate aByB = Must(SignPublicKey(keyA.get(), selfB, keyB, CaPolicy("Loop A", start, 300)));
  const Certificate bByA = Must(SignPublicKey(keyB.get(), selfA, keyA, CaPolicy("Loop B", start, 300)));
  const PrivateKey leafKey = testing::NewP256Key();
  const Certificate leaf = Must(SignCsr(testing::CsrFor("loop.example.com", leafKey), selfA, keyA,
                                        testing::LeafPolicy("loop.example.com", start, 30)));
  const std::vector<Certificate> chain = Must(BuildChain(leaf, {aByB, bByA}));
  CHECK(Subjects(chain) == std::vector<std::string>{"loop.example.com", "Loop A", "Loop B"});
}

TEST_CASE("IsIssuedBy needs the issuer's name and key", "[pki]") {
  const auto& pki = SharedPki();
  CHECK(IsIssuedBy(pki.leaf, pki.intermediate));
  CHECK(IsIssuedBy(pki.intermediate, pki.root));
  CHECK(IsIssuedBy(pki.root, pki.root));
  CHECK_FALSE(IsIssuedBy(pki.leaf, pki.root));
  // Same name as the intermediate, different key: the signature gives it away.
  const Certificate impostor =
      Must(SelfSign(testing::NewP256Key(), CaPolicy("Test Issuing CA", At("2025-01-01T00:00:00Z"), 365)));
  REQUIRE(impostor.Subject() == pki.intermediate.Subject());
  CHECK_FALSE(IsIssuedBy(pki.leaf, impostor));
}

TEST_CASE("VerifyChain accepts the chain within its validity", "[pki]") {
  const auto& pki = SharedPki();
  const Status status = VerifyChain(pki.leaf, {pki.intermediate}, {pki.root}, At("2026-06-01T00:00:00Z"));
  INFO(status.ToString());
  CHECK(status.ok());
}

TEST_CASE("VerifyChain checks validity at the given time, not the wall clock", "[pki]") {
  const auto& pki = SharedPki();
  const Status early = VerifyChain(pki.leaf, {pki.intermediate}, {pki.root}, At("2025-12-31T23:59:59Z"));
  REQUIRE_FALSE(early.ok());
  CHECK(early.message() ==
        "certificate 'CN=vcs1.example.com, O=Example Corp, C=NO': certificate is not yet valid "
        "(checked at 2025-12-31T23:59:59Z)");
  const Status late = VerifyChain(pki.leaf, {pki.intermediate}, {pki.root}, At("2027-02-02T00:00:01Z"));
  REQUIRE_FALSE(late.ok());
  CHECK(late.message() ==
        "certificate 'CN=vcs1.example.com, O=Example Corp, C=NO': certificate has expired "
        "(checked at 2027-02-02T00:00:01Z)");
}

TEST_CASE("VerifyChain names the certificate whose issuer is missing", "[pki][rule:D11]") {
  const auto& pki = SharedPki();
  const Status status = VerifyChain(pki.leaf, {}, {pki.root}, At("2026-06-01T00:00:00Z"));
  REQUIRE_FALSE(status.ok());
  CHECK(status.message() ==
        "certificate 'CN=vcs1.example.com, O=Example Corp, C=NO': unable to get local issuer certificate "
        "(its issuer 'CN=Test Issuing CA, O=Example Corp, C=NO' is neither given nor trusted)");
}

TEST_CASE("VerifyChain accepts an intermediate CA as the trust anchor", "[pki]") {
  const auto& pki = SharedPki();
  CHECK(VerifyChain(pki.leaf, {}, {pki.intermediate}, At("2026-06-01T00:00:00Z")).ok());
}

TEST_CASE("VerifyChain fails against an unrelated anchor or none", "[pki]") {
  const auto& pki = SharedPki();
  const Certificate other =
      Must(SelfSign(testing::NewP256Key(), CaPolicy("Other Root", At("2025-01-01T00:00:00Z"), 3650)));
  const Status status = VerifyChain(pki.leaf, {pki.intermediate}, {other}, At("2026-06-01T00:00:00Z"));
  REQUIRE_FALSE(status.ok());
  CHECK(status.message().rfind("certificate 'CN=Test Issuing CA, O=Example Corp, C=NO': unable to get", 0) == 0);
  const Status none = VerifyChain(pki.leaf, {pki.intermediate}, {}, At("2026-06-01T00:00:00Z"));
  CHECK(none.message() == "no trust anchors to verify the chain against");
}

}  // namespace
}  // namespace pkiform::pki
