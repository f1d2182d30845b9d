#include "reconciler/pki/key.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <cstring>

#include "reconciler/pki/digest.h"

namespace pkiform::pki {
namespace {

const char* const kGenerableKeys = "RSA 2048, 3072 or 4096, or ECDSA P-256 or P-384";

std::string NistCurveName(const std::string& group) {
  if (group == "prime256v1" || group == "P-256") return "P-256";
  if (group == "secp384r1" || group == "P-384") return "P-384";
  if (group == "secp521r1" || group == "P-521") return "P-521";
  return group;
}

struct PassphraseRequest {
  const std::string* passphrase = nullptr;
  bool asked = false;
};

// OpenSSL calls this instead of prompting on the terminal, which a reconciler
// running unattended must never do.
int SupplyPassphrase(char* buffer, int size, int /*rwflag*/, void* userdata) {
  auto* request = static_cast<PassphraseRequest*>(userdata);
  request->asked = true;
  if (request->passphrase == nullptr || size < 0 || request->passphrase->size() > static_cast<size_t>(size)) {
    return -1;
  }
  std::memcpy(buffer, request->passphrase->data(), request->passphrase->size());
  return static_cast<int>(request->passphrase->size());
}

}  // namespace

KeySpec KeySpec::Ecdsa(const std::string& curve) {
  const std::string name = NistCurveName(curve);
  const int bits = name == "P-256" ? 256 : name == "P-384" ? 384 : name == "P-521" ? 521 : 0;
  return {kEcdsa, bits, name};
}

std::string KeySpec::ToString() const {
  switch (algorithm) {
    case kRsa:
      return "RSA " + std::to_string(bits);
    case kEcdsa:
      return "ECDSA " + curve;
    case kEd25519:
      return "Ed25519";
    case kOther:
      break;
  }
  return bits > 0 ? curve + " " + std::to_string(bits) : curve;
}

KeySpec KeySpecOf(const EVP_PKEY* key) {
  if (key == nullptr) return {KeySpec::kOther, 0, "none"};
  if (EVP_PKEY_is_a(key, "RSA") || EVP_PKEY_is_a(key, "RSA-PSS")) return KeySpec::Rsa(EVP_PKEY_get_bits(key));
  if (EVP_PKEY_is_a(key, "ED25519")) return {KeySpec::kEd25519, 256, ""};
  if (EVP_PKEY_is_a(key, "EC")) {
    char group[80] = {};
    size_t length = 0;
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &length) != 1) {
      ERR_clear_error();  // explicit curve parameters: no name to report
      return {KeySpec::kEcdsa, EVP_PKEY_get_bits(key), "explicit parameters"};
    }
    return {KeySpec::kEcdsa, EVP_PKEY_get_bits(key), NistCurveName(group)};
  }
  const char* type = EVP_PKEY_get0_type_name(key);
  return {KeySpec::kOther, EVP_PKEY_get_bits(key), type != nullptr ? type : "unknown"};
}

std::string PublicKeyDigestOf(const EVP_PKEY* key) {
  unsigned char* der = nullptr;
  const int length = i2d_PUBKEY(key, &der);
  if (length <= 0) {
    ERR_clear_error();
    return {};
  }
  OpensslBytesPtr owned(der);
  return Sha256Hex(std::string_view(reinterpret_cast<const char*>(der), static_cast<size_t>(length)));
}

const EVP_MD* SignatureDigestFor(const EVP_PKEY* signingKey) {
  const KeySpec spec = KeySpecOf(signingKey);
  if (spec.algorithm == KeySpec::kEd25519 || EVP_PKEY_is_a(signingKey, "ED448")) return nullptr;
  if (spec.algorithm == KeySpec::kEcdsa && spec.bits == 384) return EVP_sha384();
  if (spec.algorithm == KeySpec::kEcdsa && spec.bits == 521) return EVP_sha512();
  return EVP_sha256();
}

