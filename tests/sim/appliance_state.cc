#include "tests/sim/appliance_state.h"

#include <openssl/x509_vfy.h>

#include <algorithm>
#include <chrono>
#include <set>

#include "reconciler/catalogue/usage.h"
#include "reconciler/pki/certificate_file.h"
#include "reconciler/pki/signer.h"
#include "tests/sim/sim_files.h"

namespace pkiform::sim {
namespace {

using catalogue::KeyAlgorithm;
using catalogue::SlotSpec;
using catalogue::TrustStoreSpec;

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string ChainPem(const std::vector<pki::Certificate>& chain) {
  std::string out;
  for (const auto& c : chain) out += c.ToPem();
  return out;
}

Result<std::vector<pki::Certificate>> ReadChain(const fs::path& path) {
  auto text = ReadText(path);
  if (!text) return Status::NotFound("no certificate at " + path.string());
  return pki::ParseCertificates(*text);
}

// The subject CN of a unit's system self-signed certificate (ASSUMED naming, close to
// what real nodes show: FQDN for tomcat, host name for CallManager, CAPF-<hex>, ...).
std::string SelfSignedCommonName(const NodeConfig& c, const std::string& unit) {
  std::string domain;
  if (auto dot = c.fqdn.find('.'); dot != std::string::npos) domain = c.fqdn.substr(dot);
  bool ec = unit.size() > 6 && unit.ends_with("-ECDSA");
  if (unit == "CallManager" || unit == "TVS") return c.hostname;
  if (unit == "CallManager-ECDSA") return c.hostname + "-EC";
  if (unit == "CAPF") {
    auto serial = pki::RandomSerialHex();
    return "CAPF-" + (serial.ok() ? serial->substr(0, 8) : std::string("00000000"));
  }
  if (unit == "ITLRecovery") return "ITLRECOVERY_" + c.hostname;
  if (unit == "AUTHZ") return "AUTHZ_" + c.hostname;
  if (ec) return c.hostname + "-EC" + domain;
  return c.fqdn;
}

pki::DistinguishedName SubjectFrom(const WebSecurity& ws, const std::string& cn, bool withOu) {
  pki::DistinguishedName dn;
  dn.commonName = cn;
  if (withOu) dn.organizationalUnit = ws.orgUnit;
  dn.organization = ws.orgName;
  dn.locality = ws.locality;
  dn.state = ws.state;
  dn.country = ws.country;
  return dn;
}

std::vector<std::string> NodeNames(const NodeConfig& c, const WebSecurity& ws) {
  std::vector<std::string> names{c.fqdn};
  if (!ws.alternateHostName.empty() && ws.alternateHostName != c.fqdn) names.push_back(ws.alternateHostName);
  return names;
}

const catalogue::UsageSpec* UsageOf(const SlotSpec& slot, const std::string& nodeType) {
  KeyAlgorithm alg = slot.key_algorithm.value_or(KeyAlgorithm::kRsa);
  return slot.UsageFor(nodeType, alg);
}

pki::KeySpec DefaultKeyOf(const SlotSpec& slot) {
  if (slot.key_algorithm == KeyAlgorithm::kEc) return pki::KeySpec::Ecdsa("P-256");
  return pki::KeySpec::Rsa(2048);
}

int ToInt(const std::string& text, int fallback) {
  try {
    return text.empty() ? fallback : std::stoi(text);
  } catch (...) {
    return fallback;
  }
}

}  // namespace

std::string VersionOfRelease(const std::string& release) {
  if (release == "14") return "14.0.1.10000-20";
  if (release == "14SU1") return "14.0.1.11900-132";
  if (release == "14SU2") return "14.0.1.12900-161";
  if (release == "14SU3") return "14.0.1.13900-155";
  return "";
}

std::string TrustFileStem(const pki::Certificate& cert) {
  std::string cn = cert.Subject().commonName;
  if (cn.empty()) return "certificate";
  for (char& ch : cn) {
    bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' ||
              ch == '_' || ch == '-';
    if (!ok) ch = '_';
  }
  return cn;
}

Result<Appliance> Appliance::Open(const fs::path& dir) {
  auto text = ReadText(dir / "sim.conf");
  if (!text) return Status::NotFound("no simulated appliance in " + dir.string() + " (no sim.conf)");
  auto kv = ParseKeyValues(*text);
  if (kv["platform"] != "ucm") return Status::Unsupported(dir.string() + ": platform '" + kv["platform"] + "' is not ucm");
  NodeConfig c;
  c.fqdn = kv["fqdn"];
  c.address = kv["address"];
  c.hostname = c.fqdn.substr(0, c.fqdn.find('.'));
  c.role = kv["role"];
  c.nodeType = kv["node-type"];
  c.release = kv["release"];
  c.clusterDir = kv["cluster-dir"];
  c.httpsPort = ToInt(kv["https-port"], 443);
  c.sipTlsPort = ToInt(kv["sip-tls-port"], 5061);
  c.restartMs = ToInt(kv["restart-ms"], 0);
  c.startupMs = ToInt(kv["startup-ms"], 0);
  const auto& cat = catalogue::BuiltinCatalogue();
  if (!cat.ok()) return cat.status();
  const auto* platform = cat->Find("ucm");
  if (!platform) return Status::NotFound("the catalogue has no ucm platform");
  return Appliance(dir, c, platform);
}

Status Appliance::Init(const fs::path& dir, const NodeConfig& in) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  fs::create_directories(in.clusterDir / "nodes", ec);
  if (ec) return Status::IoError("cannot create " + in.clusterDir.string() + ": " + ec.message());
  std::map<std::string, std::string> kv{{"platform", "ucm"},
                                        {"fqdn", in.fqdn},
                                        {"address", in.address},
                                        {"role", in.role},
                                        {"node-type", in.nodeType},
                                        {"release", in.release},
                                        {"cluster-dir", fs::absolute(in.clusterDir).string()},
                                        {"https-port", std::to_string(in.httpsPort)},
                                        {"sip-tls-port", std::to_string(in.sipTlsPort)},
                                        {"restart-ms", std::to_string(in.restartMs)},
                                        {"startup-ms", std::to_string(in.startupMs)}};
  if (auto s = WriteTextAtomic(dir / "sim.conf", FormatKeyValues(kv)); !s.ok()) return s;
  auto opened = Appliance::Open(dir);
  if (!opened.ok()) return opened.status();
  Appliance& a = *opened;
  if (auto s = a.SaveWebSecurity(WebSecurity{}); !s.ok()) return s;

