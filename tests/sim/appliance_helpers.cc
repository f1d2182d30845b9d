#include "tests/sim/appliance_helpers.h"

#include <algorithm>

#include "reconciler/pki/certificate_file.h"
#include "reconciler/pki/signer.h"
#include "tests/sim/sim_files.h"

namespace pkiform::sim::detail {

using catalogue::KeyAlgorithm;
using catalogue::SlotSpec;

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

}  // namespace pkiform::sim::detail
