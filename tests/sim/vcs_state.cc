#include "tests/sim/vcs_state.h"

#include <chrono>
#include <ctime>

#include "reconciler/pki/key.h"
#include "reconciler/pki/signer.h"
#include "tests/sim/faults.h"
#include "tests/sim/sim_files.h"
#include "tests/sim/vcs_settings.h"

namespace pkiform::sim {
namespace {

long long NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

pki::TimePoint Now() { return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()); }

Status WriteKey(const fs::path& path, const std::string& pem) { return WriteTextAtomic(path, pem, fs::perms(0600)); }

// The V17 factory identity: a temporary CA (ASSUMED subject form) and a server
// certificate it issued for the peer FQDN, EKU serverAuth and clientAuth.
Status WriteFactory(const fs::path& factory, const VcsConfig& c) {
  auto caKey = pki::PrivateKey::Generate(pki::KeySpec::Rsa(2048));
  auto serverKey = pki::PrivateKey::Generate(pki::KeySpec::Rsa(2048));
  if (!caKey.ok()) return caKey.status();
  if (!serverKey.ok()) return serverKey.status();
  auto uuid = pki::RandomSerialHex();
  if (!uuid.ok()) return uuid.status();
  std::string u = *uuid;
  for (char& ch : u) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  u = u.substr(0, 8) + "-" + u.substr(8, 4) + "-" + u.substr(12, 4) + "-" + u.substr(16, 4) + "-" + u.substr(20, 12);
  pki::SigningPolicy ca;
  ca.subject.commonName = ca.subject.organization = ca.subject.organizationalUnit = "Temporary CA " + u;
  ca.keyUsage = {"keyCertSign", "cRLSign"};
  ca.isCa = true;
  ca.notBefore = Now() - std::chrono::hours(1);
  ca.validity = std::chrono::hours(24 * 365 * 2);
  auto caCert = pki::SelfSign(*caKey, ca);
  if (!caCert.ok()) return caCert.status();
  pki::SigningPolicy leaf;
  leaf.subject.commonName = c.fqdn;
  leaf.dnsNames = {c.fqdn};
  leaf.extendedKeyUsage = {"serverAuth", "clientAuth"};
  leaf.notBefore = ca.notBefore;
  leaf.validity = ca.validity;
  auto server = pki::SignPublicKey(serverKey->get(), *caCert, *caKey, leaf);
  if (!server.ok()) return server.status();
  auto keyPem = serverKey->ToPem();
  if (!keyPem.ok()) return keyPem.status();
  if (auto s = WriteTextAtomic(factory / "server.pem", server->ToPem()); !s.ok()) return s;
  if (auto s = WriteKey(factory / "privkey.pem", keyPem->str()); !s.ok()) return s;
  return WriteTextAtomic(factory / "ca.pem", caCert->ToPem());
}

Status CopyFile(const fs::path& from, const fs::path& to, fs::perms mode) {
  auto text = ReadText(from);
  if (!text) return Status::IoError("cannot read " + from.string());
  return WriteTextAtomic(to, *text, mode);
}

}  // namespace

bool VcsAppliance::IsVcs(const fs::path& dir) {
  auto text = ReadText(dir / "sim.conf");
  return text && ParseKeyValues(*text)["platform"] == "vcs";
}

Result<VcsAppliance> VcsAppliance::Open(const fs::path& dir) {
  auto text = ReadText(dir / "sim.conf");
  if (!text) return Status::NotFound("no simulated appliance in " + dir.string() + " (no sim.conf)");
  auto kv = ParseKeyValues(*text);
  if (kv["platform"] != "vcs")
    return Status::Unsupported(dir.string() + ": platform '" + kv["platform"] + "' is not vcs");
  VcsConfig c;
  c.fqdn = kv["fqdn"];
  c.address = kv["address"];
  c.clusterFqdn = kv["cluster-fqdn"];
  c.release = kv["release"];
  c.restartMs = ToInt(kv["restart-ms"], 0);
  c.rootUser = kv["root-user"].empty() ? "root" : kv["root-user"];
  c.httpsPort = ToInt(kv["https-port"], 443);
  c.sipTlsPort = ToInt(kv["sip-tls-port"], 5061);
  c.mraPort = ToInt(kv["mra-port"], 8443);
  return VcsAppliance(dir, c);
}