  FileLock lock(a.ClusterLockPath());
  if (!lock.locked()) return Status::IoError("cannot lock " + a.ClusterLockPath().string());
  // Register first: replication below reaches the new node too.
  std::map<std::string, std::string> member{{"dir", fs::absolute(dir).string()},
                                            {"fqdn", in.fqdn},
                                            {"role", in.role},
                                            {"node-type", in.nodeType}};
  if (auto s = WriteTextAtomic(a.config_.clusterDir / "nodes" / (in.address + ".conf"), FormatKeyValues(member));
      !s.ok())
    return s;
  // Existing replicated entries of the other members (their own identities, imports).
  for (const auto& m : a.ClusterMembers()) {
    if (m.address == in.address) continue;
    auto other = Appliance::Open(m.dir);
    if (!other.ok()) continue;
    for (const auto* store : a.TrustStores()) {
      if (store->replication != catalogue::Scope::kCluster) continue;
      for (const auto& e : other->TrustEntries(store->name)) {
        if (auto s = a.AddTrustToNode(dir, store->name, e.certificate, e.description); !s.ok()) return s;
      }
    }
  }
  // Built-in Cisco-style CAs, made once per cluster (ASSUMED names).
  struct Builtin {
    const char* file;
    const char* cn;
    const char* description;
  };
  const Builtin builtins[] = {{"Cisco_Root_CA_2048", "Cisco Root CA 2048", "Cisco Root CA 2048"},
                              {"Cisco_Root_CA_M2", "Cisco Root CA M2", "Cisco Root CA M2"}};
  for (const auto& b : builtins) {
    fs::path path = a.config_.clusterDir / "builtin" / (std::string(b.file) + ".pem");
    if (!fs::exists(path)) {
      auto key = pki::PrivateKey::Generate(pki::KeySpec::Rsa(2048));
      if (!key.ok()) return key.status();
      pki::SigningPolicy p;
      p.subject.commonName = b.cn;
      p.subject.organization = "Cisco Systems";
      p.keyUsage = {"keyCertSign", "cRLSign"};
      p.isCa = true;
      p.notBefore = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) -
                    std::chrono::hours(24 * 365);
      p.validity = std::chrono::hours(24 * 365 * 20);
      auto cert = pki::SelfSign(*key, p);
      if (!cert.ok()) return cert.status();
      if (auto s = WriteTextAtomic(path, cert->ToPem()); !s.ok()) return s;
    }
    auto chain = ReadChain(path);
    if (!chain.ok()) return chain.status();
    for (const char* store : {"tomcat-trust", "CallManager-trust"}) {
      if (!a.FindTrustStore(store)) continue;
      if (auto s = a.AddTrustToNode(dir, store, chain->front(), b.description); !s.ok()) return s;
    }
  }
  // System self-signed identities (rule U1), each also in its -trust store.
  for (const auto* slot : a.Units()) {
    if (auto s = a.CreateSelfSigned(slot->name, DefaultKeyOf(*slot)); !s.ok()) return s;
  }
  for (const auto* slot : a.Units()) {
    std::error_code copyError;
    fs::create_directories(dir / "running", copyError);
    fs::copy_file(dir / "own" / (slot->name + ".pem"), dir / "running" / (slot->name + ".pem"),
                  fs::copy_options::overwrite_existing, copyError);
    fs::copy_file(dir / "own" / (slot->name + ".key"), dir / "running" / (slot->name + ".key"),
                  fs::copy_options::overwrite_existing, copyError);
    if (copyError) return Status::IoError("cannot copy the running identity of " + slot->name);
  }
  std::map<std::string, std::string> services;
  for (const auto& s : a.Services()) services[s] = "STARTED";
  return WriteTextAtomic(dir / "services.conf", FormatKeyValues(services));
}

