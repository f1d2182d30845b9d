#include "reconciler/pki/key.h"

#include <catch2/catch.hpp>
#include <openssl/pem.h>
#include <stdlib.h>
#include <unistd.h>

#include <fstream>

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

// A file in /tmp removed when the test ends.
class TempFile {
 public:
  explicit TempFile(const std::string& contents) {
    char pattern[] = "/tmp/pkiform-key-test-XXXXXX";
    const int fd = mkstemp(pattern);
    REQUIRE(fd >= 0);
    close(fd);
    path_ = pattern;
    std::ofstream(path_, std::ios::binary) << contents;
  }
  ~TempFile() { unlink(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

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

TEST_CASE("text that holds no private key gives a clear error", "[pki]") {
  Result<PrivateKey> certificate = PrivateKey::FromPem("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
                                                       nullptr);
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

TEST_CASE("SecretString moves its text and leaves the source empty", "[pki]") {
  std::string text = "hunter2";
  SecretString secret(std::move(text));
  CHECK(text.empty());
  CHECK(secret.str() == "hunter2");
  SecretString moved(std::move(secret));
  CHECK(moved.view() == "hunter2");
  CHECK(secret.empty());  // NOLINT(bugprone-use-after-move): the wipe is what is tested
  SecretString assigned;
  assigned = std::move(moved);
  CHECK(assigned.str() == "hunter2");
  CHECK(moved.empty());  // NOLINT(bugprone-use-after-move)
}

TEST_CASE("ReadPassphrase takes exactly one source", "[pki]") {
  CHECK(ReadPassphrase("", "").status().message() == "set exactly one of passphraseEnv and passphraseFile");
  CHECK(ReadPassphrase("X", "/tmp/y").status().message() == "set exactly one of passphraseEnv and passphraseFile");
}

TEST_CASE("ReadPassphrase reads an environment variable without echoing it", "[pki]") {
  REQUIRE(setenv("PKIFORM_TEST_PASSPHRASE", "env-secret", 1) == 0);
  CHECK(Must(ReadPassphrase("PKIFORM_TEST_PASSPHRASE", "")).str() == "env-secret");
  REQUIRE(setenv("PKIFORM_TEST_PASSPHRASE", "", 1) == 0);
  CHECK(ReadPassphrase("PKIFORM_TEST_PASSPHRASE", "").status().message() ==
        "environment variable PKIFORM_TEST_PASSPHRASE is empty");
  REQUIRE(unsetenv("PKIFORM_TEST_PASSPHRASE") == 0);
  Result<SecretString> missing = ReadPassphrase("PKIFORM_TEST_PASSPHRASE", "");
  CHECK(missing.status().code() == Status::Code::kNotFound);
  CHECK(missing.status().message() == "environment variable PKIFORM_TEST_PASSPHRASE is not set");
}

TEST_CASE("ReadPassphrase strips one trailing newline of a file", "[pki]") {
  CHECK(Must(ReadPassphrase("", TempFile("file-secret\n").path())).str() == "file-secret");
  CHECK(Must(ReadPassphrase("", TempFile("crlf-secret\r\n").path())).str() == "crlf-secret");
  CHECK(Must(ReadPassphrase("", TempFile("two\n\n").path())).str() == "two\n");
  CHECK(Must(ReadPassphrase("", TempFile("no-newline").path())).str() == "no-newline");
  const TempFile empty("\n");
  CHECK(ReadPassphrase("", empty.path()).status().message() == "passphrase file '" + empty.path() + "' is empty");
  Result<SecretString> missing = ReadPassphrase("", "/nonexistent/pkiform/passphrase");
  CHECK(missing.status().code() == Status::Code::kIoError);
  CHECK(missing.status().message() ==
        "cannot open passphrase file '/nonexistent/pkiform/passphrase': No such file or directory");
}

TEST_CASE("a passphrase from a file unlocks an encrypted key", "[pki][rule:V8]") {
  const PrivateKey key = NewP256Key();
  const std::string pem = EncryptedPem(key, "from-file", PemForm::kPkcs8);
  const SecretString passphrase = Must(ReadPassphrase("", TempFile("from-file\n").path()));
  CHECK(Must(PrivateKey::FromPem(pem, &passphrase.str())).PublicKeyDigest() == key.PublicKeyDigest());
}

TEST_CASE("SignatureDigestFor picks the digest matching the key", "[pki]") {
  CHECK(SignatureDigestFor(NewP256Key().get()) == EVP_sha256());
  CHECK(SignatureDigestFor(Must(PrivateKey::Generate(KeySpec::Ecdsa("P-384"))).get()) == EVP_sha384());
  CHECK(SignatureDigestFor(SharedRsa2048Key().get()) == EVP_sha256());
}

}  // namespace
}  // namespace pkiform::pki
