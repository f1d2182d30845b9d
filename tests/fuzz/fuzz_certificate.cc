// Fuzz target: certificate files in every form pkiform reads (one or many PEM
// certificates, DER, PKCS#7 in PEM or DER; pem_blocks.h walks the PEM), every
// question pkiform asks of a certificate it got, and the other PEM objects that
// sit in the same files: CSRs (pending requests on hosts, external issuers) and
// unencrypted private keys (manifest key files).
#include "reconciler/pki/certificate.h"
#include "reconciler/pki/certificate_file.h"
#include "reconciler/pki/csr.h"
#include "reconciler/pki/key_file.h"
#include "tests/fuzz/fuzz_input.h"

namespace {

using pkiform::fuzz::Expect;

// Everything the checks, the planner and the renderers read from a certificate.
void AskEverything(const pkiform::pki::Certificate& cert) {
  std::string seen = cert.Subject().ToString() + cert.Issuer().ToString() + cert.SignatureKeyAlgorithm() +
                     cert.SerialHex() + cert.FingerprintSha256() + cert.PublicKeyDigest() +
                     cert.SubjectKeyIdentifier();
  for (const auto& name : cert.DnsNames()) seen += name;
  for (const auto& ip : cert.IpAddresses()) seen += ip;
  for (const auto& usage : cert.KeyUsage()) seen += usage;
  for (const auto& usage : cert.ExtendedKeyUsage()) seen += usage;
  for (const auto& url : cert.CrlDistributionPoints()) seen += url;
  for (const auto& url : cert.OcspUrls()) seen += url;
  (void)cert.Key();
  (void)cert.IsCa();
  (void)cert.PathLength();
  (void)cert.IsSelfSigned();
  Expect(!seen.empty(), "a certificate has a fingerprint");

  // What pkiform writes (backups, plans, trust stores) must read back as the same certificate.
  auto again = pkiform::pki::Certificate::FromPem(cert.ToPem());
  Expect(again.ok() && *again == cert, "a certificate's PEM reads back as the same certificate");
  auto der = pkiform::pki::Certificate::FromDer(cert.ToDer());
  Expect(der.ok() && *der == cert, "a certificate's DER reads back as the same certificate");
  Expect(pkiform::pki::NormalizeSerialHex(cert.SerialHex()).ok(), "a certificate's serial text reads back");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes = pkiform::fuzz::AsText(data, size);

  auto certificates = pkiform::pki::ParseCertificates(bytes);
  auto info = pkiform::pki::InspectCertificateFile(bytes);
  Expect(certificates.ok() == info.ok(), "ParseCertificates and InspectCertificateFile agree on a file");
  if (certificates.ok()) {
    Expect(!certificates->empty(), "a certificate file that parses holds a certificate");
    Expect(static_cast<size_t>(info->certificateCount) == certificates->size(),
           "InspectCertificateFile counts the certificates ParseCertificates returns");
    (void)pkiform::pki::FormatName(info->format);
    for (const auto& cert : *certificates) AskEverything(cert);
  }
  if (auto one = pkiform::pki::Certificate::FromPem(bytes); one.ok()) AskEverything(*one);
  if (auto one = pkiform::pki::Certificate::FromDer(bytes); one.ok()) AskEverything(*one);

  if (auto csr = pkiform::pki::Csr::FromPem(bytes); csr.ok()) {
    std::string seen = csr->Subject().ToString() + csr->PublicKeyDigest();
    for (const auto& name : csr->DnsNames()) seen += name;
    for (const auto& ip : csr->IpAddresses()) seen += ip;
    for (const auto& usage : csr->KeyUsage()) seen += usage;
    for (const auto& usage : csr->ExtendedKeyUsage()) seen += usage;
    (void)csr->RequestsCa();
    (void)csr->Key();
    (void)csr->VerifySignature();
    auto again = pkiform::pki::Csr::FromPem(csr->ToPem());
    Expect(again.ok() && again->ToPem() == csr->ToPem(), "a CSR's PEM reads back as the same CSR");
  }

  // Encrypted keys are refused here without a passphrase source, so no key derivation runs.
  if (auto key = pkiform::pki::LoadPrivateKey(bytes, "", ""); key.ok()) {
    (void)key->Spec();
    (void)key->PublicKeyDigest();
  }
  (void)pkiform::pki::PrivateKey::IsEncryptedPem(bytes);
  (void)pkiform::pki::ContainsPrivateKeyPem(bytes);
  (void)pkiform::pki::NormalizeSerialHex(bytes);
  return 0;
}