bool Appliance::ReleaseAtLeast(const std::string& release) const {
  auto mine = catalogue::ParseRelease(config_.release);
  auto other = catalogue::ParseRelease(release);
  if (!mine.ok() || !other.ok()) return false;
  return catalogue::CompareReleases(*mine, *other) >= 0;
}

std::vector<const SlotSpec*> Appliance::Units() const {
  std::vector<const SlotSpec*> out;
  for (const auto& slot : platform_->slots) {
    if (!Contains(slot.node_types, config_.nodeType)) continue;
    if (slot.placement == catalogue::Placement::kPublisher && !config_.IsPublisher()) continue;  // rule U6
    out.push_back(&slot);
  }
  return out;
}

const SlotSpec* Appliance::FindUnit(const std::string& name) const {
  for (const auto* s : Units())
    if (s->name == name) return s;
  return nullptr;
}

std::vector<const TrustStoreSpec*> Appliance::TrustStores() const {
  std::vector<const TrustStoreSpec*> out;
  for (const auto& store : platform_->trust_stores)
    if (Contains(store.node_types, config_.nodeType)) out.push_back(&store);
  return out;
}

const TrustStoreSpec* Appliance::FindTrustStore(const std::string& name) const {
  for (const auto* s : TrustStores())
    if (s->name == name) return s;
  return nullptr;
}

