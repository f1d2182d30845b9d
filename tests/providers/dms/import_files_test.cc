// The files pkiform stages for IMPORT_CERTIFICATE (providers/dms/import_files.h): whatever it
// was handed, each certificate goes as its own clean PEM file (D1, D2, D5) and the chain is
// complete up to the root (D11), or nothing is staged.
#include <catch2/catch.hpp>

#include "providers/dms/import_files.h"
#include "reconciler/pki/csr.h"
#include "reconciler/pki/key.h"
#include "reconciler/pki/signer.h"
#include "tests/support/must.h"

using namespace pkiform;
using pkiform::testing::Must;
using pkiform::dms::PrepareImportFiles;

namespace {

struct Ca {
  pki::PrivateKey key;
  pki::Certificate cert;
};

pki::SigningPolicy Policy(const std::string& cn, bool ca) {
  pki::SigningPolicy policy;
  policy.subject.commonName = cn;
  policy.subject.organization = "Example Ltd";
  policy.isCa = ca;
  if (ca) policy.keyUsage = {"keyCertSign", "cRLSign"};
  if (!ca) policy.dnsNames = {cn};
  policy.notBefore = std::chrono::system_clock::now() - std::chrono::hours(1);
  policy.validity = std::chrono::hours(24 * 30);
  return policy;
}

pki::Certificate Signed(const std::string& cn, bool ca, const Ca& by, pki::PrivateKey* key_out = nullptr) {
  auto key = Must(pki::PrivateKey::Generate(pki::KeySpec::Ecdsa("P-256")));
  const auto policy = Policy(cn, ca);
  auto csr = Must(pki::Csr::Create(pki::CsrRequest{policy.subject, policy.dnsNames, {}, {}, {}}, key));
  auto cert = Must(pki::SignCsr(csr, by.cert, by.key, policy));
  if (key_out) *key_out = std::move(key);
  return cert;
}

// Root -> issuing CA -> dms.example.com.
struct Chain {
  Ca root;
  Ca issuing;
  pki::Certificate leaf;
};

Chain MakeChain() {
  auto root_key = Must(pki::PrivateKey::Generate(pki::KeySpec::Ecdsa("P-256")));
  auto root_cert = Must(pki::SelfSign(root_key, Policy("Root CA", true)));
  Ca root{std::move(root_key), std::move(root_cert)};
  auto issuing_key = Must(pki::PrivateKey::Generate(pki::KeySpec::Ecdsa("P-256")));
  const auto policy = Policy("Issuing CA", true);
  auto csr = Must(pki::Csr::Create(pki::CsrRequest{policy.subject, {}, {}, {}, {}}, issuing_key));
  Ca issuing{std::move(issuing_key), Must(pki::SignCsr(csr, root.cert, root.key, policy))};
  auto leaf = Signed("dms.example.com", false, issuing);
  return {std::move(root), std::move(issuing), std::move(leaf)};
}

std::string Crlf(const std::string& pem) {
  std::string out;
  for (char c : pem) out += c == '\n' ? std::string("\r\n") : std::string(1, c);
  return out + "\r\n\r\n";
}

bool OnePemBlock(const std::string& pem) {
  const auto end = std::string("-----END CERTIFICATE-----\n");
  return pem.rfind("-----BEGIN CERTIFICATE-----\n", 0) == 0 && pem.find(end) == pem.size() - end.size() &&
         pem.find("BEGIN", 6) == std::string::npos && pem.find('\r') == std::string::npos;
}

}  // namespace

TEST_CASE("dms import files: DER in, PEM out", "[dms][rule:D1]") {
  const Chain c = MakeChain();
  auto files = PrepareImportFiles(c.leaf.ToDer(), {c.issuing.cert.ToDer(), c.root.cert.ToPem()});
  INFO(files.status().ToString());
  REQUIRE(files.ok());
  CHECK(files->identity_pem == c.leaf.ToPem());
  CHECK(OnePemBlock(files->identity_pem));
  REQUIRE(files->ca_pems.size() == 2);
  CHECK(files->ca_pems[0] == c.issuing.cert.ToPem());
  CHECK(OnePemBlock(files->ca_pems[0]));
}

TEST_CASE("dms import files: CR LF line ends and blank lines after END are gone", "[dms][rule:D2]") {
  const Chain c = MakeChain();
  auto files = PrepareImportFiles(Crlf(c.leaf.ToPem()), {Crlf(c.issuing.cert.ToPem()), Crlf(c.root.cert.ToPem())});
  REQUIRE(files.ok());
  CHECK(OnePemBlock(files->identity_pem));
  for (const auto& ca : files->ca_pems) CHECK(OnePemBlock(ca));
}

TEST_CASE("dms import files: a bundle is split, one certificate per file, in chain order", "[dms][rule:D5]") {
  const Chain c = MakeChain();
  SECTION("a full chain in the identity's file") {
    auto files = PrepareImportFiles(c.leaf.ToPem() + c.issuing.cert.ToPem() + c.root.cert.ToPem(), {});
    REQUIRE(files.ok());
    CHECK(files->identity_pem == c.leaf.ToPem());
    CHECK(files->ca_pems == std::vector<std::string>{c.issuing.cert.ToPem(), c.root.cert.ToPem()});
  }
  SECTION("root and issuing CA in one CA file, root first") {
    auto files = PrepareImportFiles(c.leaf.ToPem(), {c.root.cert.ToPem() + c.issuing.cert.ToPem()});
    REQUIRE(files.ok());
    CHECK(files->ca_pems == std::vector<std::string>{c.issuing.cert.ToPem(), c.root.cert.ToPem()});
  }
}

TEST_CASE("dms import files: an incomplete chain is refused, naming what is missing", "[dms][rule:D11]") {
  const Chain c = MakeChain();
  auto no_root = PrepareImportFiles(c.leaf.ToPem(), {c.issuing.cert.ToPem()});
  REQUIRE_FALSE(no_root.ok());
  CHECK_THAT(no_root.status().message(), Catch::Contains("MISSING_CA_CERTIFICATE"));
  CHECK_THAT(no_root.status().message(), Catch::Contains("CN=Root CA"));
  auto nothing = PrepareImportFiles(c.leaf.ToPem(), {});
  REQUIRE_FALSE(nothing.ok());
  CHECK_THAT(nothing.status().message(), Catch::Contains("[rule:D11]"));
  // CAs off the identity's path are left out rather than staged.
  auto other_key = Must(pki::PrivateKey::Generate(pki::KeySpec::Ecdsa("P-256")));
  auto other = Must(pki::SelfSign(other_key, Policy("Other Root", true)));
  auto files = PrepareImportFiles(c.leaf.ToPem(), {other.ToPem(), c.issuing.cert.ToPem(), c.root.cert.ToPem()});
  REQUIRE(files.ok());
  CHECK(files->ca_pems.size() == 2);
}

TEST_CASE("dms import files: garbage and a missing identity are errors, not crashes", "[dms][rule:D1]") {
  CHECK_FALSE(PrepareImportFiles("", {}).ok());
  CHECK_FALSE(PrepareImportFiles("not a certificate", {}).ok());
  const Chain c = MakeChain();
  CHECK_FALSE(PrepareImportFiles(c.leaf.ToPem(), {"PK\x03\x04 a zip"}).ok());
}
