#include "reconciler/plan/actual.h"

#include "reconciler/pki/digest.h"

namespace pkiform {

const ObservedSlot* Actual::FindSlot(const std::string& name) const {
  for (const auto& s : slots)
    if (s.slot == name) return &s;
  return nullptr;
}

const ObservedTrustStore* Actual::FindTrustStore(const std::string& name) const {
  for (const auto& t : trust)
    if (t.store == name) return &t;
  return nullptr;
}

const ObservedCrl* Actual::FindCrl(const std::string& location) const {
  for (const auto& c : crls)
    if (c.location == location) return &c;
  return nullptr;
}

std::string Actual::Digest() const { return Digest({}); }

std::string Actual::StoresDigest(const std::vector<std::string>& stores) const {
  if (stores.empty()) return "";
  std::string canon;
  auto field = [&](const std::string& s) { canon += std::to_string(s.size()) + ":" + s + ";"; };
  for (const auto& name : stores) {
    field("store");
    field(name);
    const ObservedTrustStore* t = FindTrustStore(name);
    field(t ? "+" : "-");
    if (t)
      for (const auto& c : t->certificate_pems) field(c);
  }
  return pki::Sha256Hex(canon);
}

std::string Actual::Digest(const std::vector<std::string>& excluded) const {
  // Length-prefixed fields: no two different observations serialise alike.
  std::string canon;
  auto field = [&](const std::string& s) { canon += std::to_string(s.size()) + ":" + s + ";"; };
  field(cluster);
  field(peer);
  if (node) {  // only then, so that openssh digests stay as they were; an upgrade makes a plan stale
    field("node");
    field(node->role);
    field(node->node_type);
    field(node->build);
  }
  for (const auto& s : slots) {
    field("slot");
    field(s.slot);
    field(s.certificate_pem.value_or("-"));
    for (const auto& c : s.chain_pems) field(c);
    field(s.key_public_digest);
    field(s.pending_csr_pem.value_or("-"));
    if (!s.missing_files.empty()) {  // only then, so that digests of complete slots stay as they were
      field("missing");
      for (const auto& f : s.missing_files) field(f);
    }
    if (!s.leftover_backups.empty()) {  // likewise: a slot without leftovers keeps its digest
      field("leftover");
      for (const auto& f : s.leftover_backups) field(f);
    }
  }
  for (const auto& t : trust) {
    if (std::find(excluded.begin(), excluded.end(), t.store) != excluded.end()) continue;
    field("trust");
    field(t.store);
    for (const auto& c : t.certificate_pems) field(c);
  }
  for (const auto& [name, value] : settings) {  // none on openssh: its digests stay as they were
    field("setting");
    field(name);
    field(value);
  }
  for (const auto& c : crls) {
    field("crl");
    field(c.location);
    field(c.pem ? "+" + *c.pem : "-");  // a file holding "-" is not an absent one
  }
  return pki::Sha256Hex(canon);
}

}  // namespace pkiform