std::vector<std::string> Appliance::Services() const {
  std::vector<std::string> out;
  auto release = catalogue::ParseRelease(config_.release);
  std::optional<catalogue::Release> r;
  if (release.ok()) r = *release;
  auto add = [&](const std::vector<catalogue::RestartSpec>& restarts) {
    for (const auto& rs : restarts)
      if (rs.kind == catalogue::RestartSpec::Kind::kService && !Contains(out, rs.name)) out.push_back(rs.name);
  };
  for (const auto& slot : platform_->slots) {
    if (Contains(slot.node_types, config_.nodeType)) {
      add(slot.RestartsFor(config_.nodeType, r));
      continue;
    }
    // A restart bound to this node type by a slot of the other one (AUTHZ: Cisco XCP
    // Authentication Service on IM and Presence) is part of the U13 table here too.
    for (const auto& rs : slot.restarts)
      if (Contains(rs.node_types, config_.nodeType) && rs.releases.Contains(r)) add({rs});
  }
  for (const auto* store : TrustStores()) add(store->restarts);
  return out;
}

std::vector<std::string> Appliance::UnitsRestartedBy(const std::string& service) const {
  std::vector<std::string> out;
  auto release = catalogue::ParseRelease(config_.release);
  std::optional<catalogue::Release> r;
  if (release.ok()) r = *release;
  for (const auto* slot : Units()) {
    for (const auto& rs : slot->RestartsFor(config_.nodeType, r))
      if (rs.name == service) out.push_back(slot->name);
  }
  return out;
}

WebSecurity Appliance::LoadWebSecurity() const {
  WebSecurity ws;
  auto text = ReadText(dir_ / "web-security.conf");
  if (!text) return ws;
  auto kv = ParseKeyValues(*text);
  ws.orgUnit = kv["orgunit"];
  ws.orgName = kv["orgname"];
  ws.locality = kv["locality"];
  ws.state = kv["state"];
  ws.country = kv["country"];
  ws.alternateHostName = kv["alternatehostname"];
  return ws;
}

Status Appliance::SaveWebSecurity(const WebSecurity& ws) const {
  return WriteTextAtomic(dir_ / "web-security.conf",
                         FormatKeyValues({{"orgunit", ws.orgUnit},
                                          {"orgname", ws.orgName},
                                          {"locality", ws.locality},
                                          {"state", ws.state},
                                          {"country", ws.country},
                                          {"alternatehostname", ws.alternateHostName}}));
}

Result<std::vector<pki::Certificate>> Appliance::Installed(const std::string& unit) const {
  return ReadChain(dir_ / "own" / (unit + ".pem"));
}

Result<std::vector<pki::Certificate>> Appliance::Running(const std::string& unit) const {
  return ReadChain(dir_ / "running" / (unit + ".pem"));
}

std::optional<std::string> Appliance::RunningKeyPem(const std::string& unit) const {
  return ReadText(dir_ / "running" / (unit + ".key"));
}

Status Appliance::WriteIdentity(const fs::path& base, const std::string& unit, const std::string& chainPem,
                                const std::string& keyPem) const {
  // Key first: a reader that sees the new certificate then finds its key.
  if (auto s = WriteTextAtomic(base / (unit + ".key"), keyPem, fs::perms(0600)); !s.ok()) return s;
  return WriteTextAtomic(base / (unit + ".pem"), chainPem);
}

