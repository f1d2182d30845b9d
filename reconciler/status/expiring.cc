#include "reconciler/status/expiring.h"

namespace pkiform::status {
namespace {

bool Within(const FleetStatus& fs, pki::TimePoint t, std::chrono::seconds within) { return t <= fs.now + within; }

std::string When(const FleetStatus& fs, pki::TimePoint t) {
  return pki::FormatDate(t) + " (" + std::to_string(DaysBetween(fs.now, t)) + " days)";
}

}  // namespace

std::vector<std::string> ExpiringWithin(const FleetStatus& fs, std::chrono::seconds within) {
  std::vector<std::string> out;
  for (const auto& c : fs.clusters)
    for (const auto& p : c.peers) {
      const std::string where = c.name + "/" + p.fqdn + " ";
      for (const auto& cert : p.certificates)
        if (cert.not_after && Within(fs, *cert.not_after, within))
          out.push_back(where + cert.kind + " " + cert.name + (cert.kind == "trust" ? " " + cert.subject : "") +
                        ": notAfter " + When(fs, *cert.not_after));
      for (const auto& crl : p.crls)
        if (crl.next_update && Within(fs, *crl.next_update, within))
          out.push_back(where + "crl " + crl.location + ": nextUpdate " + When(fs, *crl.next_update));
    }
  for (const auto& d : fs.distribution_points)
    if (d.next_update && Within(fs, *d.next_update, within))
      out.push_back("distribution point " + d.location + ": nextUpdate " + When(fs, *d.next_update));
  return out;
}

}  // namespace pkiform::status
