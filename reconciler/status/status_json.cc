#include "reconciler/status/status_json.h"

namespace pkiform::status {
namespace {

using nlohmann::json;

json Time(const std::optional<pki::TimePoint>& t) { return t ? json(pki::FormatRfc3339Utc(*t)) : json(nullptr); }

json Certificate(const CertificateStatus& c) {
  json j = {{"kind", c.kind}, {"name", c.name}, {"present", c.present}};
  j["subject"] = c.present ? json(c.subject) : json(nullptr);
  j["issuer"] = c.present ? json(c.issuer) : json(nullptr);
  j["fingerprint"] = c.present ? json(c.fingerprint) : json(nullptr);
  j["notAfter"] = Time(c.not_after);
  j["daysLeft"] = c.not_after ? json(c.days_left) : json(nullptr);
  j["inSync"] = c.in_sync ? json(*c.in_sync) : json(nullptr);
  j["outOfSync"] = c.out_of_sync.empty() ? json(nullptr) : json(c.out_of_sync);
  return j;
}

json Crl(const CrlStatus& c) {
  auto text = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
  return {{"source", c.source},
          {"location", c.location},
          {"issuer", text(c.issuer)},
          {"crlIssuer", text(c.crl_issuer)},
          {"thisUpdate", Time(c.this_update)},
          {"nextUpdate", Time(c.next_update)},
          {"signatureVerified", c.signature_ok},
          {"signature", text(c.signature)},
          {"error", text(c.error)},
          {"warning", text(c.warning)}};
}

}  // namespace

json StatusToJson(const FleetStatus& fs) {
  json clusters = json::array();
  for (const auto& c : fs.clusters) {
    json peers = json::array();
    for (const auto& p : c.peers) {
      json certs = json::array(), crls = json::array();
      for (const auto& cert : p.certificates) certs.push_back(Certificate(cert));
      for (const auto& crl : p.crls) crls.push_back(Crl(crl));
      peers.push_back({{"fqdn", p.fqdn},
                       {"reachable", p.reachable},
                       {"error", p.reachable ? json(nullptr) : json(p.error)},
                       {"certificates", certs},
                       {"crls", crls},
                       {"pendingChanges", p.pending}});
    }
    clusters.push_back({{"name", c.name}, {"platform", c.platform}, {"peers", peers}});
  }
  json points = json::array();
  for (const auto& d : fs.distribution_points) points.push_back(Crl(d));
  return {{"now", pki::FormatRfc3339Utc(fs.now)},
          {"syncUnknown", fs.sync_unknown.empty() ? json(nullptr) : json(fs.sync_unknown)},
          {"clusters", clusters},
          {"distributionPoints", points}};
}

std::string StatusJsonText(const FleetStatus& fs) {
  return StatusToJson(fs).dump(2, ' ', false, json::error_handler_t::replace);
}

}  // namespace pkiform::status