Status Appliance::CreateSelfSigned(const std::string& unit, const pki::KeySpec& spec) {
  const SlotSpec* slot = FindUnit(unit);
  if (!slot) return Status::NotFound("unknown unit " + unit);
  auto key = pki::PrivateKey::Generate(spec);
  if (!key.ok()) return key.status();
  WebSecurity ws = LoadWebSecurity();
  pki::SigningPolicy p;
  p.subject = SubjectFrom(ws, SelfSignedCommonName(config_, unit), true);
  p.dnsNames = NodeNames(config_, ws);
  if (const auto* usage = UsageOf(*slot, config_.nodeType)) {
    for (auto u : usage->key_usage) p.keyUsage.insert(std::string(catalogue::Name(u)));
    for (auto u : usage->extended_key_usage) p.extendedKeyUsage.insert(std::string(catalogue::Name(u)));
  } else {
    p.keyUsage = {"digitalSignature", "keyEncipherment"};
  }
  p.isCa = p.keyUsage.count("keyCertSign") > 0;  // CAPF issues LSCs
  p.notBefore = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) -
                std::chrono::minutes(5);
  p.validity = std::chrono::hours(24 * 365 * 5);
  auto cert = pki::SelfSign(*key, p);
  if (!cert.ok()) return cert.status();
  auto keyPem = key->ToPem();
  if (!keyPem.ok()) return keyPem.status();
  if (auto s = WriteIdentity(dir_ / "own", unit, cert->ToPem(), keyPem->str()); !s.ok()) return s;
  if (slot->trust_store.empty()) return Status::Ok();
  return AddTrust(slot->trust_store, *cert, "Trust Certificate");
}

Status Appliance::Regenerate(const std::string& unit) {
  const SlotSpec* slot = FindUnit(unit);
  if (!slot) return Status::NotFound("Invalid unit " + unit);
  auto old = Installed(unit);
  pki::KeySpec spec = old.ok() ? old->front().Key() : DefaultKeyOf(*slot);  // rule U12: same key length
  if (old.ok() && old->front().IsSelfSigned() && !slot->trust_store.empty()) {
    // The old self-signed entry leaves the trust store(s) it replicated to.
    std::string der = old->front().ToDer();
    for (const auto& m : ClusterMembers()) {
      if (m.address != config_.address && FindTrustStore(slot->trust_store)->replication != catalogue::Scope::kCluster)
        continue;
      fs::path storeDir = m.dir / "trust" / slot->trust_store;
      for (const auto& f : ListDir(storeDir)) {
        if (!f.ends_with(".pem")) continue;
        auto chain = ReadChain(storeDir / f);
        if (chain.ok() && chain->front().ToDer() == der) {
          std::error_code ec;
          fs::remove(storeDir / f, ec);
          fs::remove(storeDir / (f.substr(0, f.size() - 4) + ".desc"), ec);
        }
      }
    }
  }
  return CreateSelfSigned(unit, spec);
}

Status Appliance::GenerateCsr(const std::string& unit, bool includeOu) {
  const SlotSpec* slot = FindUnit(unit);
  if (!slot) return Status::NotFound("Invalid unit " + unit);
  auto current = Installed(unit);
  pki::KeySpec spec = current.ok() ? current->front().Key() : DefaultKeyOf(*slot);
  auto key = pki::PrivateKey::Generate(spec);
  if (!key.ok()) return key.status();
  WebSecurity ws = LoadWebSecurity();
  pki::CsrRequest req;
  req.subject = SubjectFrom(ws, config_.fqdn, includeOu);
  req.dnsNames = NodeNames(config_, ws);
  if (const auto* usage = UsageOf(*slot, config_.nodeType)) {
    for (auto u : usage->key_usage) req.keyUsage.insert(std::string(catalogue::Name(u)));
    for (auto u : usage->extended_key_usage) req.extendedKeyUsage.insert(std::string(catalogue::Name(u)));
  }
  auto csr = pki::Csr::Create(req, *key);
  if (!csr.ok()) return csr.status();
  auto keyPem = key->ToPem();
  if (!keyPem.ok()) return keyPem.status();
  // rule U9: the new CSR and key replace the pending ones.
  if (auto s = WriteTextAtomic(dir_ / "csr" / (unit + ".key"), keyPem->str(), fs::perms(0600)); !s.ok()) return s;
  return WriteTextAtomic(dir_ / "csr" / (unit + ".csr"), csr->ToPem());
}

std::optional<std::string> Appliance::PendingCsrPem(const std::string& unit) const {
  return ReadText(dir_ / "csr" / (unit + ".csr"));
}

