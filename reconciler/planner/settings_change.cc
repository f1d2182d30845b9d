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
