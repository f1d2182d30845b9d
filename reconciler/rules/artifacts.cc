#include "reconciler/rules/artifacts.h"

#include "reconciler/pki/crl_bundle.h"
#include "reconciler/pki/key_file.h"

#include "reconciler/util/file_reader.h"

namespace pkiform {

bool Artifacts::ReportOnce(const FileRef& ref, const std::string& message, const std::string& rule,
                           DiagnosticList& out) {
  if (reported_[ref.path + "\n" + message]) return false;
  reported_[ref.path + "\n" + message] = true;
  out.Error(ref.where, ref.written + ": " + message, rule);
  return true;
}

const std::string* Artifacts::Bytes(const FileRef& ref, const limits::FileLimit& limit, DiagnosticList& out) {
  // By path and limit: one file may be named as a certificate and as a CRL, each
  // read within its own limit.
  const std::string key = ref.path + "\n" + limit.what;
  auto it = bytes_.find(key);
  if (it == bytes_.end()) {
    auto read = ReadBoundedFile(ref.path, limit);
    if (!read.ok()) ReportOnce(ref, read.status().message(), "ref", out);
    it = bytes_.emplace(key, read.ok() ? std::optional<std::string>(std::move(read).value()) : std::nullopt).first;
  }
  return it->second ? &*it->second : nullptr;
}

const std::vector<pki::Certificate>* Artifacts::Certificates(const FileRef& ref, DiagnosticList& out) {
  auto it = certificates_.find(ref.path);
  if (it == certificates_.end()) {
    std::optional<std::vector<pki::Certificate>> parsed;
    if (const std::string* bytes = Bytes(ref, limits::kCertificateFile, out)) {
      auto r = pki::ParseCertificates(*bytes);
      if (r.ok()) parsed = std::move(r).value();
      else ReportOnce(ref, r.status().message(), r.status().rule().empty() ? "pem" : r.status().rule(), out);
    }
    it = certificates_.emplace(ref.path, std::move(parsed)).first;
  }
  return it->second ? &*it->second : nullptr;
}

const pki::CertificateFileInfo* Artifacts::CertificateInfo(const FileRef& ref, DiagnosticList& out) {
  auto it = infos_.find(ref.path);
  if (it == infos_.end()) {
    std::optional<pki::CertificateFileInfo> info;
    if (Certificates(ref, out)) {  // parse problems are reported there, once
      auto r = pki::InspectCertificateFile(*Bytes(ref, limits::kCertificateFile, out));
      if (r.ok()) info = *r;
    }
    it = infos_.emplace(ref.path, std::move(info)).first;
  }
  return it->second ? &*it->second : nullptr;
}

const std::vector<pki::Crl>* Artifacts::Crls(const FileRef& ref, DiagnosticList& out) {
  auto it = crls_.find(ref.path);
  if (it == crls_.end()) {
    std::optional<std::vector<pki::Crl>> parsed;
    if (const std::string* bytes = Bytes(ref, limits::kCrlFile, out)) {
      auto r = pki::ParseCrlBundle(*bytes);
      if (r.ok()) parsed = std::move(r).value();
      else if (bytes->find("-----BEGIN X509 CRL-----") != std::string::npos)
        ReportOnce(ref, "a CRL in it cannot be read: " + r.status().message(), "crl", out);
      else ReportOnce(ref, "not a CRL: neither a PEM X509 CRL block nor DER", "crl", out);
    }
    it = crls_.emplace(ref.path, std::move(parsed)).first;
  }
  return it->second ? &*it->second : nullptr;
}

const pki::PrivateKey* Artifacts::IssuerKey(const Issuer& is, DiagnosticList& out) {
  if (!is.private_key) return nullptr;
  const FileRef& ref = *is.private_key;
  auto it = keys_.find(ref.path);
  if (it != keys_.end()) return it->second ? &*it->second : nullptr;
  std::optional<pki::PrivateKey> parsed;
  const std::string* bytes = Bytes(ref, limits::kPrivateKeyFile, out);
  // Both passphrase settings at once is reported by the connection checks; a missing
  // passphrase file by the reference it is.
  bool usable = bytes && !(is.passphrase_file && !is.passphrase_env.empty());
  if (usable && is.passphrase_file && pki::PrivateKey::IsEncryptedPem(*bytes)) {
    // Checked, not read here: the passphrase is read once, into memory that is wiped.
    if (Status s = CheckRegularFile(is.passphrase_file->path); !s.ok()) {
      ReportOnce(*is.passphrase_file, s.message(), "ref", out);
      usable = false;
    }
  }
  if (usable) {
    auto r = pki::LoadPrivateKey(*bytes, is.passphrase_env, is.passphrase_file ? is.passphrase_file->path : "");
    if (r.ok()) {
      parsed = std::move(r).value();
    } else if (!pki::PrivateKey::IsEncryptedPem(*bytes) || (is.passphrase_env.empty() && !is.passphrase_file)) {
      ReportOnce(ref, r.status().message(), "key", out);
    } else {
      // The key is fine; its passphrase is what to fix.
      const FileRef where{ref.written, ref.path,
                          is.passphrase_file ? is.passphrase_file->where : is.at("passphraseEnv")};
      ReportOnce(where, r.status().message(), "key", out);
    }
  }
  it = keys_.emplace(ref.path, std::move(parsed)).first;
  return it->second ? &*it->second : nullptr;
}

}  // namespace pkiform