Status VcsAppliance::Init(const fs::path& dir, const VcsConfig& in) {
  std::error_code ec;
  fs::create_directories(dir / "certs", ec);
  if (ec) return Status::IoError("cannot create " + dir.string() + ": " + ec.message());
  std::map<std::string, std::string> kv{{"platform", "vcs"},
                                        {"fqdn", in.fqdn},
                                        {"address", in.address},
                                        {"cluster-fqdn", in.clusterFqdn},
                                        {"release", in.release},
                                        {"restart-ms", std::to_string(in.restartMs)},
                                        {"root-user", in.rootUser},
                                        {"https-port", std::to_string(in.httpsPort)},
                                        {"sip-tls-port", std::to_string(in.sipTlsPort)},
                                        {"mra-port", std::to_string(in.mraPort)}};
  if (auto s = WriteTextAtomic(dir / "sim.conf", FormatKeyValues(kv)); !s.ok()) return s;
  if (auto s = WriteFactory(dir / "factory", in); !s.ok()) return s.WithContext("factory state");
  for (const char* f : {"server.pem", "ca.pem"})
    if (auto s = CopyFile(dir / "factory" / f, dir / "certs" / f, fs::perms(0644)); !s.ok()) return s;
  if (auto s = CopyFile(dir / "factory" / "privkey.pem", dir / "certs" / "privkey.pem", fs::perms(0600)); !s.ok())
    return s;
  if (auto s = CopyFile(dir / "factory" / "server.pem", dir / "active" / "server.pem", fs::perms(0644)); !s.ok())
    return s;
  if (auto s = CopyFile(dir / "factory" / "privkey.pem", dir / "active" / "privkey.pem", fs::perms(0600)); !s.ok())
    return s;
  std::map<std::string, std::string> settings{{"Alternates ClusterName", in.clusterFqdn}};
  for (size_t i = 0; i < in.peers.size() && i < 6; ++i)
    settings["Alternates Peer " + std::to_string(i + 1) + " Address"] = in.peers[i];
  if (auto s = InitVcsSettings(dir, settings); !s.ok()) return s;
  return WriteTextAtomic(dir / "boot.conf", "generation=1\ndown-until-ms=0\nfailing=0\n");
}

std::map<std::string, std::string> VcsAppliance::LoadBoot() const {
  auto text = ReadText(dir_ / "boot.conf");
  return text ? ParseKeyValues(*text) : std::map<std::string, std::string>{};
}

int VcsAppliance::Generation() const { return ToInt(LoadBoot()["generation"], 0); }

bool VcsAppliance::IsUp() const {
  auto boot = LoadBoot();
  long long downUntil = 0;
  try {
    downUntil = std::stoll(boot["down-until-ms"]);
  } catch (...) {
  }
  if (NowMs() < downUntil) return false;
  // fault: a restart that never comes back stays down while the fault is set.
  return !(boot["failing"] == "1" && !LoadFaults(dir_).failRestart.empty());
}

Status VcsAppliance::Restart() const {
  FileLock lock(LockPath());
  // Rule V7: what is installed now is what the services run with when they come back.
  if (auto s = CopyFile(CertsDir() / "server.pem", dir_ / "active" / "server.pem", fs::perms(0644)); !s.ok()) return s;
  if (auto s = CopyFile(CertsDir() / "privkey.pem", dir_ / "active" / "privkey.pem", fs::perms(0600)); !s.ok())
    return s;
  std::error_code ec;
  fs::remove_all(StagingDir(), ec);  // /tmp does not survive a restart
  std::map<std::string, std::string> boot{{"generation", std::to_string(Generation() + 1)},
                                          {"down-until-ms", std::to_string(NowMs() + config_.restartMs)},
                                          {"failing", LoadFaults(dir_).failRestart.empty() ? "0" : "1"}};
  return WriteTextAtomic(dir_ / "boot.conf", FormatKeyValues(boot));
}

std::optional<std::string> VcsAppliance::ActiveCertificatePem() const {
  return ReadText(dir_ / "active" / "server.pem");
}
std::optional<std::string> VcsAppliance::ActiveKeyPem() const { return ReadText(dir_ / "active" / "privkey.pem"); }

std::optional<fs::path> VcsHostPath(const VcsAppliance& a, const std::string& appliancePath) {
  fs::path p = fs::path(appliancePath).lexically_normal();
  const std::pair<fs::path, fs::path> roots[] = {{"/tandberg/persistent/certs", a.CertsDir()},
                                                 {"/tmp/pkiform", a.StagingDir()}};
  for (const auto& [root, host] : roots) {
    fs::path rel = p.lexically_relative(root);
    if (rel.empty() || *rel.begin() == "..") continue;
    return rel == "." ? host : host / rel;
  }
  return std::nullopt;
}

std::string VcsDate(pki::TimePoint t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%b %d %Y", &tm);
  return buf;
}

}  // namespace pkiform::sim
