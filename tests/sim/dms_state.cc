#include "tests/sim/dms_state.h"

#include <chrono>
#include <ctime>
#include <map>

#include "reconciler/pki/csr.h"
#include "reconciler/pki/key.h"
#include "reconciler/pki/pem_blocks.h"
#include "reconciler/pki/signer.h"
#include "tests/sim/sim_files.h"

namespace pkiform::sim {
namespace {

pki::TimePoint Now() { return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()); }

pki::DistinguishedName Subject(const std::string& fqdn, const DmsSubjectFields& f) {
  pki::DistinguishedName dn;
  dn.commonName = fqdn;
  dn.organizationalUnit = f.department;
  dn.organization = f.organization;
  dn.locality = f.location;
  dn.state = f.state;
  dn.country = f.country;
  return dn;
}

// `from` plus `months` calendar months (timegm normalises the month overflow).
pki::TimePoint AddMonths(pki::TimePoint from, int months) {
  std::time_t t = std::chrono::system_clock::to_time_t(from);
  std::tm tm{};
  gmtime_r(&t, &tm);
  tm.tm_mon += months;
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::from_time_t(timegm(&tm)));
}

// The chain first, the key last: a reader that takes identity.pem then identity.key (the TLS
// daemon) sees a new pair at most one file apart, as before.
Status WriteIdentity(const fs::path& keystore, const pki::Certificate& cert, const pki::PrivateKey& key,
                     const std::vector<pki::Certificate>& chain = {}) {
  auto keyPem = key.ToPem();
  if (!keyPem.ok()) return keyPem.status();
  std::string chainPem;
  for (const auto& c : chain) chainPem += c.ToPem();
  if (auto s = WriteTextAtomic(keystore / "chain.pem", chainPem); !s.ok()) return s;
  if (auto s = WriteTextAtomic(keystore / "identity.key", keyPem->str(), fs::perms(0600)); !s.ok()) return s;
  return WriteTextAtomic(keystore / "identity.pem", cert.ToPem());
}

Status SelfSigned(const fs::path& keystore, const pki::DistinguishedName& subject, int months) {
  auto key = pki::PrivateKey::Generate(pki::KeySpec::Rsa(2048));
  if (!key.ok()) return key.status();
  pki::SigningPolicy p;
  p.subject = subject;
  p.dnsNames = {subject.commonName};
  p.keyUsage = {"digitalSignature", "keyEncipherment"};
  p.extendedKeyUsage = {"serverAuth"};
  p.notBefore = Now();
  p.validity = std::chrono::duration_cast<std::chrono::seconds>(AddMonths(p.notBefore, months) - p.notBefore);
  auto cert = pki::SelfSign(*key, p);
  if (!cert.ok()) return cert.status();
  return WriteIdentity(keystore, *cert, *key);
}

}  // namespace

bool DmsAppliance::IsDms(const fs::path& dir) {
  auto text = ReadText(dir / "sim.conf");
  return text && ParseKeyValues(*text)["platform"] == "dms";
}

Result<DmsAppliance> DmsAppliance::Open(const fs::path& dir) {
  auto text = ReadText(dir / "sim.conf");
  if (!text) return Status::NotFound("no simulated appliance in " + dir.string() + " (no sim.conf)");
  auto kv = ParseKeyValues(*text);
  if (kv["platform"] != "dms")
    return Status::Unsupported(dir.string() + ": platform '" + kv["platform"] + "' is not dms");
  DmsConfig c;
  c.fqdn = kv["fqdn"];
  c.address = kv["address"];
  c.httpsPort = ToInt(kv["https-port"], 443);
  return DmsAppliance(dir, c);
}

Status DmsAppliance::Init(const fs::path& dir, const DmsConfig& in) {
  std::error_code ec;
  fs::create_directories(dir / "keystore", ec);
  if (ec) return Status::IoError("cannot create " + dir.string() + ": " + ec.message());
  std::map<std::string, std::string> kv{
      {"platform", "dms"}, {"fqdn", in.fqdn}, {"address", in.address}, {"https-port", std::to_string(in.httpsPort)}};
  if (auto s = WriteTextAtomic(dir / "sim.conf", FormatKeyValues(kv)); !s.ok()) return s;
  pki::DistinguishedName subject;
  subject.commonName = in.fqdn;
  return SelfSigned(dir / "keystore", subject, 12).WithContext("factory identity");
}