std::vector<std::string> Appliance::PendingCsrUnits() const {
  std::vector<std::string> out;
  for (const auto* slot : Units())
    if (fs::exists(dir_ / "csr" / (slot->name + ".csr"))) out.push_back(slot->name);
  return out;
}

Status Appliance::ImportOwn(const std::string& unit, const std::vector<pki::Certificate>& pasted) {
  const SlotSpec* any = platform_->FindSlot(unit);
  if (any && any->placement == catalogue::Placement::kPublisher && !config_.IsPublisher() &&
      Contains(any->node_types, config_.nodeType)) {
    // rule U6 (ASSUMED wording)
    return Status::InvalidInput("The " + unit +
                                " certificate can be uploaded only on the publisher (first node) of the cluster.")
        .WithRule("U6");
  }
  const SlotSpec* slot = FindUnit(unit);
  if (!slot) return Status::NotFound("Invalid unit " + unit);
  if (!slot->csr) return Status::InvalidInput("Certificate import is not supported for " + unit + ".");
  if (pasted.empty()) return Status::InvalidInput("No certificate was found in the input.");
  const pki::Certificate& leaf = pasted.front();
  auto csrKeyPem = ReadText(dir_ / "csr" / (unit + ".key"));
  auto csrPem = PendingCsrPem(unit);
  if (!csrKeyPem || !csrPem) {
    return Status::InvalidInput("No CSR is pending for " + unit + ": generate one with set csr gen " + unit + ".")
        .WithRule("U8");
  }
  auto csr = pki::Csr::FromPem(*csrPem);
  if (!csr.ok() || csr->PublicKeyDigest() != leaf.PublicKeyDigest()) {
    return Status::InvalidInput("The certificate does not match the CSR of " + unit +
                                ": its public key is not the key of the pending CSR.")
        .WithRule("U8");
  }
  // rule U7: the issuer (root and intermediates) must already be in <unit>-trust.
  if (!leaf.IsSelfSigned()) {
    pki::X509StorePtr store(X509_STORE_new());
    for (const auto& e : TrustEntries(slot->trust_store)) X509_STORE_add_cert(store.get(), e.certificate.get());
    X509_STORE_set_flags(store.get(), X509_V_FLAG_PARTIAL_CHAIN);
    pki::X509StoreCtxPtr ctx(X509_STORE_CTX_new());
    X509_STORE_CTX_init(ctx.get(), store.get(), leaf.get(), nullptr);
    if (X509_verify_cert(ctx.get()) != 1) {
      int err = X509_STORE_CTX_get_error(ctx.get());
      return Status::InvalidInput("Unable to import certificate for " + unit + ": the CA certificate of issuer " +
                                  leaf.Issuer().ToString() + " is not in " + slot->trust_store +
                                  " (upload the root and intermediate certificates first; " +
                                  X509_verify_cert_error_string(err) + ").")
          .WithRule("U7");
    }
  }
  // rule U2: the purpose's key usages, Data Encipherment included, must survive CA signing.
  if (const auto* usage = UsageOf(*slot, config_.nodeType)) {
    auto ku = leaf.KeyUsage();
    auto eku = leaf.ExtendedKeyUsage();
    std::vector<std::string> missing;
    for (auto u : usage->key_usage)
      if (!ku.count(std::string(catalogue::Name(u)))) missing.emplace_back(catalogue::Name(u));
    for (auto u : usage->extended_key_usage)
      if (!eku.count(std::string(catalogue::Name(u)))) missing.emplace_back(catalogue::Name(u));
    if (!missing.empty()) {
      std::string list;
      for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
      return Status::InvalidInput("The certificate's key usage does not match the " + unit + " purpose: missing " +
                                  list + ".")
          .WithRule("U2");
    }
  }
  // rule U15: from 14SU2 multi-SAN certificates only through the administrative web interface.
  if (ReleaseAtLeast("14SU2")) {
    int others = 0;
    for (const auto& n : leaf.DnsNames())
      if (n != config_.fqdn) ++others;
    if (others > 1) {
      return Status::InvalidInput(
                 "Multi-server (SAN) certificates cannot be uploaded through the CLI on this release. Use the "
                 "Cisco Unified OS Administration web interface to upload the certificate.")
          .WithRule("U15");
    }
  }
  // rule U8: the identity is overwritten and the CSR deleted.
  if (auto s = WriteIdentity(dir_ / "own", unit, ChainPem(pasted), *csrKeyPem); !s.ok()) return s;
  std::error_code ec;
  fs::remove(dir_ / "csr" / (unit + ".csr"), ec);
  fs::remove(dir_ / "csr" / (unit + ".key"), ec);
  return Status::Ok();
}

