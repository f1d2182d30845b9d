// The simulated node's CSR made through its platform REST API (rest_api.h): the names
// and the key come from the request instead of `set web-security` and the current key.
#include "reconciler/catalogue/usage.h"
#include "reconciler/pki/csr.h"
#include "tests/sim/appliance_helpers.h"
#include "tests/sim/appliance_state.h"
#include "tests/sim/sim_files.h"

namespace pkiform::sim {

Status Appliance::GenerateCsrWithNames(const std::string& unit, const std::string& commonName,
                                       const std::vector<std::string>& altNames, const pki::KeySpec& keySpec) {
  const catalogue::SlotSpec* slot = FindUnit(unit);
  if (!slot) return Status::NotFound("Invalid unit " + unit);
  auto key = pki::PrivateKey::Generate(keySpec);
  if (!key.ok()) return key.status();
  WebSecurity ws = LoadWebSecurity();
  pki::CsrRequest req;
  // ASSUMED: the API has no OU question; the OU is in the CSR when web-security has one.
  req.subject = detail::SubjectFrom(ws, commonName, !ws.orgUnit.empty());
  req.dnsNames.push_back(config_.fqdn);  // ASSUMED: the node always names itself, as the GUI's CSR does
  for (const auto& n : altNames)
    if (!detail::Contains(req.dnsNames, n)) req.dnsNames.push_back(n);
  if (const auto* usage = detail::UsageOf(*slot, config_.nodeType)) {
    for (auto u : usage->key_usage) req.keyUsage.insert(std::string(catalogue::Name(u)));
    for (auto u : usage->extended_key_usage) req.extendedKeyUsage.insert(std::string(catalogue::Name(u)));
  }
  auto csr = pki::Csr::Create(req, *key);
  if (!csr.ok()) return csr.status();
  auto keyPem = key->ToPem();
  if (!keyPem.ok()) return keyPem.status();
  // rule U9: the new CSR and key replace the pending ones, whichever channel made them.
  if (auto s = WriteTextAtomic(dir_ / "csr" / (unit + ".key"), keyPem->str(), fs::perms(0600)); !s.ok()) return s;
  return WriteTextAtomic(dir_ / "csr" / (unit + ".csr"), csr->ToPem());
}

}  // namespace pkiform::sim
