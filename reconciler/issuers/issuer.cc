#include "reconciler/issuers/issuer.h"

#include "reconciler/pki/certificate_file.h"
#include "reconciler/pki/key_file.h"
#include "reconciler/util/file_reader.h"

namespace pkiform {
namespace {

Result<std::string> ReadAll(const FileRef& ref, const limits::FileLimit& limit) {
  auto bytes = ReadBoundedFile(ref.path, limit);
  if (!bytes.ok()) return bytes.status().WithContext(ref.written);
  return bytes;
}

Result<std::vector<pki::Certificate>> ReadCertificates(const FileRef& ref) {
  auto bytes = ReadAll(ref, limits::kCertificateFile);
  if (!bytes.ok()) return bytes.status();
  auto certs = pki::ParseCertificates(*bytes);
  if (!certs.ok()) return certs.status().WithContext(ref.written);
  return certs;
}

Result<std::vector<pki::Certificate>> ReadChain(const Issuer& issuer) {
  std::vector<pki::Certificate> chain;
  for (const auto& ref : issuer.chain) {
    auto certs = ReadCertificates(ref);
    if (!certs.ok()) return certs.status();
    chain.insert(chain.end(), certs->begin(), certs->end());
  }
  return chain;
}

class LocalCa : public CertificateIssuer {
 public:
  LocalCa(std::vector<pki::Certificate> chain, pki::PrivateKey key, std::function<Result<std::string>()> next_serial)
      : chain_(std::move(chain)), key_(std::move(key)), next_serial_(std::move(next_serial)) {}

  const std::vector<pki::Certificate>& Chain() const override { return chain_; }

  Result<Issued> Issue(const pki::Csr& csr, pki::SigningPolicy policy) override {
    if (next_serial_) {
      auto serial = next_serial_();
      if (!serial.ok()) return serial.status();
      policy.serialHex = *serial;
    }
    auto cert = pki::SignCsr(csr, chain_.front(), key_, policy);
    if (!cert.ok()) return cert.status();
    return Issued{*cert, chain_};
  }

 private:
  std::vector<pki::Certificate> chain_;
  pki::PrivateKey key_;
  std::function<Result<std::string>()> next_serial_;
};

class ExternalCa : public CertificateIssuer {
 public:
  ExternalCa(std::string name, std::vector<pki::Certificate> chain) : name_(std::move(name)), chain_(std::move(chain)) {}
  const std::vector<pki::Certificate>& Chain() const override { return chain_; }
  Result<Issued> Issue(const pki::Csr&, pki::SigningPolicy) override {
    // The executor hands the CSR over and installs what gets committed; nothing is signed here.
    return Status::Unsupported("issuer '" + name_ + "' is external: its CA signs the request outside pkiform");
  }

 private:
  std::string name_;
  std::vector<pki::Certificate> chain_;
};

class SelfSigned : public CertificateIssuer {
 public:
  const std::vector<pki::Certificate>& Chain() const override { return chain_; }
  Result<Issued> Issue(const pki::Csr&, pki::SigningPolicy) override {
    return Status::Unsupported("a self-signed certificate is signed where its key is, not from a CSR");
  }

 private:
  std::vector<pki::Certificate> chain_;
};

}  // namespace

Result<std::vector<pki::Certificate>> IssuerCertificates(const Issuer& issuer) {
  std::vector<pki::Certificate> out;
  if (issuer.kind == Issuer::Kind::kCa) {
    auto ca = ReadCertificates(*issuer.certificate);
    if (!ca.ok()) return ca.status();
    out = *ca;
  }
  auto chain = ReadChain(issuer);
  if (!chain.ok()) return chain.status();
  out.insert(out.end(), chain->begin(), chain->end());
  return out;
}

Result<std::unique_ptr<CertificateIssuer>> OpenIssuer(const Issuer& issuer,
                                                      std::function<Result<std::string>()> next_serial) {
  auto chain = ReadChain(issuer);
  if (!chain.ok()) return chain.status();
  switch (issuer.kind) {
    case Issuer::Kind::kSelfSigned:
      return std::unique_ptr<CertificateIssuer>(std::make_unique<SelfSigned>());
    case Issuer::Kind::kExternal:
      return std::unique_ptr<CertificateIssuer>(std::make_unique<ExternalCa>(issuer.name, std::move(*chain)));
    case Issuer::Kind::kCa:
      break;
  }
  auto ca = ReadCertificates(*issuer.certificate);
  if (!ca.ok()) return ca.status();
  if (ca->size() != 1) return Status::InvalidInput(issuer.certificate->written + ": expected one CA certificate");
  auto key_pem = ReadAll(*issuer.private_key, limits::kPrivateKeyFile);
  if (!key_pem.ok()) return key_pem.status();
  auto key = pki::LoadPrivateKey(*key_pem, issuer.passphrase_env,
                                 issuer.passphrase_file ? issuer.passphrase_file->path : "");
  std::fill(key_pem->begin(), key_pem->end(), '\0');
  if (!key.ok()) return key.status().WithContext(issuer.private_key->written);
  if (key->PublicKeyDigest() != ca->front().PublicKeyDigest())
    return Status::InvalidInput(issuer.private_key->written + ": does not match " + issuer.certificate->written);
  std::vector<pki::Certificate> full = {ca->front()};
  full.insert(full.end(), chain->begin(), chain->end());
  return std::unique_ptr<CertificateIssuer>(
      std::make_unique<LocalCa>(std::move(full), std::move(key).value(), std::move(next_serial)));
}

}  // namespace pkiform
