// Checks of settings whose consequences the seed documents describe:
// revocation sources (V10, V13, U16), lifetimes (D8, D12) and self-signed
// identities (D15).
#include <algorithm>
#include <cctype>

#include "reconciler/planner/settings_change.h"
#include "reconciler/rules/check_util.h"

namespace pkiform {
namespace {

// D12: a DMS appliance gives no notice before expiry and refuses web
// connections after it, so pkiform must renew well ahead.
constexpr auto kDmsMinimumRenewBefore = std::chrono::hours(24 * 30);

}  // namespace

void CheckRevocationSettings(const CheckContext& ctx, DiagnosticList& out) {
  for (const auto& c : ctx.desired().clusters) {
    if (!c.revocation) continue;
    if (const auto& crl = c.revocation->crl) {
      bool automatic = crl->automatic_updates.value_or(false);
      if (automatic && crl->distribution_points.empty())
        out.Error(crl->at("automaticUpdates"), "automatic CRL updates need at least one distribution point", "V10");
      if (!automatic && !crl->distribution_points.empty())
        out.Warning(crl->at("distributionPoints"), "distribution points are only read with automaticUpdates: true", "V10");
      if (automatic && crl->daily_update_time.empty())
        out.Error(crl->at("automaticUpdates"), "automatic CRL updates need dailyUpdateTime (HH:MM, UTC)", "V10");
      if (!automatic && !crl->daily_update_time.empty())
        out.Warning(crl->at("dailyUpdateTime"), "dailyUpdateTime is only used with automaticUpdates: true", "V10");
      if (c.platform == "vcs" && crl->upload.size() > 1)
        out.Error(crl->at("upload"), "a vcs keeps one uploaded CRL file: each upload replaces the previous one; "
                                     "give one file (concatenate the CRLs in it)", "V11");
    }
    if (const auto& ocsp = c.revocation->ocsp) {
      if (ocsp->enabled.value_or(false) && ocsp->responder.empty() && !ocsp->use_certificate_uri.value_or(false))
        out.Error(ocsp->at("enabled"), "OCSP is enabled without a responder: set responder or useCertificateUri: true",
                  "U16");
      else if (ocsp->use_certificate_uri && !*ocsp->use_certificate_uri && ocsp->responder.empty())
        out.Error(ocsp->at("useCertificateUri"),
                  "useCertificateUri: false asks for the configured responder, and none is given: set responder", "U16");
    }
    if (const auto& sip = c.revocation->sip_tls) {
      bool any_crl = c.revocation->crl && (!c.revocation->crl->upload.empty() ||
                                           !c.revocation->crl->distribution_points.empty());
      if (sip->enabled.value_or(false) && sip->use_crls.value_or(false) && !any_crl &&
          !sip->allow_cdp_downloads.value_or(false))
        out.Warning(sip->at("useCrls"), "SIP TLS checks CRLs but none is uploaded, none has a distribution point and "
                                        "CDP downloads are off", "V13");
      if (sip->enabled.value_or(false) && !sip->use_crls.value_or(false) && !sip->use_ocsp.value_or(false))
        out.Error(sip->at("enabled"), "SIP TLS revocation checking is enabled with neither useOcsp nor useCrls", "V13");
    }
  }
}

namespace {

// The manifest's duration a setting comes from, and the spec object holding it.
struct DurationField {
  const std::optional<Duration>* value = nullptr;
  const Located* at = nullptr;
  const char* key = "";
};

DurationField DurationOf(const Cluster& c, const std::string& from) {
  const OcspSettings* ocsp = c.revocation && c.revocation->ocsp ? &*c.revocation->ocsp : nullptr;
  if (from == "revocation.ocsp.checkInterval" && ocsp) return {&ocsp->check_interval, ocsp, "checkInterval"};
  if (c.monitor && from == "monitor.notifyBefore") return {&c.monitor->notify_before, &*c.monitor, "notifyBefore"};
  if (c.monitor && from == "monitor.frequency") return {&c.monitor->frequency, &*c.monitor, "frequency"};
  return {};
}

std::string Unit(std::chrono::seconds step) {
  if (step.count() == 86400) return "whole days";
  if (step.count() == 3600) return "whole hours";
  return "multiples of " + planner::SettingDurationText(step);
}

// An address the ucm certificate monitor takes (the node's "E-mail IDs": user@domain).
bool PlainEmail(const std::string& s) {
  const size_t at = s.find('@');
  if (s.empty() || s.size() > 254 || at == std::string::npos || at == 0 || s.find('@', at + 1) != std::string::npos)
    return false;
  const std::string domain = s.substr(at + 1);
  if (domain.find('.') == std::string::npos || domain.front() == '.' || domain.back() == '.') return false;
  return std::all_of(s.begin(), s.end(), [](unsigned char ch) {
    return std::isalnum(ch) || ch == '@' || ch == '.' || ch == '-' || ch == '_' || ch == '+';
  });
}

}  // namespace

void CheckNodeSettings(const CheckContext& ctx, DiagnosticList& out) {
  for (const auto& c : ctx.desired().clusters) {
    const auto* p = PlatformOf(ctx, c);
    if (!p) continue;
    for (const auto& spec : p->settings) {
      const std::string rules = JoinNames(spec.rules, " ");
      if (spec.from == "monitor.email" && c.monitor) {
        for (size_t i = 0; i < c.monitor->email.size(); ++i)
          if (!PlainEmail(c.monitor->email[i]))
            out.Error(c.monitor->at("email[" + std::to_string(i) + "]"),
                      "'" + Excerpt(c.monitor->email[i]) + "' is not an e-mail address the certificate monitor takes "
                      "(user@example.com)", rules);
        continue;
      }
      DurationField f = DurationOf(c, spec.from);
      if (!f.value || !*f.value || (!spec.step && !spec.min && !spec.max)) continue;
      const Duration& d = **f.value;
      std::string range = (spec.min ? planner::SettingDurationText(*spec.min) : "") + " to " +
                          (spec.max ? planner::SettingDurationText(*spec.max) : "any");
      if (spec.step && d.length % *spec.step != std::chrono::seconds(0))
        out.Error(f.at->at(f.key), spec.from + " is " + d.text + ": " + c.platform + " sets " + spec.name + " in " +
                                       Unit(*spec.step) + " (" + range + ")", rules);
      else if ((spec.min && d.length < *spec.min) || (spec.max && d.length > *spec.max))
        out.Error(f.at->at(f.key), spec.from + " is " + d.text + ": " + c.platform + " takes " + spec.name + " from " +
                                       range, rules);
    }
  }
}

void CheckLifetimes(const CheckContext& ctx, DiagnosticList& out) {
  for (const auto& c : ctx.desired().clusters) {
    const auto* p = PlatformOf(ctx, c);
    if (!p) continue;
    for (const auto& s : c.identity) {
      const Issuer* is = ctx.desired().FindIssuer(s.issuer);
      const auto& unit = p->limits.self_signed_validity_unit;
      if (is && is->kind == Issuer::Kind::kSelfSigned && unit == "months") {
        int lo = p->limits.self_signed_validity_min, hi = p->limits.self_signed_validity_max;
        if (!s.duration.whole_months || *s.duration.whole_months < lo || *s.duration.whole_months > hi)
          out.Error(s.at("duration"), "a self-signed " + c.platform + " certificate's validity is set in months, " +
                                          std::to_string(lo) + " to " + std::to_string(hi) + ": set duration, e.g. 12mo" +
                                          (s.fields.count("duration") ? ", not " + s.duration.text
                                                                      : " (the default, 365d, is not in months)"),
                    LimitRules(*p, "selfSignedValidity", "D8"));
      }
      if (c.platform == "dms" && s.renew_before.length < kDmsMinimumRenewBefore)
        out.Warning(s.at(s.fields.count("renewBefore") ? "renewBefore" : "duration"),
                    "dms gives no notice before its certificate expires and refuses web connections after; renew at "
                    "least 30d ahead (renewBefore is " + s.renew_before.text + ")", "D12");
      if (is && is->kind == Issuer::Kind::kCa && is->certificate) {
        const auto* certs = ctx.artifacts.Certificates(*is->certificate, out);
        if (certs && certs->size() == 1 && ctx.clock.Now() + s.duration.length > certs->front().NotAfter() &&
            ctx.clock.Now() < certs->front().NotAfter())
          out.Warning(s.at("duration"), "issuer '" + Excerpt(is->name) + "' expires on " + pki::FormatDate(certs->front().NotAfter()) +
                                            ", before a " + s.duration.text + " certificate would: it will be cut short",
                      "lifetime");
      }
    }
  }
}

void CheckSelfSigned(const CheckContext& ctx, DiagnosticList& out) {
  for (const auto& c : ctx.desired().clusters)
    for (const auto& s : c.identity) {
      const Issuer* is = ctx.desired().FindIssuer(s.issuer);
      if (!is || is->kind != Issuer::Kind::kSelfSigned) continue;
      if (c.platform == "dms")
        out.Warning(s.at("issuer"), "Browsers will reject this certificate: it is self-signed", "D15");
      if (c.platform == "vcs" && s.unified_communications)
        out.Warning(s.at("issuer"), "self-signed certificates do not work in Unified Communications deployments",
                    "V6");
    }
}

}  // namespace pkiform

namespace pkiform {

// An external CA answers later: the key of the request must wait somewhere, and
// pkiform keeps no private key, so it waits on the peer. What comes back is
// checked against the issuer's chain, so the chain must be given.
void CheckExternalIssuers(const CheckContext& ctx, DiagnosticList& out) {
  for (const auto& is : ctx.desired().issuers)
    if (is.kind == Issuer::Kind::kExternal && is.chain.empty())
      out.Error(is.at("external"), "an external issuer needs `chain`: the CA certificates that sign what comes back",
                "ca");
  for (const auto& c : ctx.desired().clusters)
    for (const auto& s : c.identity) {
      const Issuer* is = ctx.desired().FindIssuer(s.issuer);
      if (is && is->kind == Issuer::Kind::kExternal && s.key.location != "appliance")
        out.Error(s.key.at("location"), "issuer " + is->name + " is external: the key must be made on the peer "
                  "(location: appliance); pkiform keeps no private key while a request waits", "key");
    }
}

}  // namespace pkiform
