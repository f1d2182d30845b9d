#include "reconciler/issuers/issuer.h"

#include <openssl/pem.h>

#include <catch2/catch.hpp>
#include <cstdlib>

#include "reconciler/pki/chain.h"
#include "reconciler/pki/handles.h"
#include "tests/support/temp_dir.h"

using namespace pkiform;
using namespace std::chrono_literals;

namespace {

pki::SigningPolicy CaPolicy(const std::string& cn) {
  pki::SigningPolicy p;
  p.subject.commonName = cn;
  p.isCa = true;
  p.keyUsage = {"keyCertSign", "cRLSign"};
  p.notBefore = std::chrono::system_clock::now() - 1h;
  p.validity = 24h * 30;
  return p;
}

std::string Encrypted(const pki::PrivateKey& key, const std::string& pass) {
  pki::BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PKCS8PrivateKey(bio.get(), key.get(), EVP_aes_256_cbc(), pass.data(), static_cast<int>(pass.size()),
                                nullptr, nullptr);
  return pki::BioContents(bio.get());
}

FileRef Ref(const std::string& path) { return FileRef{path, path, {}}; }

}  // namespace

TEST_CASE("a local CA signs a CSR with the serial it is given and returns its chain", "[issuers]") {
  testing::TempDir dir;
  auto root_key = pki::PrivateKey::Generate(pki::KeySpec::Ecdsa("P-256")).value();
  auto root = pki::SelfSign(root_key, CaPolicy("Issuer Test Root")).value();
  auto ca_key = pki::PrivateKey::Generate(pki::KeySpec::Ecdsa("P-256")).value();
  auto ca = pki::SignPublicKey(ca_key.get(), root, root_key, CaPolicy("Issuer Test CA")).value();

  Issuer is;
  is.name = "corp";
  is.kind = Issuer::Kind::kCa;
  is.certificate = Ref(dir.Write("ca.pem", ca.ToPem()));
  is.private_key = Ref(dir.Write("ca.key", Encrypted(ca_key, "s3cret")));
  is.chain = {Ref(dir.Write("root.pem", root.ToPem()))};
  is.passphrase_env = "PKIFORM_TEST_ISSUER_PASS";
  ::setenv("PKIFORM_TEST_ISSUER_PASS", "s3cret", 1);

  auto issuer = OpenIssuer(is, [] { return Result<std::string>(std::string("0A0B0C")); });
  REQUIRE(issuer.ok());
  REQUIRE((*issuer)->Chain().size() == 2);

  auto leaf_key = pki::PrivateKey::Generate(pki::KeySpec::Ecdsa("P-256")).value();
  pki::CsrRequest req;
  req.subject.commonName = "web1.example.com";
  auto csr = pki::Csr::Create(req, leaf_key).value();
  pki::SigningPolicy policy;
  policy.subject.commonName = "web1.example.com";
  policy.dnsNames = {"web1.example.com"};
  policy.extendedKeyUsage = {"serverAuth"};
  policy.notBefore = std::chrono::system_clock::now() - 1min;
  policy.validity = 24h;
  auto issued = (*issuer)->Issue(csr, policy);
  REQUIRE(issued.ok());
  CHECK(issued->certificate.SerialHex() == "0A0B0C");
  CHECK(issued->certificate.PublicKeyDigest() == leaf_key.PublicKeyDigest());
  CHECK(pki::VerifyChain(issued->certificate, {ca}, {root}, std::chrono::system_clock::now()).ok());

  ::setenv("PKIFORM_TEST_ISSUER_PASS", "Xq9-not-it", 1);
  auto refused = OpenIssuer(is, nullptr);
  REQUIRE_FALSE(refused.ok());
  CHECK_THAT(refused.status().message(), Catch::StartsWith(is.private_key->written));
  CHECK_THAT(refused.status().message(), !Catch::Contains("Xq9-not-it"));  // the passphrase never appears
  ::unsetenv("PKIFORM_TEST_ISSUER_PASS");
}

TEST_CASE("an external issuer never signs", "[issuers]") {
  Issuer is;
  is.name = "outside";
  is.kind = Issuer::Kind::kExternal;
  auto issuer = OpenIssuer(is, nullptr);
  REQUIRE(issuer.ok());
  auto key = pki::PrivateKey::Generate(pki::KeySpec::Ecdsa("P-256")).value();
  pki::CsrRequest req;
  req.subject.commonName = "a.example.com";
  auto issued = (*issuer)->Issue(pki::Csr::Create(req, key).value(), {});
  REQUIRE_FALSE(issued.ok());
  CHECK(issued.status().code() == Status::Code::kUnsupported);
}