Result<pki::Certificate> DmsAppliance::Identity() const {
  auto pem = ReadText(KeystoreDir() / "identity.pem");
  if (!pem) return Status::NotFound("no identity certificate in " + KeystoreDir().string());
  return pki::Certificate::FromPem(*pem);
}

std::optional<std::string> DmsAppliance::IdentityKeyPem() const { return ReadText(KeystoreDir() / "identity.key"); }

std::vector<pki::Certificate> DmsAppliance::Chain() const {
  std::vector<pki::Certificate> out;
  auto text = ReadText(KeystoreDir() / "chain.pem");
  if (!text) return out;
  (void)pki::ForEachPemBlock(*text, [&](std::string_view label, std::string_view der, int) {
    if (label != "CERTIFICATE") return Status::Ok();
    auto c = pki::Certificate::FromDer(der);
    if (c.ok()) out.push_back(*c);
    return Status::Ok();
  });
  return out;
}

Status DmsAppliance::GenerateSelfSigned(const DmsSubjectFields& fields, int months) const {
  if (months < 1 || months > 999) return Status::InvalidInput("Permitted values range from 1 to 999.");
  FileLock lock(dir_ / "lock");
  return SelfSigned(KeystoreDir(), Subject(config_.fqdn, fields), months);
}

Result<std::string> DmsAppliance::GenerateCsr(const DmsSubjectFields& fields) const {
  auto key = pki::PrivateKey::Generate(pki::KeySpec::Rsa(2048));
  if (!key.ok()) return key.status();
  pki::CsrRequest request;
  request.subject = Subject(config_.fqdn, fields);
  auto csr = pki::Csr::Create(request, *key);
  if (!csr.ok()) return csr.status();
  auto keyPem = key->ToPem();
  if (!keyPem.ok()) return keyPem.status();
  FileLock lock(dir_ / "lock");
  // The key first: a CSR on disk always has its key (the newest CSR is what an import matches, D10).
  if (auto s = WriteTextAtomic(KeystoreDir() / "csr.key", keyPem->str(), fs::perms(0600)); !s.ok()) return s;
  if (auto s = WriteTextAtomic(KeystoreDir() / "csr.pem", csr->ToPem()); !s.ok()) return s;
  return csr->ToPem();
}

std::string DmsAppliance::NewestCsrKeyDigest() const {
  auto pem = ReadText(KeystoreDir() / "csr.pem");
  if (!pem) return "";
  auto csr = pki::Csr::FromPem(*pem);
  return csr.ok() ? csr->PublicKeyDigest() : "";
}

Status DmsAppliance::ImportIdentity(const pki::Certificate& identity, const std::vector<pki::Certificate>& chain) const {
  FileLock lock(dir_ / "lock");
  auto keyPem = ReadText(KeystoreDir() / "csr.key");
  if (!keyPem) return Status::NotFound("the newest CSR's key is missing");
  auto key = pki::PrivateKey::FromPem(*keyPem, nullptr);
  if (!key.ok()) return key.status();
  if (key->PublicKeyDigest() != identity.PublicKeyDigest())
    return Status::InvalidInput("the certificate does not match the newest CSR's key");
  return WriteIdentity(KeystoreDir(), identity, *key, chain);
}

Status DmsAppliance::RestoreIdentity(const pki::Certificate& identity, const pki::PrivateKey& key,
                                     const std::vector<pki::Certificate>& chain) const {
  if (key.PublicKeyDigest() != identity.PublicKeyDigest())
    return Status::InvalidInput("the keystore's key does not match its certificate");
  FileLock lock(dir_ / "lock");
  return WriteIdentity(KeystoreDir(), identity, key, chain);
}

std::optional<std::string> DmsFieldProblem(const DmsSubjectFields& f) {
  const std::pair<const char*, const std::string*> fields[] = {{"Department", &f.department},
                                                               {"Organization", &f.organization},
                                                               {"Location", &f.location},
                                                               {"State", &f.state},
                                                               {"Country", &f.country}};
  for (const auto& [name, value] : fields)  // rule D6
    if (value->find_first_of(kDmsForbiddenCharacters) != std::string::npos)
      return std::string("Do not use any of these characters: , + = \" ' ` \\ < > # ;  (") + name + ")";
  if (f.country.size() != 2 || f.country.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string::npos)
    return std::string("Country must be a 2-character country code.");
  return std::nullopt;
}

std::optional<int> DmsMonths(const std::string& text) {
  if (text.empty() || text.size() > 3 || text.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  int months = std::stoi(text);
  if (months < 1 || months > 999) return std::nullopt;  // rule D8
  return months;
}

}  // namespace pkiform::sim
