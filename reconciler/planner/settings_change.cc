// Setting changes (settings_change.h).
#include "reconciler/planner/settings_change.h"

#include <functional>

namespace pkiform::planner {
namespace {

std::string Bool(bool b) { return b ? "true" : "false"; }

std::string DurationText(std::chrono::seconds d) { return SettingDurationText(d); }

}  // namespace

std::string SettingDurationText(std::chrono::seconds d) {
  const long long s = d.count();
  if (s % 86400 == 0) return std::to_string(s / 86400) + "d";
  if (s % 3600 == 0) return std::to_string(s / 3600) + "h";
  return std::to_string(s) + "s";
}

std::optional<std::string> DesiredSetting(const Cluster& cluster, const std::string& from) {
  const OcspSettings* ocsp = cluster.revocation && cluster.revocation->ocsp ? &*cluster.revocation->ocsp : nullptr;
  const Monitor* monitor = cluster.monitor ? &*cluster.monitor : nullptr;
  const CrlSettings* crl = cluster.revocation && cluster.revocation->crl ? &*cluster.revocation->crl : nullptr;
  const SipTlsRevocation* sip =
      cluster.revocation && cluster.revocation->sip_tls ? &*cluster.revocation->sip_tls : nullptr;
  // vcs (V10): distribution points as the appliance keeps them, one space apart (URLs hold none).
  if (from == "revocation.crl.automaticUpdates" && crl && crl->automatic_updates) return Bool(*crl->automatic_updates);
  if (from == "revocation.crl.distributionPoints" && crl && crl->fields.count("distributionPoints")) {
    std::string joined;
    for (const auto& d : crl->distribution_points) joined += (joined.empty() ? "" : " ") + d;
    return joined;
  }
  if (from == "revocation.crl.dailyUpdateTime" && crl && !crl->daily_update_time.empty()) return crl->daily_update_time;
  // vcs (V13): SIP TLS revocation checking.
  if (from == "revocation.sipTls.enabled" && sip && sip->enabled) return Bool(*sip->enabled);
  if (from == "revocation.sipTls.useOcsp" && sip && sip->use_ocsp) return Bool(*sip->use_ocsp);
  if (from == "revocation.sipTls.useCrls" && sip && sip->use_crls) return Bool(*sip->use_crls);
  if (from == "revocation.sipTls.allowCdpDownloads" && sip && sip->allow_cdp_downloads)
    return Bool(*sip->allow_cdp_downloads);
  if (from == "revocation.sipTls.fallback" && sip && !sip->fallback.empty()) return sip->fallback;
  if (from == "revocation.ocsp.enabled" && ocsp && ocsp->enabled) return Bool(*ocsp->enabled);
  if (from == "revocation.ocsp.useCertificateUri" && ocsp && ocsp->use_certificate_uri)
    return Bool(*ocsp->use_certificate_uri);
  if (from == "revocation.ocsp.responder" && ocsp && !ocsp->responder.empty()) return ocsp->responder;
  if (from == "revocation.ocsp.checkInterval" && ocsp && ocsp->check_interval)
    return DurationText(ocsp->check_interval->length);
  if (from == "monitor.notifyBefore" && monitor && monitor->notify_before)
    return DurationText(monitor->notify_before->length);
  if (from == "monitor.frequency" && monitor && monitor->frequency) return DurationText(monitor->frequency->length);
  if (from == "monitor.email" && monitor && !monitor->email.empty()) {
    std::string joined;
    for (const auto& e : monitor->email) joined += (joined.empty() ? "" : ",") + e;
    return joined;
  }
  return std::nullopt;
}

std::string SettingAddress(const std::string& cluster, const std::string& peer, const std::string& name) {
  return cluster + "/" + peer + "/setting/" + name;
}

std::vector<Change> PlanSettings(const Cluster& cluster, const std::string& peer,
                                 const catalogue::PlatformCatalogue& platform, const Actual& actual,
                                 const std::function<bool(const std::string&)>& selected) {
  std::vector<Change> out;
  for (const auto& spec : platform.settings) {
    if (selected && !selected(spec.name)) continue;
    auto desired = DesiredSetting(cluster, spec.from);
    if (!desired) continue;
    auto it = actual.settings.find(spec.name);
    if (it != actual.settings.end() && it->second == *desired) continue;
    Change c;
    c.address = SettingAddress(cluster.name, peer, spec.name);
    c.kind = ChangeKind::kSetting;
    c.action = it == actual.settings.end() ? Action::kCreate : Action::kUpdate;
    c.slot_or_store = spec.name;
    c.setting_before = it == actual.settings.end() ? "" : it->second;
    c.setting_after = *desired;
    c.reason = it == actual.settings.end() ? "not reported by the node; " + spec.from + " says " + *desired
                                           : spec.from + " says " + *desired;
    if (it != actual.settings.end()) c.before = {spec.name + ": " + it->second};
    c.after = {spec.name + ": " + *desired};
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace pkiform::planner
