// Artifacts: the certificate, key and CRL files that manifests reference, each
// read and parsed once per run however many manifests name it. A file that
// cannot be read or parsed is reported once, at the first place that names it,
// and is then simply absent for the checks that follow.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "reconciler/diag/diagnostic.h"
#include "reconciler/manifest/model.h"
#include "reconciler/pki/certificate.h"
#include "reconciler/pki/certificate_file.h"
#include "reconciler/pki/crl.h"
#include "reconciler/pki/key.h"
#include "reconciler/util/input_limits.h"

namespace pkiform {

class Artifacts {
 public:
  // The certificates in the file (PEM bundle, DER or PKCS#7), or null.
  const std::vector<pki::Certificate>* Certificates(const FileRef& ref, DiagnosticList& out);
  // How the certificate file is written (format, count, stray line endings), or null.
  const pki::CertificateFileInfo* CertificateInfo(const FileRef& ref, DiagnosticList& out);
  // Every CRL in the file (a PEM bundle of several, or one DER CRL), or null.
  const std::vector<pki::Crl>* Crls(const FileRef& ref, DiagnosticList& out);
  // A local CA issuer's private key, decrypted with the passphrase from its
  // passphraseEnv or passphraseFile when it is encrypted; or null. Passphrase
  // problems are reported where the passphrase is configured.
  const pki::PrivateKey* IssuerKey(const Issuer& issuer, DiagnosticList& out);

 private:
  const std::string* Bytes(const FileRef& ref, const limits::FileLimit& limit, DiagnosticList& out);
  bool ReportOnce(const FileRef& ref, const std::string& message, const std::string& rule, DiagnosticList& out);

  std::map<std::string, std::optional<std::string>> bytes_;
  std::map<std::string, std::optional<std::vector<pki::Certificate>>> certificates_;
  std::map<std::string, std::optional<pki::CertificateFileInfo>> infos_;
  std::map<std::string, std::optional<std::vector<pki::Crl>>> crls_;
  std::map<std::string, std::optional<pki::PrivateKey>> keys_;
  std::map<std::string, bool> reported_;
};

}  // namespace pkiform