Status Appliance::AddTrustToNode(const fs::path& nodeDir, const std::string& store, const pki::Certificate& cert,
                                 const std::string& description) const {
  fs::path storeDir = nodeDir / "trust" / store;
  std::string der = cert.ToDer();
  std::set<std::string> taken;
  for (const auto& f : ListDir(storeDir)) {
    if (!f.ends_with(".pem")) continue;
    taken.insert(f);
    auto chain = ReadChain(storeDir / f);
    if (chain.ok() && chain->front().ToDer() == der) return Status::Ok();  // already there
  }
  std::string stem = TrustFileStem(cert);
  std::string name = stem + ".pem";
  for (int i = 1; taken.count(name); ++i) name = stem + "_" + std::to_string(i) + ".pem";  // ASSUMED
  if (auto s = WriteTextAtomic(storeDir / (name.substr(0, name.size() - 4) + ".desc"), description + "\n"); !s.ok())
    return s;
  return WriteTextAtomic(storeDir / name, cert.ToPem());
}

Status Appliance::AddTrust(const std::string& storeName, const pki::Certificate& cert, const std::string& description) {
  const TrustStoreSpec* store = FindTrustStore(storeName);
  if (!store) return Status::NotFound("Invalid trust store " + storeName);
  if (auto s = AddTrustToNode(dir_, storeName, cert, description); !s.ok()) return s;
  if (store->replication == catalogue::Scope::kCluster) {  // rule U10
    for (const auto& m : ClusterMembers()) {
      if (m.address == config_.address) continue;
      const auto* spec = platform_->FindTrustStore(storeName);
      if (!spec || !Contains(spec->node_types, m.nodeType)) continue;
      if (auto s = AddTrustToNode(m.dir, storeName, cert, description); !s.ok()) return s;
    }
  }
  for (const auto& copy : store->copies_to) {  // rule U10: CAPF-trust roots reach CallManager-trust
    if (auto s = AddTrust(copy, cert, description); !s.ok()) return s;
  }
  return Status::Ok();
}

Status Appliance::ImportTrust(const std::string& unit, const std::vector<pki::Certificate>& pasted) {
  std::string storeName = unit.ends_with("-trust") ? unit : unit + "-trust";
  if (!FindTrustStore(storeName)) return Status::NotFound("Invalid unit " + unit);
  if (pasted.empty()) return Status::InvalidInput("No certificate was found in the input.");
  for (const auto& cert : pasted) {
    if (auto s = AddTrust(storeName, cert, "Trust Certificate"); !s.ok()) return s;
  }
  return Status::Ok();
}

