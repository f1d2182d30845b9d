#include "reconciler/pki/key.h"

#include <openssl/pem.h>

#include <catch2/catch.hpp>

#include "pki_test_support.h"

namespace pkiform::pki {
namespace {

using testing::Must;
using testing::NewP256Key;
using testing::SharedRsa2048Key;

enum class PemForm { kPkcs8, kTraditional };

std::string EncryptedPem(const PrivateKey& key, const std::string& passphrase, PemForm form) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  REQUIRE(bio);
  if (form == PemForm::kPkcs8) {
    REQUIRE(PEM_write_bio_PKCS8PrivateKey(bio.get(), key.get(), EVP_aes_256_cbc(), passphrase.data(),
                                          static_cast<int>(passphrase.size()), nullptr, nullptr) == 1);
  } else {
    auto* bytes = reinterpret_cast<unsigned char*>(const_cast<char*>(passphrase.data()));
    REQUIRE(PEM_write_bio_PrivateKey_traditional(bio.get(), key.get(), EVP_aes_256_cbc(), bytes,
                                                 static_cast<int>(passphrase.size()), nullptr, nullptr) == 1);
  }
  return BioContents(bio.get());
}

std::string TraditionalPem(const PrivateKey& key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  REQUIRE(PEM_write_bio_PrivateKey_traditional(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1);
  return BioContents(bio.get());
}

TEST_CASE("KeySpec describes keys the way manifests spell them", "[pki]") {
  CHECK(KeySpec::Rsa(4096).ToString() == "RSA 4096");
  CHECK(KeySpec::Ecdsa("P-256").ToString() == "ECDSA P-256");
  CHECK(KeySpec::Ecdsa("prime256v1") == KeySpec::Ecdsa("P-256"));
  CHECK(KeySpec::Ecdsa("secp384r1").bits == 384);
  CHECK(KeySpec{KeySpec::kEd25519, 256, ""}.ToString() == "Ed25519");
}

TEST_CASE("generated EC keys report their curve", "[pki]") {
  CHECK(NewP256Key().Spec() == KeySpec{KeySpec::kEcdsa, 256, "P-256"});
  const PrivateKey p384 = Must(PrivateKey::Generate(KeySpec::Ecdsa("P-384")));
  CHECK(p384.Spec() == KeySpec{KeySpec::kEcdsa, 384, "P-384"});
  CHECK(p384.Spec().ToString() == "ECDSA P-384");
}

TEST_CASE("generated RSA keys report their size", "[pki]") {
  CHECK(SharedRsa2048Key().Spec() == KeySpec::Rsa(2048));
  CHECK(SharedRsa2048Key().Spec().ToString() == "RSA 2048");
}

TEST_CASE("an RSA 4096 key can be generated", "[pki][rsa4096]") {
  // The only 4096-bit generation of the suite: it takes a second or more.
  const PrivateKey key = Must(PrivateKey::Generate(KeySpec::Rsa(4096)));
  CHECK(key.Spec().ToString() == "RSA 4096");
}

TEST_CASE("key sizes and curves outside the supported set are refused", "[pki]") {
  for (const KeySpec& spec : {KeySpec::Rsa(1024), KeySpec::Rsa(8192), KeySpec::Ecdsa("P-521"),
                              KeySpec{KeySpec::kEd25519, 256, ""}, KeySpec::Ecdsa("brainpoolP256r1")}) {
    INFO(spec.ToString());
    Result<PrivateKey> key = PrivateKey::Generate(spec);
    REQUIRE_FALSE(key.ok());
    CHECK(key.status().code() == Status::Code::kUnsupported);
    CHECK(key.status().message() == "cannot generate a " + spec.ToString() +
                                        " key: pkiform generates RSA 2048, 3072 or 4096, or ECDSA P-256 or P-384");
  }
}

TEST_CASE("ToPem writes unencrypted PKCS#8 ending in exactly one newline", "[pki][rule:V15]") {
  const PrivateKey key = NewP256Key();
  const SecretString pem = Must(key.ToPem());
  CHECK(pem.str().rfind("-----BEGIN PRIVATE KEY-----\n", 0) == 0);
  REQUIRE(pem.size() > 2);
  CHECK(pem.str().substr(pem.size() - 26) == "-----END PRIVATE KEY-----\n");
  CHECK(pem.str()[pem.size() - 2] != '\n');
  CHECK(pem.str().find('\r') == std::string::npos);
  CHECK_FALSE(PrivateKey::IsEncryptedPem(pem.view()));
}

TEST_CASE("a PKCS#8 PEM key reads back as the same key", "[pki]") {
  const PrivateKey key = NewP256Key();
  const PrivateKey reread = Must(PrivateKey::FromPem(Must(key.ToPem()).view(), nullptr));
  CHECK(reread.PublicKeyDigest() == key.PublicKeyDigest());
  CHECK(reread.PublicKeyDigest().size() == 64);
  CHECK(reread.PublicKeyDigest() != NewP256Key().PublicKeyDigest());
}

TEST_CASE("traditional RSA and EC PEM keys are read", "[pki]") {
  const PrivateKey ec = NewP256Key();
  const std::string ecPem = TraditionalPem(ec);
  REQUIRE(ecPem.rfind("-----BEGIN EC PRIVATE KEY-----", 0) == 0);
  CHECK(Must(PrivateKey::FromPem(ecPem, nullptr)).PublicKeyDigest() == ec.PublicKeyDigest());
  const std::string rsaPem = TraditionalPem(SharedRsa2048Key());
  REQUIRE(rsaPem.rfind("-----BEGIN RSA PRIVATE KEY-----", 0) == 0);
  const PrivateKey rsa = Must(PrivateKey::FromPem(rsaPem, nullptr));
  CHECK(rsa.PublicKeyDigest() == SharedRsa2048Key().PublicKeyDigest());
  CHECK(rsa.Spec() == KeySpec::Rsa(2048));
}

TEST_CASE("an encrypted PKCS#8 key is read with the right passphrase only", "[pki][rule:V8]") {
  const PrivateKey key = NewP256Key();
  const std::string pem = EncryptedPem(key, "correct horse", PemForm::kPkcs8);
  REQUIRE(pem.rfind("-----BEGIN ENCRYPTED PRIVATE KEY-----", 0) == 0);
  CHECK(PrivateKey::IsEncryptedPem(pem));

  const std::string right = "correct horse";
  CHECK(Must(PrivateKey::FromPem(pem, &right)).PublicKeyDigest() == key.PublicKeyDigest());

  Result<PrivateKey> without = PrivateKey::FromPem(pem, nullptr);
  REQUIRE_FALSE(without.ok());
  CHECK(without.status().message() == "private key is encrypted; set passphraseEnv or passphraseFile");

  const std::string wrong = "battery staple";
  Result<PrivateKey> wrongKey = PrivateKey::FromPem(pem, &wrong);
  REQUIRE_FALSE(wrongKey.ok());
  CHECK(wrongKey.status().message() == "cannot decrypt the private key: wrong passphrase");
  CHECK(wrongKey.status().message().find("battery") == std::string::npos);
}

TEST_CASE("an encrypted traditional PEM key is read with the right passphrase only", "[pki][rule:V8]") {
  const PrivateKey key = NewP256Key();
  const std::string pem = EncryptedPem(key, "s3cret", PemForm::kTraditional);
  REQUIRE(pem.find("Proc-Type: 4,ENCRYPTED") != std::string::npos);
  CHECK(PrivateKey::IsEncryptedPem(pem));
  const std::string right = "s3cret";
  CHECK(Must(PrivateKey::FromPem(pem, &right)).PublicKeyDigest() == key.PublicKeyDigest());
  CHECK(PrivateKey::FromPem(pem, nullptr).status().message() ==
        "private key is encrypted; set passphraseEnv or passphraseFile");
  const std::string wrong = "S3CRET";
  CHECK(PrivateKey::FromPem(pem, &wrong).status().message() == "cannot decrypt the private key: wrong passphrase");
}

TEST_CASE("a key after a certificate in the same PEM file is found", "[pki]") {
  const auto& pki = testing::SharedPki();
  const std::string combined = pki.leaf.ToPem() + Must(pki.leafKey.ToPem()).str();
  CHECK(Must(PrivateKey::FromPem(combined, nullptr)).PublicKeyDigest() == pki.leafKey.PublicKeyDigest());
}

TEST_CASE("Ed25519 keys are read, described and sign CSRs and certificates", "[pki]") {
  // pkiform does not generate Ed25519 keys, but users may bring them.
  EvpPkeyPtr raw(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  REQUIRE(raw);
  BioPtr bio(BIO_new(BIO_s_mem()));
  REQUIRE(PEM_write_bio_PrivateKey(bio.get(), raw.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1);
  const PrivateKey key = Must(PrivateKey::FromPem(BioContents(bio.get()), nullptr));
  CHECK(key.Spec() == KeySpec{KeySpec::kEd25519, 256, ""});
  CHECK(key.Spec().ToString() == "Ed25519");
  CHECK(SignatureDigestFor(key.get()) == nullptr);
  const Csr csr = testing::CsrFor("ed.example.com", key);
  CHECK(csr.VerifySignature().ok());
  CHECK(csr.Key().algorithm == KeySpec::kEd25519);
  const Certificate cert =
      Must(SelfSign(key, testing::LeafPolicy("ed.example.com", testing::At("2026-01-01T00:00:00Z"), 30)));
  CHECK(cert.IsSelfSigned());
  CHECK(cert.SignatureKeyAlgorithm() == "ed25519");
  CHECK(cert.PublicKeyDigest() == key.PublicKeyDigest());
}

TEST_CASE("text that holds no private key gives a clear error", "[pki]") {
  Result<PrivateKey> certificate =
      PrivateKey::FromPem("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", nullptr);
  REQUIRE_FALSE(certificate.ok());
  CHECK(certificate.status().code() == Status::Code::kInvalidInput);
  CHECK(certificate.status().message().rfind("no private key: expected a PEM block BEGIN PRIVATE KEY", 0) == 0);
  Result<PrivateKey> corrupt =
      PrivateKey::FromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", nullptr);
  REQUIRE_FALSE(corrupt.ok());
  CHECK(corrupt.status().message().rfind("cannot read the private key: ", 0) == 0);
}

TEST_CASE("a copied PrivateKey shares the same key", "[pki]") {
  const PrivateKey key = NewP256Key();
  PrivateKey copy = key;
  CHECK(copy.get() == key.get());
  PrivateKey other = NewP256Key();
  other = copy;
  CHECK(other.PublicKeyDigest() == key.PublicKeyDigest());
}

TEST_CASE("a passphrase from a file unlocks an encrypted key", "[pki][rule:V8]") {
  const PrivateKey key = NewP256Key();
  const std::string pem = EncryptedPem(key, "from-file", PemForm::kPkcs8);
  const SecretString passphrase = Must(ReadPassphrase("", testing::TempFile("from-file\n").path()));
  CHECK(Must(PrivateKey::FromPem(pem, &passphrase.str())).PublicKeyDigest() == key.PublicKeyDigest());
}

TEST_CASE("SignatureDigestFor picks the digest matching the key", "[pki]") {
  CHECK(SignatureDigestFor(NewP256Key().get()) == EVP_sha256());
  CHECK(SignatureDigestFor(Must(PrivateKey::Generate(KeySpec::Ecdsa("P-384"))).get()) == EVP_sha384());
  CHECK(SignatureDigestFor(SharedRsa2048Key().get()) == EVP_sha256());
}

}  // namespace
}  // namespace pkiform::pki
