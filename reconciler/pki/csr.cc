#include "reconciler/pki/csr.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include "reconciler/pki/extensions.h"
#include "reconciler/pki/pem_blocks.h"
#include "reconciler/pki/writes_back.h"

namespace pkiform::pki {
namespace {

// The requested extension `nid` decoded (null when not requested).
template <typename Handle>
Handle RequestedExtension(X509_REQ* request, int nid) {
  StackOfX509ExtensionPtr extensions(X509_REQ_get_extensions(request));
  using Decoded = typename Handle::element_type;
  Handle decoded(static_cast<Decoded*>(X509V3_get_d2i(extensions.get(), nid, nullptr, nullptr)));
  ERR_clear_error();  // a request without an extensions attribute is not an error
  return decoded;
}

Status AddExtension(STACK_OF(X509_EXTENSION) * extensions, Result<X509ExtensionPtr> extension) {
  if (!extension.ok()) return extension.status();
  if (sk_X509_EXTENSION_push(extensions, extension->get()) <= 0) return CryptoFailure("cannot add extension");
  extension->release();
  return Status::Ok();
}

}  // namespace

Result<Csr> Csr::Create(const CsrRequest& wanted, const PrivateKey& key) {
  ERR_clear_error();
  X509ReqPtr request(X509_REQ_new());
  if (!request) return CryptoFailure("cannot allocate a CSR");
  Result<X509NamePtr> subject = ToX509Name(wanted.subject);
  if (!subject.ok()) return subject.status();
  // Version 1 is the only PKCS#10 version (encoded as 0).
  if (X509_REQ_set_version(request.get(), 0) != 1 || X509_REQ_set_subject_name(request.get(), subject->get()) != 1 ||
      X509_REQ_set_pubkey(request.get(), key.get()) != 1) {
    return CryptoFailure("cannot fill in the CSR");
  }
  StackOfX509ExtensionPtr extensions(sk_X509_EXTENSION_new_null());
  if (!extensions) return CryptoFailure("cannot allocate CSR extensions");
  if (!wanted.dnsNames.empty() || !wanted.ipAddresses.empty()) {
    Status s = AddExtension(extensions.get(), MakeSubjectAltNameExtension(wanted.dnsNames, wanted.ipAddresses));
    if (!s.ok()) return s;
  }
  if (!wanted.keyUsage.empty()) {
    if (Status s = AddExtension(extensions.get(), MakeKeyUsageExtension(wanted.keyUsage)); !s.ok()) return s;
  }
  if (!wanted.extendedKeyUsage.empty()) {
    Status s = AddExtension(extensions.get(), MakeExtendedKeyUsageExtension(wanted.extendedKeyUsage));
    if (!s.ok()) return s;
  }
  if (sk_X509_EXTENSION_num(extensions.get()) > 0 && X509_REQ_add_extensions(request.get(), extensions.get()) != 1) {
    return CryptoFailure("cannot add the requested extensions");
  }
  const bool ed25519 = key.Spec().algorithm == KeySpec::kEd25519;
  if (X509_REQ_sign(request.get(), key.get(), ed25519 ? nullptr : EVP_sha256()) <= 0) {
    return CryptoFailure("cannot sign the CSR");
  }
  return Csr(std::move(request));
}

Result<Csr> Csr::FromPem(std::string_view pem) {
  Result<std::string> der = FirstPemBlockDer(pem, PEM_STRING_X509_REQ);
  if (!der.ok()) return Status::InvalidInput("not a PEM certificate request: " + der.status().message());
  const auto* start = reinterpret_cast<const unsigned char*>(der->data());
  const unsigned char* cursor = start;
  X509ReqPtr request(d2i_X509_REQ(nullptr, &cursor, static_cast<long>(der->size())));
  if (!request) return Status::InvalidInput("not a PEM certificate request: " + OpensslErrorString());
  const std::string_view decoded_from = std::string_view(*der).substr(0, static_cast<size_t>(cursor - start));
  if (Status s = WritesBack<X509_REQ>(request.get(), decoded_from, i2d_X509_REQ, d2i_X509_REQ, X509_REQ_free,
                                      "certificate request");
      !s.ok())
    return s;
  return Csr(std::move(request));
}

std::string Csr::ToPem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509_REQ(bio.get(), request_.get()) != 1) {
    ERR_clear_error();
    return {};
  }
  std::string pem = BioContents(bio.get());
  while (!pem.empty() && pem.back() == '\n') pem.pop_back();
  return pem + "\n";
}

DistinguishedName Csr::Subject() const { return FromX509Name(X509_REQ_get_subject_name(request_.get())); }

std::vector<std::string> Csr::DnsNames() const {
  return SubjectAltNamesOf(RequestedExtension<GeneralNamesPtr>(request_.get(), NID_subject_alt_name).get()).dnsNames;
}

std::vector<std::string> Csr::IpAddresses() const {
  return SubjectAltNamesOf(RequestedExtension<GeneralNamesPtr>(request_.get(), NID_subject_alt_name).get()).ipAddresses;
}

std::set<std::string> Csr::KeyUsage() const {
  return KeyUsageOf(RequestedExtension<Asn1BitStringPtr>(request_.get(), NID_key_usage).get());
}

std::set<std::string> Csr::ExtendedKeyUsage() const {
  return ExtendedKeyUsageOf(RequestedExtension<ExtendedKeyUsagePtr>(request_.get(), NID_ext_key_usage).get());
}

bool Csr::RequestsCa() const {
  auto constraints = RequestedExtension<BasicConstraintsPtr>(request_.get(), NID_basic_constraints);
  return constraints && constraints->ca != 0;
}

EVP_PKEY* Csr::PublicKey() const { return X509_REQ_get0_pubkey(request_.get()); }

KeySpec Csr::Key() const { return KeySpecOf(PublicKey()); }

std::string Csr::PublicKeyDigest() const { return PublicKeyDigestOf(PublicKey()); }

Status Csr::VerifySignature() const {
  EVP_PKEY* key = PublicKey();
  if (key == nullptr) return CryptoFailure("the CSR's public key cannot be read");
  ERR_clear_error();
  if (X509_REQ_verify(request_.get(), key) != 1) {
    return Status::InvalidInput("the CSR's signature does not verify with its own public key: " + OpensslErrorString());
  }
  return Status::Ok();
}

}  // namespace pkiform::pki
