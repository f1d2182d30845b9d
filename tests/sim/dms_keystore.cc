#include "tests/sim/dms_keystore.h"

#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <string.h>

#include <memory>

#include "reconciler/pki/handles.h"

namespace pkiform::sim {
namespace {

using Pkcs12Ptr = pki::OpensslPtr<PKCS12, PKCS12_free>;

struct X509StackFree {
  void operator()(STACK_OF(X509) * s) const { sk_X509_pop_free(s, X509_free); }
};
using X509StackPtr = std::unique_ptr<STACK_OF(X509), X509StackFree>;

}  // namespace

Result<std::string> DmsExportKeystore(const DmsAppliance& appliance, const std::string& passphrase) {
  auto identity = appliance.Identity();
  if (!identity.ok()) return identity.status();
  auto keyPem = appliance.IdentityKeyPem();
  if (!keyPem) return Status::NotFound("the identity's private key is missing");
  auto key = pki::PrivateKey::FromPem(*keyPem, nullptr);
  explicit_bzero(keyPem->data(), keyPem->size());
  if (!key.ok()) return key.status();
  X509StackPtr cas(sk_X509_new_null());
  if (!cas) return Status::Crypto("out of memory");
  for (const auto& c : appliance.Chain()) {
    if (X509_up_ref(c.get()) != 1) return Status::Crypto("X509_up_ref failed");
    if (sk_X509_push(cas.get(), c.get()) <= 0) {
      X509_free(c.get());
      return Status::Crypto("sk_X509_push failed");
    }
  }
  Pkcs12Ptr p12(PKCS12_create(passphrase.c_str(), appliance.config().fqdn.c_str(), key->get(), identity->get(),
                              cas.get(), 0, 0, 0, 0, 0));
  if (!p12) return Status::Crypto("PKCS12_create failed");
  unsigned char* der = nullptr;
  int n = i2d_PKCS12(p12.get(), &der);
  if (n <= 0) return Status::Crypto("i2d_PKCS12 failed");
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  return out;
}

Status DmsImportKeystore(const DmsAppliance& appliance, std::string_view data, const std::string& passphrase) {
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  Pkcs12Ptr p12(d2i_PKCS12(nullptr, &p, static_cast<long>(data.size())));
  if (!p12) return Status::Failed("not a keystore (PKCS#12) file");
  if (PKCS12_verify_mac(p12.get(), passphrase.c_str(), static_cast<int>(passphrase.size())) != 1)
    return Status::InvalidInput("wrong passphrase");
  EVP_PKEY* rawKey = nullptr;
  X509* rawCert = nullptr;
  STACK_OF(X509)* rawCas = nullptr;
  if (PKCS12_parse(p12.get(), passphrase.c_str(), &rawKey, &rawCert, &rawCas) != 1)
    return Status::Failed("the keystore cannot be read");
  pki::EvpPkeyPtr keyHandle(rawKey);
  pki::X509Ptr certHandle(rawCert);
  X509StackPtr casHandle(rawCas);
  if (!keyHandle || !certHandle) return Status::Failed("the keystore holds no identity and key");
  // The key through its PEM form: PrivateKey checks and owns it as every other key of the project.
  pki::BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), keyHandle.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
    return Status::Crypto("cannot encode the keystore's key");
  char* mem = nullptr;
  long len = BIO_get_mem_data(bio.get(), &mem);
  auto key = pki::PrivateKey::FromPem(std::string_view(mem, static_cast<size_t>(len)), nullptr);
  OPENSSL_cleanse(mem, static_cast<size_t>(len));
  if (!key.ok()) return key.status();
  auto identity = pki::Certificate::Adopt(std::move(certHandle));
  if (!identity.ok()) return identity.status();
  std::vector<pki::Certificate> chain;
  while (casHandle && sk_X509_num(casHandle.get()) > 0) {
    // PKCS12_parse returns the CAs in the order they were stored: the chain's own order.
    auto c = pki::Certificate::Adopt(pki::X509Ptr(sk_X509_shift(casHandle.get())));
    if (!c.ok()) return c.status();
    chain.push_back(std::move(*c));
  }
  return appliance.RestoreIdentity(*identity, *key, chain);
}

}  // namespace pkiform::sim
