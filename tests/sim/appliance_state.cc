#include "tests/sim/appliance_state.h"

#include <algorithm>
#include <chrono>

#include "reconciler/pki/certificate_file.h"
#include "reconciler/pki/signer.h"
#include "tests/sim/appliance_helpers.h"
#include "tests/sim/sim_files.h"

namespace pkiform::sim {

using catalogue::KeyAlgorithm;
using catalogue::SlotSpec;
using catalogue::TrustStoreSpec;
using detail::ChainPem;
using detail::Contains;
using detail::DefaultKeyOf;
using detail::NodeNames;
using detail::ReadChain;
using detail::SelfSignedCommonName;
using detail::SubjectFrom;
using detail::UsageOf;


std::string VersionOfRelease(const std::string& release) {
  if (release == "14") return "14.0.1.10000-20";
  if (release == "14SU1") return "14.0.1.11900-132";
  if (release == "14SU2") return "14.0.1.12900-161";
  if (release == "14SU3") return "14.0.1.13900-155";
  return "";
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
  c.cupSipTlsPort = ToInt(kv["cup-sip-tls-port"], 5062);
  c.xmppClientPort = ToInt(kv["xmpp-client-port"], 5222);
  c.xmppServerPort = ToInt(kv["xmpp-server-port"], 5269);
  c.restartMs = ToInt(kv["restart-ms"], 0);
  c.startupMs = ToInt(kv["startup-ms"], 0);
  c.commandMs = ToInt(kv["command-ms"], 0);
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
                                        {"cup-sip-tls-port", std::to_string(in.cupSipTlsPort)},
                                        {"xmpp-client-port", std::to_string(in.xmppClientPort)},
                                        {"xmpp-server-port", std::to_string(in.xmppServerPort)},
                                        {"restart-ms", std::to_string(in.restartMs)},
                                        {"startup-ms", std::to_string(in.startupMs)},
                                        {"command-ms", std::to_string(in.commandMs)}};
  if (auto s = WriteTextAtomic(dir / "sim.conf", FormatKeyValues(kv)); !s.ok()) return s;
  auto opened = Appliance::Open(dir);
  if (!opened.ok()) return opened.status();
  Appliance& a = *opened;
  // The country is chosen at installation and fixed afterwards (set web-security keeps it).
  WebSecurity installed;
  if (!in.country.empty()) installed.country = in.country;
  if (auto s = a.SaveWebSecurity(installed); !s.ok()) return s;

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
  // Existing replicated entries of the other members of its product (rule U10).
  for (const auto& m : a.ReplicationMembers()) {
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
  // The Unified CM publisher first, then its subscribers, then the IM and Presence
  // database publisher and its subscribers (ASSUMED order).
  auto rank = [](const Member& m) { return (m.nodeType == "imAndPresence" ? 2 : 0) + (m.role == "publisher" ? 0 : 1); };
  std::stable_sort(out.begin(), out.end(), [&](const Member& a, const Member& b) { return rank(a) < rank(b); });
  return out;
}

std::vector<Appliance::Member> Appliance::ReplicationMembers() const {
  std::vector<Member> out;
  for (auto& m : ClusterMembers())
    if (m.nodeType == config_.nodeType) out.push_back(std::move(m));
  return out;
}

}  // namespace pkiform::sim
