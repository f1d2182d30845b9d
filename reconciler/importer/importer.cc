// Building a Cluster from one peer's observation (importer.h).
#include "reconciler/importer/importer.h"

#include <algorithm>
#include <cctype>

#include "reconciler/catalogue/catalogue.h"
#include "reconciler/pki/certificate.h"
#include "reconciler/pki/certificate_file.h"
#include "reconciler/planner/policies.h"
#include "reconciler/planner/slot_input.h"
#include "reconciler/util/excerpt.h"

namespace pkiform::importer {
namespace {

constexpr std::chrono::seconds kDay{86400}, kHour{3600};

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// DNS names compare without case, as the planner compares them (policies.h).
bool SameName(const std::string& a, const std::string& b) { return Lower(a) == Lower(b); }

bool HasName(const std::vector<std::string>& names, const std::string& name) {
  return std::any_of(names.begin(), names.end(), [&](const std::string& n) { return SameName(n, name); });
}

Duration Make(std::chrono::seconds length, const std::string& text) {
  Duration d;
  d.length = length;
  d.text = text;
  return d;
}

// The manifest's key for the certificate's key, or why there is none.
std::string KeyOf(const pki::KeySpec& key, KeySpecModel& out) {
  out.location = "appliance";  // the key is on the host, where the service reads it
  if (key.algorithm == pki::KeySpec::kRsa) {
    if (key.bits < 2048) return "its key is RSA " + std::to_string(key.bits) + ", below the 2048 bits a manifest allows";
    out.algorithm = "rsa";
    out.size = key.bits;
    return "";
  }
  if (key.algorithm == pki::KeySpec::kEcdsa && (key.curve == "P-256" || key.curve == "P-384" || key.curve == "P-521")) {
    out.algorithm = "ecdsa";
    out.curve = key.curve;
    return "";
  }
  return "its key is " + Excerpt(key.ToString()) + ", which a manifest cannot ask for (rsa, or ecdsa P-256/P-384/P-521)";
}

const catalogue::PlatformCatalogue* PlatformOf(const Cluster& cluster) {
  const auto& catalogue = catalogue::BuiltinCatalogue();
  return catalogue.ok() ? catalogue->Find(cluster.platform) : nullptr;
}

// Why the platform's catalogue refuses the key for this slot (validate would), or "".
std::string KeyRefused(const Cluster& cluster, const std::string& slot_name, const KeySpecModel& key) {
  const catalogue::PlatformCatalogue* platform = PlatformOf(cluster);
  if (!platform) return "";  // PlanReason says so
  const catalogue::KeyAlgorithm algorithm = key.algorithm == "rsa" ? catalogue::KeyAlgorithm::kRsa : catalogue::KeyAlgorithm::kEc;
  const catalogue::SlotSpec* slot = platform->FindSlot(slot_name);
  if (slot && slot->key_algorithm && *slot->key_algorithm != algorithm)
    return "its key is " + key.algorithm + ", which slot " + slot_name + " does not take on " + cluster.platform;
  const catalogue::KeyAlgorithmLimits* limits = platform->limits.For(algorithm);
  if (!limits) return "its key is " + key.algorithm + ", which " + cluster.platform + " does not take";
  if (algorithm == catalogue::KeyAlgorithm::kRsa) {
    const bool listed = limits->sizes.empty() || std::count(limits->sizes.begin(), limits->sizes.end(), key.size);
    if (!listed || key.size < limits->min_bits)
      return "its key is RSA " + std::to_string(key.size) + ", a size " + cluster.platform + " does not take";
  } else if (!limits->curves.empty() && !std::count(limits->curves.begin(), limits->curves.end(), key.curve)) {
    return "its key is on curve " + key.curve + ", which " + cluster.platform + " does not take";
  }
  return "";
}

std::string Describe(const pki::Certificate& c) {
  return "serial " + Excerpt(c.SerialHex(), 48) + ", issued by '" + Excerpt(c.Issuer().ToString()) + "', valid " +
         pki::FormatDate(c.NotBefore()) + " to " + pki::FormatDate(c.NotAfter());
}

std::string FilesText(const IdentitySlot& slot) {
  if (!slot.files) return "";
  std::string out = slot.files->certificate;
  if (!slot.files->private_key.empty()) out += " (key " + slot.files->private_key + ")";
  return out;
}

// One identity slot from the certificate installed in it; its problem when it cannot be written.
std::string ImportSlot(const IdentitySlot& probe, const Cluster& cluster, const ObservedSlot* observed,
                       const std::vector<KnownIssuer>& issuers, IdentitySlot& out, std::string& origin) {
  if (!observed || !observed->certificate_pem) return "no certificate is installed in it; there is nothing to import";
  auto cert = pki::Certificate::FromPem(*observed->certificate_pem);
  if (!cert.ok()) return "its certificate cannot be read: " + cert.status().message();
  out = probe;
  out.fields.clear();
  origin = FilesText(probe);
  origin += (origin.empty() ? "" : ": ") + Describe(*cert);

  const IssuerMatch match = MatchIssuer(*cert, issuers);
  if (match.issuer.empty()) return match.problem;
  out.issuer = match.issuer;
  if (!match.also.empty()) {
    std::string also;
    for (const auto& a : match.also) also += (also.empty() ? "" : ", ") + a;
    origin += "; Issuers " + also + " hold the same CA";
  }

  const pki::DistinguishedName subject = cert->Subject();
  if (!subject.country.empty() && subject.country.size() != 2)
    return "its subject's country '" + Excerpt(subject.country) + "' is not two letters";
  const NameSplit names = SplitNames(subject.commonName, cert->DnsNames(), cert->IpAddresses(),
                                     cluster.peers.front().fqdn, cluster.fqdn);
  if (!names.problem.empty()) return names.problem;
  out.subject.common_name = names.common_name;
  out.subject.organization = subject.organization;
  out.subject.organizational_unit = subject.organizationalUnit;
  out.subject.locality = subject.locality;
  out.subject.state = subject.state;
  out.subject.country = subject.country;
  out.sans = "per-peer";
  out.extra_dns_names = names.extra_dns_names;
  out.ip_addresses = names.ip_addresses;

  if (std::string why = KeyOf(cert->Key(), out.key); !why.empty()) return why;
  if (std::string why = KeyRefused(cluster, out.slot, out.key); !why.empty()) return why;
  const auto validity = std::chrono::duration_cast<std::chrono::seconds>(cert->NotAfter() - cert->NotBefore());
  if (validity < kHour) return "it is valid for less than an hour";
  out.duration = RoundedDuration(validity);
  out.renew_before = RenewBeforeFor(out.duration);
  return "";
}

// Why `plan` would still change the slot (the planner's own policies), if it would.
std::optional<std::string> PlanReason(const Cluster& cluster, const IdentitySlot& slot, const ObservedSlot& observed,
                                      const std::vector<KnownIssuer>& issuers, pki::TimePoint now) {
  const catalogue::PlatformCatalogue* platform = PlatformOf(cluster);
  if (!platform) return "the platform catalogue has no platform " + cluster.platform;
  const auto known = std::find_if(issuers.begin(), issuers.end(), [&](const KnownIssuer& k) { return k.name == slot.issuer; });
  if (known == issuers.end()) return "issuer " + slot.issuer + " is not in the repository";
  Issuer issuer;
  issuer.name = known->name;
  issuer.kind = known->kind;
  auto in = planner::MakeSlotInput(cluster, cluster.peers.front(), slot, issuer, *platform, known->certificates,
                                   &observed, now);
  if (!in.ok()) return in.status().message();
  return planner::FirstReason(*in);
}

// The certificates of one trust store that a manifest can list: CA certificates
// that parse and have not expired (validate refuses an expired one).
std::vector<pki::Certificate> TrustCertificates(const ObservedTrustStore& store, pki::TimePoint now,
                                                std::vector<NotExpressed>& left_out) {
  std::vector<pki::Certificate> out;
  for (const auto& pem : store.certificate_pems) {
    auto certs = pki::ParseCertificates(pem);
    if (!certs.ok()) {
      left_out.push_back({"trust store " + store.store + ": an entry", "it cannot be read: " + certs.status().message()});
      continue;
    }
    for (auto& c : *certs) {
      if (now > c.NotAfter()) {
        left_out.push_back({"trust store " + store.store + ": '" + Excerpt(c.Subject().ToString()) + "'",
                            "it expired on " + pki::FormatDate(c.NotAfter()) + " (validate refuses an expired CA)"});
        continue;
      }
      out.push_back(std::move(c));
    }
  }
  return out;
}

}  // namespace

NameSplit SplitNames(const std::string& cn, const std::vector<std::string>& dns_names,
                     const std::vector<std::string>& ip_addresses, const std::string& peer_fqdn,
                     const std::string& cluster_fqdn) {
  NameSplit split;
  if (cn.empty()) {
    split.problem = "its subject has no CN, and a manifest's certificate always has one";
    return split;
  }
  if (!HasName(dns_names, peer_fqdn)) {
    split.problem = "its DNS names do not include the peer's FQDN " + Excerpt(peer_fqdn) +
                    ", which a manifest's certificate always carries";
    return split;
  }
  if (!cluster_fqdn.empty() && !HasName(dns_names, cluster_fqdn)) {
    split.problem = "its DNS names do not include the cluster FQDN " + Excerpt(cluster_fqdn) + " (--cluster-fqdn)";
    return split;
  }
  if (!HasName(dns_names, cn)) {
    split.problem = "its CN '" + Excerpt(cn) + "' is not among its DNS names, where a manifest always puts it";
    return split;
  }
  // The subject's CN is compared exactly, so only an identical CN is the default.
  if (cn != peer_fqdn) split.common_name = cn;
  for (const auto& n : dns_names) {
    if (SameName(n, cn) || SameName(n, peer_fqdn) || (!cluster_fqdn.empty() && SameName(n, cluster_fqdn)) ||
        HasName(split.extra_dns_names, n))
      continue;
    split.extra_dns_names.push_back(n);
  }
  for (const auto& ip : ip_addresses)
    if (std::find(split.ip_addresses.begin(), split.ip_addresses.end(), ip) == split.ip_addresses.end())
      split.ip_addresses.push_back(ip);
  return split;
}

Duration RoundedDuration(std::chrono::seconds validity) {
  if (validity >= kDay) {
    const long long days = (validity.count() + kDay.count() / 2) / kDay.count();
    return Make(kDay * days, std::to_string(days) + "d");
  }
  const long long hours = std::max<long long>(1, (validity.count() + kHour.count() / 2) / kHour.count());
  return Make(kHour * hours, std::to_string(hours) + "h");
}

Duration RenewBeforeFor(const Duration& duration) {
  const auto third = duration.length / 3;  // whole units, never past the third
  if (third >= kDay) {
    const long long days = third / kDay;
    return Make(kDay * days, std::to_string(days) + "d");
  }
  const long long hours = std::max<long long>(1, third / kHour);
  return Make(kHour * hours, std::to_string(hours) + "h");
}

void AdoptNode(const Actual& actual, Cluster& probe, std::vector<NotExpressed>& left_out) {
  if (!actual.node || probe.peers.size() != 1) return;
  const ObservedNode& node = *actual.node;
  probe.peers.front().role = node.role;
  probe.product = node.node_type == "imAndPresence" ? "im-and-presence" : "unified-cm";
  probe.platform_version = node.release;
  if (node.release.empty())
    left_out.push_back({"platformVersion", "the node runs build " + Excerpt(node.build, 64) +
                                               ", which is not in pkiform's table of releases; write it by hand"});
  const catalogue::PlatformCatalogue* platform = PlatformOf(probe);
  if (!platform) return;
  auto carries = [&](const std::vector<std::string>& types) {
    return types.empty() || std::count(types.begin(), types.end(), node.node_type) > 0;
  };
  std::erase_if(probe.identity, [&](const IdentitySlot& s) {
    const catalogue::SlotSpec* spec = platform->FindSlot(s.slot);
    return spec && !carries(spec->node_types);
  });
  std::erase_if(probe.trust, [&](const TrustStore& t) {
    const catalogue::TrustStoreSpec* spec = platform->FindTrustStore(t.store);
    return spec && !carries(spec->node_types);
  });
}

Imported ImportCluster(const Cluster& given, const Actual& actual, const std::vector<KnownIssuer>& issuers,
                       const std::string& trust_prefix, pki::TimePoint now) {
  Imported result;
  Cluster probe = given;
  AdoptNode(actual, probe, result.not_expressed);
  result.cluster = probe;
  result.cluster.identity.clear();
  result.cluster.trust.clear();
  if (probe.peers.size() != 1) {
    result.not_expressed.push_back({"cluster " + probe.name, "import reads exactly one peer"});
    return result;
  }
  for (const auto& slot : probe.identity) {
    IdentitySlot out;
    std::string origin;
    const ObservedSlot* observed = actual.FindSlot(slot.slot);
    if (std::string why = ImportSlot(slot, probe, observed, issuers, out, origin); !why.empty()) {
      result.not_expressed.push_back({"identity slot " + slot.slot + (origin.empty() ? "" : " (" + origin + ")"), why});
      continue;
    }
    result.cluster.identity.push_back(out);
    result.origins.emplace_back("identity slot " + slot.slot, origin);
  }
  int n = 0;
  for (const auto& store : probe.trust) {
    const ObservedTrustStore* observed = actual.FindTrustStore(store.store);
    if (!observed || observed->certificate_pems.empty()) {
      result.not_expressed.push_back({"trust store " + store.store, "it is absent or empty on the host"});
      continue;
    }
    std::vector<pki::Certificate> certs = TrustCertificates(*observed, now, result.not_expressed);
    if (certs.empty()) continue;
    TrustFile file{store.store, trust_prefix + ".trust" + std::to_string(++n) + ".pem", ""};
    for (const auto& c : certs) file.pem += c.ToPem();
    TrustStore out = store;
    out.fields.clear();
    out.certificates = {FileRef{file.file, file.file, {}}};
    result.cluster.trust.push_back(out);
    result.origins.emplace_back("trust store " + store.store, std::to_string(certs.size()) +
                                                 (certs.size() == 1 ? " certificate" : " certificates") + " -> " +
                                                 file.file);
    result.trust_files.push_back(std::move(file));
  }
  // The planner's own judgement of what was written: what it would still change is said, not hidden.
  for (const auto& slot : result.cluster.identity)
    if (const ObservedSlot* observed = actual.FindSlot(slot.slot))
      if (auto reason = PlanReason(result.cluster, slot, *observed, issuers, now))
        result.notes.push_back("identity slot " + slot.slot + ": plan will replace it: " + *reason);
  return result;
}

}  // namespace pkiform::importer