Result<PrivateKey> PrivateKey::Generate(const KeySpec& spec) {
  const bool rsaOk = spec.algorithm == KeySpec::kRsa && (spec.bits == 2048 || spec.bits == 3072 || spec.bits == 4096);
  const std::string curve = NistCurveName(spec.curve);
  const bool ecOk = spec.algorithm == KeySpec::kEcdsa && (curve == "P-256" || curve == "P-384");
  if (!rsaOk && !ecOk) {
    return Status::Unsupported("cannot generate a " + spec.ToString() + " key: pkiform generates " + kGenerableKeys);
  }
  ERR_clear_error();
  EvpPkeyCtxPtr context(EVP_PKEY_CTX_new_from_name(nullptr, rsaOk ? "RSA" : "EC", nullptr));
  if (!context || EVP_PKEY_keygen_init(context.get()) != 1) return CryptoFailure("cannot start key generation");
  const int configured = rsaOk ? EVP_PKEY_CTX_set_rsa_keygen_bits(context.get(), spec.bits)
                               : EVP_PKEY_CTX_set_group_name(context.get(), curve.c_str());
  if (configured != 1) return CryptoFailure("cannot configure " + spec.ToString() + " key generation");
  EVP_PKEY* generated = nullptr;
  if (EVP_PKEY_generate(context.get(), &generated) != 1) return CryptoFailure("cannot generate " + spec.ToString());
  return PrivateKey(EvpPkeyPtr(generated));
}

bool ContainsPrivateKeyPem(std::string_view text) {
  // Every PEM private key label (PKCS#8, encrypted PKCS#8, RSA, EC, OpenSSH) ends this way.
  return text.find("PRIVATE KEY-----") != std::string_view::npos;
}

bool PrivateKey::IsEncryptedPem(std::string_view text) {
  return text.find("ENCRYPTED PRIVATE KEY-----") != std::string_view::npos ||
         (ContainsPrivateKeyPem(text) &&
          text.find("Proc-Type: 4,ENCRYPTED") != std::string_view::npos);
}

Result<PrivateKey> PrivateKey::FromPem(std::string_view pem, const std::string* passphrase) {
  if (!ContainsPrivateKeyPem(pem)) {
    return Status::InvalidInput(
        "no private key: expected a PEM block BEGIN PRIVATE KEY, BEGIN ENCRYPTED PRIVATE KEY, "
        "BEGIN RSA PRIVATE KEY or BEGIN EC PRIVATE KEY");
  }
  const auto encryptedWithoutPassphrase = [] {
    return Status::InvalidInput("private key is encrypted; set passphraseEnv or passphraseFile");
  };
  if (passphrase == nullptr && IsEncryptedPem(pem)) return encryptedWithoutPassphrase();
  if (passphrase != nullptr && passphrase->size() > kMaxPassphraseBytes) {
    return Status::InvalidInput("passphrase is longer than " + std::to_string(kMaxPassphraseBytes) + " bytes");
  }
  Result<BioPtr> bio = ReadOnlyBio(pem);
  if (!bio.ok()) return bio.status();
  ERR_clear_error();
  PassphraseRequest request{passphrase};
  EvpPkeyPtr key(PEM_read_bio_PrivateKey(bio->get(), nullptr, SupplyPassphrase, &request));
  if (!key) {
    if (request.asked) {
      ERR_clear_error();  // OpenSSL's reasons ("bad decrypt", "unsupported") only confuse here
      if (passphrase == nullptr) return encryptedWithoutPassphrase();
      return Status::InvalidInput("cannot decrypt the private key: wrong passphrase");
    }
    return Status::InvalidInput("cannot read the private key: " + OpensslErrorString());
  }
  return PrivateKey(std::move(key));
}

Result<SecretString> PrivateKey::ToPem() const {
  // Secure-heap memory BIO: OpenSSL wipes it when freed.
  BioPtr bio(BIO_new(BIO_s_secmem()));
  if (!bio) return CryptoFailure("cannot create a memory BIO");
  if (PEM_write_bio_PKCS8PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return CryptoFailure("cannot write the private key as PEM");
  }
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  if (length <= 0 || data == nullptr) return CryptoFailure("cannot write the private key as PEM");
  std::string pem;
  pem.reserve(static_cast<size_t>(length) + 1);  // room for the newline below without reallocating
  pem.assign(data, static_cast<size_t>(length));
  // rule V15: exactly one trailing newline (never none, never a blank line).
  while (!pem.empty() && (pem.back() == '\n' || pem.back() == '\r')) pem.pop_back();
  pem.push_back('\n');
  return SecretString(std::move(pem));
}

PrivateKey::PrivateKey(const PrivateKey& other) : key_(other.key_.get()) {
  if (key_) EVP_PKEY_up_ref(key_.get());
}

PrivateKey& PrivateKey::operator=(const PrivateKey& other) {
  if (this != &other) {
    if (other.key_) EVP_PKEY_up_ref(other.key_.get());
    key_.reset(other.key_.get());
  }
  return *this;
}

}  // namespace pkiform::pki
