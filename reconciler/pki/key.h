// Private keys: generating them, reading them from PEM (plain or encrypted), writing
// them as PKCS#8 PEM, describing them (KeySpec) and matching them to certificates and
// CSRs (PublicKeyDigest). The passphrase of an encrypted key (SecretString,
// ReadPassphrase) comes with this header through passphrase.h.
#pragma once

#include <string>
#include <string_view>

#include "reconciler/pki/handles.h"
#include "reconciler/pki/passphrase.h"
#include "reconciler/util/result.h"

namespace pkiform::pki {

// The algorithm and size of a key, as manifests spell it ("RSA 4096", "ECDSA P-256").
struct KeySpec {
  enum Algorithm { kRsa, kEcdsa, kEd25519, kOther };

  Algorithm algorithm = kEcdsa;
  int bits = 0;       // RSA modulus or EC field size (P-256: 256); Ed25519: 256
  std::string curve;  // ECDSA: "P-256", "P-384", "P-521" or OpenSSL's group name;
                      // kOther: OpenSSL's name of the key type ("DSA", "ED448", ...)

  static KeySpec Rsa(int bits) { return {kRsa, bits, ""}; }
  static KeySpec Ecdsa(const std::string& curve);
  std::string ToString() const;
  bool operator==(const KeySpec&) const = default;
};

// Describes any public or private key; a null key is kOther "none".
KeySpec KeySpecOf(const EVP_PKEY* key);

// Lowercase hex SHA-256 of the DER SubjectPublicKeyInfo. Equal digests mean the same
// public key, so a certificate, a CSR and a private key can be matched by it.
std::string PublicKeyDigestOf(const EVP_PKEY* key);

// The digest pkiform signs with when `signingKey` signs: SHA-384 for P-384, SHA-512
// for P-521, null for Ed25519 (which hashes internally), SHA-256 otherwise.
const EVP_MD* SignatureDigestFor(const EVP_PKEY* signingKey);

// True when `text` holds a PEM private key of any kind: the one test used
// wherever pkiform must make sure no key is written out (plans, state, output).
bool ContainsPrivateKeyPem(std::string_view text);

class PrivateKey {
 public:
  // RSA 2048, 3072 or 4096; ECDSA P-256 or P-384. Anything else is refused.
  static Result<PrivateKey> Generate(const KeySpec& spec);

  // PKCS#8 ("BEGIN PRIVATE KEY"), encrypted PKCS#8 ("BEGIN ENCRYPTED PRIVATE KEY") or
  // traditional RSA/EC PEM, possibly encrypted (Proc-Type: 4,ENCRYPTED). `passphrase`
  // may be null; it is only used when the key is encrypted. Never prompts on a TTY.
  static Result<PrivateKey> FromPem(std::string_view pem, const std::string* passphrase);

  // Whether PEM text holds an encrypted private key (rule V8: appliances refuse them).
  static bool IsEncryptedPem(std::string_view text);

  // Unencrypted PKCS#8 PEM ending in exactly one "\n" (rule V15).
  Result<SecretString> ToPem() const;
  KeySpec Spec() const { return KeySpecOf(key_.get()); }
  std::string PublicKeyDigest() const { return PublicKeyDigestOf(key_.get()); }

  EVP_PKEY* get() const { return key_.get(); }

  // Copies share the same immutable OpenSSL key (reference counted).
  PrivateKey(const PrivateKey& other);
  PrivateKey& operator=(const PrivateKey& other);
  PrivateKey(PrivateKey&&) noexcept = default;
  PrivateKey& operator=(PrivateKey&&) noexcept = default;
  ~PrivateKey() = default;

 private:
  explicit PrivateKey(EvpPkeyPtr key) : key_(std::move(key)) {}
  EvpPkeyPtr key_;
};

}  // namespace pkiform::pki
