// Building a SlotInput (slot_input.h).
#include "reconciler/planner/slot_input.h"

#include "reconciler/manifest/certificate_names.h"
#include "reconciler/pki/presented_chain.h"
#include "reconciler/planner/cluster_facts.h"

namespace pkiform::planner {
namespace {

using catalogue::KeyAlgorithm;

// openssh slots come from a template: a TLS server's usual usages.
void TemplateUsage(KeyAlgorithm algorithm, SlotInput& in) {
  in.expected_key_usage = {"digitalSignature"};
  if (algorithm == KeyAlgorithm::kRsa) in.expected_key_usage.push_back("keyEncipherment");
  in.expected_extended_key_usage = {"serverAuth"};
}

}  // namespace

Result<pki::KeySpec> ExpectedKey(const KeySpecModel& key) {
  if (key.algorithm == "rsa") return pki::KeySpec::Rsa(key.size);
  if (key.algorithm == "ecdsa") return pki::KeySpec::Ecdsa(key.curve);
  return Status::InvalidInput("unknown key algorithm '" + key.algorithm + "'");
}

Result<SlotInput> MakeSlotInput(const Cluster& cluster, const Peer& peer, const IdentitySlot& slot,
                                const Issuer& issuer, const catalogue::PlatformCatalogue& platform,
                                const std::vector<pki::Certificate>& issuer_certificates,
                                const ObservedSlot* observed, pki::TimePoint now) {
  const std::string where = cluster.name + "/" + peer.fqdn + "/identity/" + slot.slot;
  const catalogue::SlotSpec* spec = platform.FindSlot(slot.slot);
  if (!spec) return Status::InvalidInput(where + ": '" + slot.slot + "' is not a slot of platform " + platform.name);
  auto key = ExpectedKey(slot.key);
  if (!key.ok()) return key.status().WithContext(where);

  SlotInput in;
  in.cluster = cluster.name;
  in.peer = peer.fqdn;
  in.slot = slot.slot;
  in.expected_subject.commonName = CommonName(cluster, slot, peer);
  in.expected_subject.organization = slot.subject.organization;
  in.expected_subject.organizationalUnit = slot.subject.organizational_unit;
  in.expected_subject.locality = slot.subject.locality;
  in.expected_subject.state = slot.subject.state;
  in.expected_subject.country = slot.subject.country;
  in.expected_dns_names = CertificateNames(cluster, slot, peer);
  in.expected_ip_addresses = slot.ip_addresses;
  in.expected_key = *key;
  const KeyAlgorithm algorithm = slot.key.algorithm == "rsa" ? KeyAlgorithm::kRsa : KeyAlgorithm::kEc;
  const std::string node_type = FactsOf(platform, cluster).node_type;
  if (const catalogue::UsageSpec* row = spec->UsageFor(node_type, algorithm)) {
    for (auto u : row->key_usage) in.expected_key_usage.emplace_back(catalogue::Name(u));
    for (auto u : row->extended_key_usage) in.expected_extended_key_usage.emplace_back(catalogue::Name(u));
  } else if (platform.slot_template && spec == &*platform.slot_template) {
    TemplateUsage(algorithm, in);
  }
  in.duration = slot.duration;
  in.renew_before = slot.renew_before;

  in.issuer_name = issuer.name;
  in.issuer_kind = issuer.kind;
  if (issuer.kind != Issuer::Kind::kSelfSigned) in.issuer_certificates = issuer_certificates;
  switch (spec->chain_delivery) {
    case catalogue::ChainDelivery::kFiles: in.expected_chain = pki::WithoutRoots(in.issuer_certificates); break;
    case catalogue::ChainDelivery::kWithIdentity: in.expected_chain = in.issuer_certificates; break;
    case catalogue::ChainDelivery::kTrustStoreFirst: break;
  }
  in.key_readable = slot.files && !slot.files->private_key.empty();

  if (observed) in.observed = *observed;
  in.observed.slot = slot.slot;
  if (in.observed.certificate_pem) {
    auto parsed = pki::Certificate::FromPem(*in.observed.certificate_pem);
    if (parsed.ok()) in.certificate = std::move(parsed).value();
    else in.certificate_error = parsed.status().message();
  }
  for (const auto& pem : in.observed.chain_pems)
    if (auto c = pki::Certificate::FromPem(pem); c.ok()) in.chain.push_back(std::move(c).value());
  in.now = now;
  return in;
}

}  // namespace pkiform::planner
