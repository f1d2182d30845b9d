// Checks against the platform catalogue (schema/platforms/*.yaml): slot and
// trust store names (U1), multi-server certificates (U3, U15, V5), key
// algorithms and sizes (U5, U12, V14) and the issuing CA's signature (U5).
#include <algorithm>

#include "reconciler/planner/cluster_facts.h"
#include "reconciler/rules/check_util.h"
#include "reconciler/util/spelling.h"

namespace pkiform {
namespace {

using catalogue::KeyAlgorithm;

std::vector<std::string> SlotNames(const catalogue::PlatformCatalogue& p) {
  std::vector<std::string> names;
  for (const auto& s : p.slots) names.push_back(s.name);
  return names;
}

std::vector<std::string> StoreNames(const catalogue::PlatformCatalogue& p) {
  std::vector<std::string> names;
  for (const auto& s : p.trust_stores) names.push_back(s.name);
  return names;
}

std::optional<KeyAlgorithm> AlgorithmOf(const std::string& manifest_name) {
  if (manifest_name == "rsa") return KeyAlgorithm::kRsa;
  if (manifest_name == "ecdsa") return KeyAlgorithm::kEc;
  return std::nullopt;
}

std::string ManifestName(KeyAlgorithm a) { return a == KeyAlgorithm::kRsa ? "rsa" : "ecdsa"; }

std::string Ints(const std::vector<int>& v) {
  std::vector<std::string> s;
  for (int i : v) s.push_back(std::to_string(i));
  return JoinNames(s);
}

}  // namespace

void CheckSlotNames(const CheckContext& ctx, DiagnosticList& out) {
  for (const auto& c : ctx.desired().clusters) {
    const auto* p = PlatformOf(ctx, c);
    if (!p) continue;
    std::string node_type = planner::FactsOf(*p, c).node_type;
    for (const auto& s : c.identity) {
      const auto* slot = p->FindSlot(s.slot);
      if (!slot) {
        std::string msg = "unknown identity slot '" + Excerpt(s.slot) + "' for platform " + c.platform;
        if (auto m = ClosestMatch(s.slot, SlotNames(*p)); !m.empty()) msg += "; did you mean '" + m + "'?";
        else msg += "; expected one of: " + JoinNames(SlotNames(*p));
        out.Error(s.at("slot"), msg, p->rule_series == "U" ? "U1" : "platform");
        continue;
      }
      if (!node_type.empty() && !slot->node_types.empty() &&
          std::find(slot->node_types.begin(), slot->node_types.end(), node_type) == slot->node_types.end())
        out.Error(s.at("slot"), "slot '" + Excerpt(s.slot) + "' does not exist on " + p->FindNodeType(node_type)->display_name +
                                    " nodes (cluster product: " + c.product + ")", "U1");
    }
  }
}

void CheckTrustStoreNames(const CheckContext& ctx, DiagnosticList& out) {
  for (const auto& c : ctx.desired().clusters) {
    const auto* p = PlatformOf(ctx, c);
    if (!p) continue;
    for (const auto& t : c.trust) {
      if (p->FindTrustStore(t.store)) continue;
      std::string msg = "unknown trust store '" + Excerpt(t.store) + "' for platform " + c.platform;
      if (p->trust_stores.empty()) {
        out.Error(t.at("store"), c.platform + " has no trust stores: the CA chain of the issuer is installed with "
                                              "the identity certificate", "platform");
        continue;
      }
      if (auto m = ClosestMatch(t.store, StoreNames(*p)); !m.empty()) msg += "; did you mean '" + m + "'?";
      else msg += "; expected one of: " + JoinNames(StoreNames(*p));
      out.Error(t.at("store"), msg, p->rule_series == "U" ? "U1" : "platform");
    }
  }
}

void CheckMultiSan(const CheckContext& ctx, DiagnosticList& out) {
  for (const auto& c : ctx.desired().clusters) {
    const auto* p = PlatformOf(ctx, c);
    if (!p) continue;
    if (p->limits.multi_san_cli_upload_before && !c.platform_version.empty())
      if (auto r = catalogue::ParseRelease(c.platform_version); !r.ok())
        out.Error(c.at("platformVersion"), "platformVersion '" + Excerpt(c.platform_version) +
                                               "' is not a release train such as 14 or 14SU2", "platform");
    for (const auto& s : c.identity) {
      const auto* slot = p->FindSlot(s.slot);
      if (!slot || s.sans != "shared") continue;
      if (!slot->usage.empty() && !slot->MultiServerAllowed())
        out.Error(s.at("sans"), "slot '" + Excerpt(s.slot) + "' does not allow a multi-server (SAN) certificate; use sans: per-peer",
                  "U3");
      if (p->limits.multi_san_cli_upload_before && !c.platform_version.empty()) {
        auto release = catalogue::ParseRelease(c.platform_version);
        if (release.ok() && catalogue::CompareReleases(*release, *p->limits.multi_san_cli_upload_before) >= 0)
          out.Error(s.at("sans"), "from " + p->limits.multi_san_cli_upload_before->ToString() +
                                      " a multi-server certificate cannot be uploaded through the CLI, which pkiform "
                                      "uses; upload it in Cisco Unified OS Administration or use sans: per-peer",
                    "U15");
      }
      // V5: a CSR made on one peer keeps its key there; the others cannot use that certificate.
      if (p->limits.csr_on_appliance && s.key.location == "appliance" && c.peers.size() > 1 &&
          p->limits.csr_scope == catalogue::CsrScope::kAppliance)
        out.Error(s.at("sans"), "a certificate shared by " + std::to_string(c.peers.size()) +
                                    " peers cannot use a key made on one appliance: each peer's CSR has its own key; "
                                    "use sans: per-peer or key.location: generated",
                  "V5");
    }
  }
}

void CheckKeyLimits(const CheckContext& ctx, DiagnosticList& out) {
  for (const auto& c : ctx.desired().clusters) {
    const auto* p = PlatformOf(ctx, c);
    if (!p) continue;
    for (const auto& s : c.identity) {
      auto algorithm = AlgorithmOf(s.key.algorithm);
      if (!algorithm) continue;
      const auto* slot = p->FindSlot(s.slot);
      if (slot && slot->key_algorithm && *slot->key_algorithm != *algorithm)
        out.Error(s.key.at("algorithm"), "slot '" + Excerpt(s.slot) + "' takes an " + ManifestName(*slot->key_algorithm) +
                                             " key, not " + s.key.algorithm, "U5");
      const auto* limits = p->limits.For(*algorithm);
      if (!limits) {
        out.Error(s.key.at("algorithm"), c.platform + " does not support " + s.key.algorithm + " keys", "key");
        continue;
      }
      if (*algorithm == KeyAlgorithm::kRsa) {
        if (!limits->sizes.empty() &&
            std::find(limits->sizes.begin(), limits->sizes.end(), s.key.size) == limits->sizes.end())
          out.Error(s.key.at("size"), "RSA " + std::to_string(s.key.size) + " is not supported on " + c.platform +
                                          "; use one of: " + Ints(limits->sizes), "key");
        if (limits->min_bits && s.key.size < limits->min_bits)
          out.Error(s.key.at("size"), "RSA " + std::to_string(s.key.size) + " is below the minimum of " +
                                          std::to_string(limits->min_bits) + " bits", "key");
        if (limits->max_recommended_bits && s.key.size > limits->max_recommended_bits)
          out.Warning(s.key.at("size"), "RSA " + std::to_string(s.key.size) + " bits can make SIP TLS zones fail; use at most " +
                                            std::to_string(limits->max_recommended_bits), "V14");
        if (s.key.size < 2048 && !limits->min_bits)
          out.Error(s.key.at("size"), "RSA " + std::to_string(s.key.size) + " keys are too weak; use 2048 or more", "key");
        const Issuer* is = ctx.desired().FindIssuer(s.issuer);
        if (is && is->kind == Issuer::Kind::kSelfSigned && !limits->self_signed_sizes.empty() &&
            std::find(limits->self_signed_sizes.begin(), limits->self_signed_sizes.end(), s.key.size) ==
                limits->self_signed_sizes.end())
          out.Error(s.key.at("size"), "a regenerated self-signed certificate takes RSA " + Ints(limits->self_signed_sizes) +
                                          " (or keeps its current length); " + std::to_string(s.key.size) +
                                          " cannot be requested", "U12");
      } else if (!limits->curves.empty() &&
                 std::find(limits->curves.begin(), limits->curves.end(), s.key.curve) == limits->curves.end()) {
        out.Error(s.key.at("curve"), "curve " + s.key.curve + " is not supported on " + c.platform + "; use one of: " +
                                         JoinNames(limits->curves), "key");
      }
      if (s.key.algorithm == "ecdsa" && s.key.curve == "P-521")
        out.Error(s.key.at("curve"), "pkiform generates P-256 and P-384 keys only", "key");
      if (s.key.size == 1024 || s.key.size == 8192)
        if (s.key.location == "generated")
          out.Error(s.key.at("size"), "pkiform generates RSA 2048, 3072 and 4096 keys only", "key");
    }
  }
}

void CheckCaSignatureAlgorithm(const CheckContext& ctx, DiagnosticList& out) {
  for (const auto& c : ctx.desired().clusters) {
    const auto* p = PlatformOf(ctx, c);
    if (!p) continue;
    for (const auto& s : c.identity) {
      const auto* slot = p->FindSlot(s.slot);
      const Issuer* is = ctx.desired().FindIssuer(s.issuer);
      if (!slot || !slot->ca_signature || !is || is->kind != Issuer::Kind::kCa || !is->certificate) continue;
      const auto* certs = ctx.artifacts.Certificates(*is->certificate, out);
      if (!certs || certs->empty()) continue;
      bool ca_is_rsa = certs->front().Key().algorithm == pki::KeySpec::kRsa;
      bool wants_rsa = *slot->ca_signature == KeyAlgorithm::kRsa;
      if (ca_is_rsa != wants_rsa)
        out.Error(s.at("issuer"), "slot '" + Excerpt(s.slot) + "' must be signed with " + (wants_rsa ? "RSA" : "ECDSA") +
                                      " but issuer '" + Excerpt(is->name) + "' has an " +
                                      certs->front().Key().ToString() + " key",
                  "U5");
    }
  }
}

}  // namespace pkiform
