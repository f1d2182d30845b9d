// VCS settings (vcs_settings.h).
#include "providers/vcs/vcs_settings.h"

#include "reconciler/util/excerpt.h"

namespace pkiform::vcs {
namespace {

std::string Bool(bool b) { return b ? "true" : "false"; }

constexpr char kRevoked[] = "treat-as-revoked";
constexpr char kNotRevoked[] = "treat-as-not-revoked";

bool SetsCrl(const Cluster& c) {
  if (!c.revocation || !c.revocation->crl) return false;
  const CrlSettings& crl = *c.revocation->crl;
  return crl.automatic_updates || crl.fields.count("distributionPoints") || !crl.daily_update_time.empty();
}

}  // namespace

std::map<std::string, std::string> SettingsOf(const CrlAutomatic& crl) {
  std::string points;
  for (const auto& p : crl.distribution_points) points += (points.empty() ? "" : " ") + p;
  return {{"crl.automaticUpdates", Bool(crl.enabled)},
          {"crl.distributionPoints", points},
          {"crl.dailyUpdateTime", crl.update_time}};
}

std::map<std::string, std::string> SettingsOf(const SipTlsRevocation& sip) {
  return {{"sipTls.enabled", Bool(sip.enabled)},
          {"sipTls.useOcsp", Bool(sip.ocsp)},
          {"sipTls.useCrls", Bool(sip.crl)},
          {"sipTls.allowCdpDownloads", Bool(sip.cdp)},
          {"sipTls.fallback", sip.fallback_revoked ? kRevoked : kNotRevoked}};
}

std::vector<std::string> SettingsReads(const Dialect& d, const Cluster& cluster) {
  std::vector<std::string> reads;
  if (SetsCrl(cluster)) reads.push_back(d.configuration.crl_automatic.read);
  if (cluster.revocation && cluster.revocation->sip_tls) reads.push_back(d.configuration.sip_tls.read);
  return reads;
}

Result<std::map<std::string, std::string>> ObserveSettings(AdminSession& admin, const Cluster& cluster) {
  std::map<std::string, std::string> out;
  if (SetsCrl(cluster)) {
    auto crl = admin.ReadCrlAutomatic();
    if (!crl.ok()) return crl.status();
    out.merge(SettingsOf(*crl));
  }
  if (cluster.revocation && cluster.revocation->sip_tls) {
    auto sip = admin.ReadSipTlsRevocation();
    if (!sip.ok()) return sip.status();
    out.merge(SettingsOf(*sip));
  }
  return out;
}

Result<SettingWrite> SettingToWrite(const std::string& name, const std::string& value, const Dialect& d) {
  const ConfigurationDialect& c = d.configuration;
  auto on_off = [&](const std::string& path, const std::string& leaf, const char* rule) -> Result<SettingWrite> {
    if (value != "true" && value != "false")
      return Status::InvalidInput(name + ": \"" + Excerpt(value) + "\" is not true or false").WithRule(rule);
    return SettingWrite{path, leaf, value == "true" ? c.on_word : c.off_word, false};
  };
  const auto& crl = c.crl_automatic;
  const auto& sip = c.sip_tls;
  if (name == "crl.automaticUpdates") return on_off(crl.path, crl.mode, "V10");
  if (name == "crl.distributionPoints") return SettingWrite{crl.path, crl.distribution_points, value, true};
  if (name == "crl.dailyUpdateTime") return SettingWrite{crl.path, crl.update_time, value, true};
  if (name == "sipTls.enabled") return on_off(sip.path, sip.mode, "V13");
  if (name == "sipTls.useOcsp") return on_off(sip.path, sip.ocsp, "V13");
  if (name == "sipTls.useCrls") return on_off(sip.path, sip.crl, "V13");
  if (name == "sipTls.allowCdpDownloads") return on_off(sip.path, sip.cdp, "V13");
  if (name == "sipTls.fallback") {
    if (value != kRevoked && value != kNotRevoked)
      return Status::InvalidInput(name + ": \"" + Excerpt(value) + "\" is not " + kRevoked + " or " + kNotRevoked)
          .WithRule("V13");
    return SettingWrite{sip.path, sip.fallback, value == kRevoked ? sip.revoked : sip.not_revoked, false};
  }
  return Status::InvalidInput("a VCS has no setting '" + Excerpt(name) + "' that pkiform keeps");
}

}  // namespace pkiform::vcs
