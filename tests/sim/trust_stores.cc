// Trust stores of the simulated node: adding with replication (rule U10), deleting
// cluster-wide (U10) and only trust certificates (U11), listing.
#include <set>

#include "tests/sim/appliance_helpers.h"
#include "tests/sim/appliance_state.h"
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
    for (const auto& m : ReplicationMembers()) {
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

Status Appliance::ImportTrust(const std::string& unit, const std::vector<pki::Certificate>& pasted,
                              const std::string& description) {
  std::string storeName = unit.ends_with("-trust") ? unit : unit + "-trust";
  if (!FindTrustStore(storeName)) return Status::NotFound("Invalid unit " + unit);
  if (pasted.empty()) return Status::InvalidInput("No certificate was found in the input.");
  for (const auto& cert : pasted) {
    if (auto s = AddTrust(storeName, cert, description); !s.ok()) return s;
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
    for (const auto& m : ReplicationMembers())
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

}  // namespace pkiform::sim