Status Appliance::DeleteTrust(const std::string& storeName, const std::string& file) {
  if (!storeName.ends_with("-trust")) {
    // rule U11 (ASSUMED wording)
    return Status::InvalidInput("Deleting the certificate " + storeName + "/" + file +
                                " is not allowed: only trust certificates can be deleted; system identity "
                                "certificates can be regenerated.")
        .WithRule("U11");
  }
  const TrustStoreSpec* store = FindTrustStore(storeName);
  if (!store) return Status::NotFound("Invalid unit " + storeName);
  std::string name = file.ends_with(".pem") ? file : file + ".pem";
  if (name.find('/') != std::string::npos || name.starts_with("."))
    return Status::InvalidInput("Invalid file name " + file);
  auto chain = ReadChain(dir_ / "trust" / storeName / name);
  if (!chain.ok()) return Status::NotFound("Certificate " + storeName + "/" + name + " not found.");
  std::string der = chain->front().ToDer();
  std::vector<fs::path> targets{dir_};
  if (store->deletion == catalogue::Scope::kCluster) {  // rule U10: deleted on every server
    for (const auto& m : ClusterMembers())
      if (m.address != config_.address) targets.push_back(m.dir);
  }
  for (const auto& target : targets) {
    fs::path storeDir = target / "trust" / storeName;
    for (const auto& f : ListDir(storeDir)) {
      if (!f.ends_with(".pem")) continue;
      auto c = ReadChain(storeDir / f);
      if (c.ok() && c->front().ToDer() == der) {
        std::error_code ec;
        fs::remove(storeDir / f, ec);
        fs::remove(storeDir / (f.substr(0, f.size() - 4) + ".desc"), ec);
      }
    }
  }
  return Status::Ok();
}

std::vector<TrustEntry> Appliance::TrustEntries(const std::string& store) const {
  std::vector<TrustEntry> out;
  fs::path storeDir = dir_ / "trust" / store;
  for (const auto& f : ListDir(storeDir)) {
    if (!f.ends_with(".pem")) continue;
    auto chain = ReadChain(storeDir / f);
    if (!chain.ok()) continue;
    auto desc = ReadText(storeDir / (f.substr(0, f.size() - 4) + ".desc"));
    std::string d = desc ? *desc : "Trust Certificate";
    while (!d.empty() && (d.back() == '\n' || d.back() == '\r')) d.pop_back();
    out.push_back(TrustEntry{store, f, d, chain->front()});
  }
  return out;
}

std::vector<TrustEntry> Appliance::AllTrustEntries() const {
  std::vector<TrustEntry> out;
  for (const auto* store : TrustStores()) {
    auto entries = TrustEntries(store->name);
    out.insert(out.end(), entries.begin(), entries.end());
  }
  return out;
}

std::string Appliance::ServiceState(const std::string& service) const {
  auto text = ReadText(dir_ / "services.conf");
  if (!text) return "";
  auto kv = ParseKeyValues(*text);
  auto it = kv.find(service);
  return it == kv.end() ? "" : it->second;
}

Status Appliance::SetServiceState(const std::string& service, const std::string& state) const {
  auto text = ReadText(dir_ / "services.conf");
  auto kv = ParseKeyValues(text ? *text : "");
  kv[service] = state;
  return WriteTextAtomic(dir_ / "services.conf", FormatKeyValues(kv));
}

Status Appliance::RefreshRunning(const std::string& service) const {
  for (const auto& unit : UnitsRestartedBy(service)) {
    auto pem = ReadText(dir_ / "own" / (unit + ".pem"));
    auto key = ReadText(dir_ / "own" / (unit + ".key"));
    if (!pem || !key) return Status::IoError("the installed identity of " + unit + " is unreadable");
    if (auto s = WriteIdentity(dir_ / "running", unit, *pem, *key); !s.ok()) return s;
  }
  return Status::Ok();
}

std::vector<Appliance::Member> Appliance::ClusterMembers() const {
  std::vector<Member> out;
  fs::path nodes = config_.clusterDir / "nodes";
  for (const auto& f : ListDir(nodes)) {
    if (!f.ends_with(".conf")) continue;
    auto text = ReadText(nodes / f);
    if (!text) continue;
    auto kv = ParseKeyValues(*text);
    out.push_back(Member{f.substr(0, f.size() - 5), kv["fqdn"], kv["role"], kv["node-type"], kv["dir"]});
  }
  std::stable_sort(out.begin(), out.end(), [](const Member& a, const Member& b) {
    return (a.role == "publisher") > (b.role == "publisher");
  });
  return out;
}

}  // namespace pkiform::sim
