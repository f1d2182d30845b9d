// The certificate actions of a simulated VCS peer (VcsAppliance, vcs_state.h): the
// seed's buttons as the contract's `xCommand Certificates ...`, each refusal checked in
// the contract's order (docs/platforms/vcs.md, "Refusals").
#include <openssl/x509.h>

#include <algorithm>
#include <chrono>

#include "reconciler/pki/certificate_file.h"
#include "reconciler/pki/crl.h"
#include "reconciler/pki/csr.h"
#include "reconciler/pki/digest.h"
#include "reconciler/pki/key.h"
#include "reconciler/pki/pem_blocks.h"
#include "tests/sim/sim_files.h"
#include "tests/sim/vcs_state.h"

namespace pkiform::sim {
namespace {

// The most certificates the trusted CA list holds (ASSUMED bound of the simulator).
constexpr size_t kMaxTrustedCas = 500;

const char kPemOnly[] = "The certificate information must be supplied to the VCS in PEM format";
const char kWildcard[] = "VCS does not support wildcard certificates";
const char kRestartNote[] = "\"Restart the system for the new server certificate to take effect.\"";

Status Refuse(const std::string& reason, const std::string& rule = "") {
  Status s = Status::InvalidInput(reason);
  return rule.empty() ? s : s.WithRule(rule);
}

std::string Quoted(const std::string& s) { return "\"" + s + "\""; }

pki::TimePoint Now() { return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()); }

std::vector<std::string> SplitComma(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size() && !s.empty()) {
    size_t comma = s.find(',', start);
    std::string part = s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    part.erase(0, part.find_first_not_of(' '));
    part.erase(part.find_last_not_of(' ') + 1);
    out.push_back(part);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

bool IsHostName(const std::string& v) {
  return !v.empty() && v.size() <= 253 &&
         v.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") == std::string::npos;
}

bool PrintableField(const std::string& v) {
  return v.size() <= 64 && std::none_of(v.begin(), v.end(), [](char c) {
           auto u = static_cast<unsigned char>(c);
           return u < 0x20 || u == 0x7f || c == '"';
         });
}

Result<VcsResultLines> ServerResult(const std::string& certPem) {
  auto cert = pki::Certificate::FromPem(certPem);
  if (!cert.ok()) return cert.status();
  return VcsResultLines{{"Expires", Quoted(VcsDate(cert->NotAfter()))}, {"Note", kRestartNote}};
}

bool SameName(const X509_NAME* a, const X509_NAME* b) { return X509_NAME_cmp(a, b) == 0; }

}  // namespace

Result<std::string> VcsAppliance::ReadStaged(const std::string& path) const {
  auto host = VcsHostPath(*this, path);
  std::optional<std::string> text;
  if (host && host->parent_path() == StagingDir()) text = ReadText(*host);
  if (!text) return Refuse("File not found: " + path);
  return *text;
}

std::vector<pki::Certificate> VcsAppliance::TrustedCas() const {
  auto text = ReadText(CertsDir() / "ca.pem");
  if (!text) return {};
  auto certs = pki::ParseCertificates(*text);
  return certs.ok() ? *certs : std::vector<pki::Certificate>{};
}

Status VcsAppliance::WriteCaList(const std::vector<pki::Certificate>& list) const {
  std::string pem;
  for (const auto& c : list) pem += c.ToPem();
  return WriteTextAtomic(CertsDir() / "ca.pem", pem);
}

Result<VcsResultLines> VcsAppliance::GenerateCsr(const VcsCsrFields& f) const {
  FileLock lock(LockPath());
  const fs::path pending = CertsDir() / "generated_csr";
  if (fs::exists(pending / "csr.pem"))  // rule V4: one signing request at a time
    return Refuse(
        "Only one signing request can be in progress at any one time. To discard the current request and "
        "start a new request, use xCommand Certificates CSR Discard",
        "V4");
  auto altNames = SplitComma(f.alternativeNames);
  if (f.commonName.find('*') != std::string::npos || f.alternativeNames.find('*') != std::string::npos)
    return Refuse(kWildcard, "V2");
  if (f.commonName.empty() || !PrintableField(f.commonName))
    return Refuse("Invalid value for CommonName: " + f.commonName);
  for (const auto& n : altNames)
    if (!IsHostName(n)) return Refuse("Invalid value for AlternativeNames: " + f.alternativeNames);
  for (const auto& [name, value] :
       {std::pair{"Organization", &f.organization}, std::pair{"OrganizationalUnit", &f.organizationalUnit},
        std::pair{"Locality", &f.locality}, std::pair{"State", &f.state}})
    if (!PrintableField(*value)) return Refuse(std::string("Invalid value for ") + name + ": " + *value);
  if (f.country.size() != 2 || !std::isalpha(static_cast<unsigned char>(f.country[0])) ||
      !std::isalpha(static_cast<unsigned char>(f.country[1])))
    return Refuse("Invalid value for Country: " + f.country);
  if (f.keyLength != "2048" && f.keyLength != "3072" && f.keyLength != "4096")
    return Refuse("Invalid value for KeyLength: " + f.keyLength);
  auto key = pki::PrivateKey::Generate(pki::KeySpec::Rsa(std::stoi(f.keyLength)));
  if (!key.ok()) return key.status();
  pki::CsrRequest request;
  request.subject = {f.commonName, f.organization, f.organizationalUnit, f.locality, f.state, f.country};
  request.dnsNames = altNames;                              // rule V1: the SANs the caller asked for
  request.extendedKeyUsage = {"serverAuth", "clientAuth"};  // rule V3: added automatically (seed)
  auto csr = pki::Csr::Create(request, *key);
  if (!csr.ok()) return csr.status();
  auto keyPem = key->ToPem();
  if (!keyPem.ok()) return keyPem.status();
  // The key first: csr.pem is what says a request is pending.
  if (auto s = WriteTextAtomic(pending / "privkey.pem", keyPem->str(), fs::perms(0600)); !s.ok()) return s;
  if (auto s = WriteTextAtomic(pending / "csr.pem", csr->ToPem()); !s.ok()) return s;
  return VcsResultLines{{"Generated", Quoted(VcsDate(Now()))}};
}

Result<VcsResultLines> VcsAppliance::DiscardCsr() const {
  FileLock lock(LockPath());
  const fs::path pending = CertsDir() / "generated_csr";
  if (!fs::exists(pending / "csr.pem")) return Refuse("No certificate signing request is in progress", "V4");
  std::error_code ec;
  fs::remove(pending / "csr.pem", ec);
  fs::remove(pending / "privkey.pem", ec);
  return VcsResultLines{};
}

Result<VcsResultLines> VcsAppliance::UploadServer(const std::string& certificateFile,
                                                  const std::optional<std::string>& keyFile) const {
  FileLock lock(LockPath());
  auto certText = ReadStaged(certificateFile);
  if (!certText.ok()) return certText.status();
  std::optional<std::string> keyText;
  if (keyFile) {
    auto k = ReadStaged(*keyFile);
    if (!k.ok()) return k.status();
    keyText = *k;
  }
  // Rule V8: PEM only (DER, PKCS#7 binary and ZIP are refused).
  auto info = pki::InspectCertificateFile(*certText);
  auto certs = pki::ParseCertificates(*certText);
  if (!info.ok() || info->format != pki::CertificateFileInfo::kPem || !certs.ok()) return Refuse(kPemOnly, "V8");
  const pki::Certificate& leaf = certs->front();
  const fs::path pending = CertsDir() / "generated_csr";
  const bool csrPending = fs::exists(pending / "csr.pem");
  if (keyText && csrPending)
    return Refuse("You cannot upload a server private key if a certificate signing request is in progress", "V8");
  if (keyText && pki::PrivateKey::IsEncryptedPem(*keyText))
    return Refuse("The server private key must not be password protected", "V8");
  if (!keyText && !csrPending)
    return Refuse("No private key: upload the server private key, or generate a CSR first", "V8");
  std::optional<std::string> csrKeyText;
  if (!keyText) csrKeyText = ReadText(pending / "privkey.pem");
  const std::string& keyPem = keyText ? *keyText : csrKeyText.value_or("");
  auto key = pki::PrivateKey::FromPem(keyPem, nullptr);
  if (!key.ok()) return Refuse("The server private key could not be read: supply an unencrypted PEM private key", "V8");
  // Rule V5: each peer's certificate belongs to that peer's own key.
  if (key->PublicKeyDigest() != leaf.PublicKeyDigest())
    return Refuse("The server certificate does not match the private key", "V5");
  auto eku = leaf.ExtendedKeyUsage();  // rule V3: the VCS is a TLS client too
  if (!eku.empty() && (!eku.count("serverAuth") || !eku.count("clientAuth")))
    return Refuse(
        "The server certificate must be capable of being used as a Server and as a Client certificate "
        "(Extended Key Usage serverAuth and clientAuth)",
        "V3");
  bool wildcard = leaf.Subject().commonName.find('*') != std::string::npos;
  for (const auto& n : leaf.DnsNames()) wildcard = wildcard || n.find('*') != std::string::npos;
  if (wildcard) return Refuse(kWildcard, "V2");
  // Installed, not active: the TLS services take it at the next restart (rule V7). A
  // KeyFile is stored verbatim, final newline or not (rule V15 is the provider's).
  if (auto s = WriteTextAtomic(CertsDir() / "privkey.pem", keyPem, fs::perms(0600)); !s.ok()) return s;
  if (auto s = WriteTextAtomic(CertsDir() / "server.pem", leaf.ToPem()); !s.ok()) return s;
  if (!keyText) {
    std::error_code ec;
    fs::remove(pending / "csr.pem", ec);
    fs::remove(pending / "privkey.pem", ec);
  }
  return ServerResult(leaf.ToPem());
}

Result<VcsResultLines> VcsAppliance::ResetServer() const {
  FileLock lock(LockPath());
  auto cert = ReadText(dir_ / "factory" / "server.pem");
  auto key = ReadText(dir_ / "factory" / "privkey.pem");
  if (!cert || !key) return Status::IoError("the factory server certificate is missing from " + dir_.string());
  if (auto s = WriteTextAtomic(CertsDir() / "privkey.pem", *key, fs::perms(0600)); !s.ok()) return s;
  if (auto s = WriteTextAtomic(CertsDir() / "server.pem", *cert); !s.ok()) return s;
  return ServerResult(*cert);
}

Result<VcsResultLines> VcsAppliance::AppendCa(const std::string& file) const {
  FileLock lock(LockPath());
  auto text = ReadStaged(file);
  if (!text.ok()) return text.status();
  auto info = pki::InspectCertificateFile(*text);
  auto certs = pki::ParseCertificates(*text);
  if (!info.ok() || info->format != pki::CertificateFileInfo::kPem || !certs.ok()) return Refuse(kPemOnly, "V9");
  auto list = TrustedCas();
  int appended = 0;
  for (const auto& c : *certs) {
    if (std::find(list.begin(), list.end(), c) != list.end()) continue;  // the same certificate: kept once
    for (const auto& e : list) {
      // Rule V9: same issuer and subject, other bytes: the old one must be deleted first.
      if (SameName(X509_get_subject_name(e.get()), X509_get_subject_name(c.get())) &&
          SameName(X509_get_issuer_name(e.get()), X509_get_issuer_name(c.get())))
        return Refuse("A certificate for issuer " + c.Issuer().ToString() + " and subject " + c.Subject().ToString() +
                          " is already in the list: if you are replacing existing certificates for a particular "
                          "issuer and subject, you have to manually delete the previous certificates",
                      "V9");
    }
    if (list.size() >= kMaxTrustedCas)
      return Refuse("The trusted CA list is full (" + std::to_string(kMaxTrustedCas) + " certificates)");
    list.push_back(c);
    ++appended;
  }
  if (auto s = WriteCaList(list); !s.ok()) return s;
  return VcsResultLines{{"Appended", std::to_string(appended)}};
}

Result<VcsResultLines> VcsAppliance::DeleteCa(const std::string& fingerprint) const {
  FileLock lock(LockPath());
  std::string want = fingerprint;
  for (char& c : want) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (want.size() != 64 || want.find_first_not_of("0123456789abcdef") != std::string::npos)
    return Refuse("Invalid value for Fingerprint: " + fingerprint);
  auto list = TrustedCas();
  auto it = std::find_if(list.begin(), list.end(),
                         [&](const pki::Certificate& c) { return pki::Sha256Hex(c.ToDer()) == want; });
  if (it == list.end()) return Refuse("No trusted CA certificate with fingerprint " + fingerprint, "V9");
  list.erase(it);
  if (auto s = WriteCaList(list); !s.ok()) return s;
  return VcsResultLines{};
}

Result<VcsResultLines> VcsAppliance::ResetCa() const {
  FileLock lock(LockPath());
  auto text = ReadText(dir_ / "factory" / "ca.pem");
  if (!text) return Status::IoError("the factory CA list is missing from " + dir_.string());
  if (auto s = WriteTextAtomic(CertsDir() / "ca.pem", *text); !s.ok()) return s;
  return VcsResultLines{};
}

Result<VcsResultLines> VcsAppliance::UploadCrl(const std::string& file) const {
  FileLock lock(LockPath());
  auto text = ReadStaged(file);
  if (!text.ok()) return text.status();
  // Rule V11: PEM CRLs only; every block must be one.
  int crls = 0;
  Status walk = pki::ForEachPemBlock(*text, [&](std::string_view label, std::string_view der, int) {
    if (label != "X509 CRL" || !pki::Crl::Parse(der).ok()) return Status::InvalidInput("not a CRL");
    ++crls;
    return Status::Ok();
  });
  if (!walk.ok() || crls == 0) return Refuse("The CRL file must be in PEM encoded format", "V11");
  if (auto s = WriteTextAtomic(CertsDir() / "crl" / "manual.pem", *text); !s.ok()) return s;  // replaces the old one
  return VcsResultLines{};
}

Result<VcsResultLines> VcsAppliance::RemoveCrl() const {
  FileLock lock(LockPath());
  std::error_code ec;
  fs::remove(CertsDir() / "crl" / "manual.pem", ec);
  return VcsResultLines{};
}

}  // namespace pkiform::sim
