#include "reconciler/rules/artifacts.h"

#include "reconciler/pki/crl_bundle.h"
#include "reconciler/pki/key_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace pkiform {

bool Artifacts::ReportOnce(const FileRef& ref, const std::string& message, const std::string& rule,
                           DiagnosticList& out) {
  if (reported_[ref.path + "\n" + message]) return false;
  reported_[ref.path + "\n" + message] = true;
  out.Error(ref.where, ref.written + ": " + message, rule);
  return true;
}

const std::string* Artifacts::Bytes(const FileRef& ref, DiagnosticList& out) {
  auto it = bytes_.find(ref.path);
  if (it == bytes_.end()) {
    std::optional<std::string> content;
    std::error_code ec;
    if (std::filesystem::is_directory(ref.path, ec)) {
      it = bytes_.emplace(ref.path, std::nullopt).first;
      ReportOnce(ref, "is a directory, not a file", "ref", out);
      return nullptr;
    }
    std::ifstream in(ref.path, std::ios::binary);
    if (in) {
      std::stringstream buf;
      buf << in.rdbuf();
      content = buf.str();
    }
    int err = errno;
    it = bytes_.emplace(ref.path, std::move(content)).first;
    if (!it->second) ReportOnce(ref, std::string("cannot read file: ") + std::strerror(err), "ref", out);
  }
  return it->second ? &*it->second : nullptr;
}

const std::vector<pki::Certificate>* Artifacts::Certificates(const FileRef& ref, DiagnosticList& out) {
  auto it = certificates_.find(ref.path);
  if (it == certificates_.end()) {
    std::optional<std::vector<pki::Certificate>> parsed;
    if (const std::string* bytes = Bytes(ref, out)) {
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
      auto r = pki::InspectCertificateFile(*Bytes(ref, out));
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
    if (const std::string* bytes = Bytes(ref, out)) {
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
  const std::string* bytes = Bytes(ref, out);
  // Both passphrase settings at once is reported by the connection checks; a missing
  // passphrase file by the reference it is.
  bool usable = bytes && !(is.passphrase_file && !is.passphrase_env.empty());
  if (usable && is.passphrase_file && pki::PrivateKey::IsEncryptedPem(*bytes)) usable = Bytes(*is.passphrase_file, out);
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
