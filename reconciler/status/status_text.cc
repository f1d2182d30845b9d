#include "reconciler/status/status_text.h"

#include <algorithm>
#include <vector>

#include "reconciler/util/terminal_escape.h"

namespace pkiform::status {
namespace {

using Row = std::vector<std::string>;

// Columns padded to the widest cell (counted in bytes of escaped text: close enough for
// the ASCII that certificates nearly always carry); the last column is not padded.
std::string Table(const std::vector<Row>& rows, const std::string& indent) {
  std::vector<size_t> width;
  for (const auto& r : rows)
    for (size_t i = 0; i < r.size(); ++i) {
      if (width.size() <= i) width.push_back(0);
      width[i] = std::max(width[i], r[i].size());
    }
  std::string out;
  for (const auto& r : rows) {
    std::string line = indent;
    for (size_t i = 0; i < r.size(); ++i) {
      line += r[i];
      if (i + 1 < r.size()) line += std::string(width[i] - r[i].size() + 2, ' ');
    }
    out += line + "\n";
  }
  return out;
}

std::string E(const std::string& s) { return EscapeForTerminal(s); }

}  // namespace

std::string SyncText(const CertificateStatus& c) {
  if (!c.in_sync) return "unknown";
  return *c.in_sync ? "in sync" : "out of sync: " + c.out_of_sync;
}

std::string CrlText(const CrlStatus& c) {
  std::string s = c.error.empty() ? c.signature : "error: " + c.error;
  if (!c.warning.empty()) s += "; warning: " + c.warning;
  return s;
}

std::string RenderStatusText(const FleetStatus& fs) {
  std::string out = "Status at " + pki::FormatRfc3339Utc(fs.now) + "\n";
  if (!fs.sync_unknown.empty()) out += "In sync: unknown (" + E(fs.sync_unknown) + ")\n";
  for (const auto& c : fs.clusters) {
    out += "\ncluster " + E(c.name) + " (" + E(c.platform) + ")\n";
    for (const auto& p : c.peers) {
      if (!p.reachable) {
        out += "  " + E(p.fqdn) + ": unreachable: " + E(p.error) + "\n";
        continue;
      }
      out += "  " + E(p.fqdn) + "\n";
      std::vector<Row> rows{{"KIND", "NAME", "SUBJECT", "ISSUER", "NOT AFTER", "DAYS", "STATE"}};
      for (const auto& cert : p.certificates) {
        if (!cert.present) {
          rows.push_back({cert.kind, E(cert.name), "(none installed)", "-", "-", "-", E(SyncText(cert))});
          continue;
        }
        rows.push_back({cert.kind, E(cert.name), E(cert.subject), E(cert.issuer), DateOrDash(cert.not_after),
                        cert.not_after ? std::to_string(cert.days_left) : "-", E(SyncText(cert))});
      }
      for (const auto& crl : p.crls)
        rows.push_back({"crl", E(crl.location), E(crl.crl_issuer.empty() ? "-" : crl.crl_issuer), "-",
                        "next " + DateOrDash(crl.next_update),
                        crl.next_update ? std::to_string(DaysBetween(fs.now, *crl.next_update)) : "-", E(CrlText(crl))});
      out += Table(rows, "    ");
      for (const auto& change : p.pending) out += "    pending: " + E(change) + "\n";
    }
  }
  if (!fs.distribution_points.empty()) {
    out += "\nCRL distribution points\n";
    std::vector<Row> rows{{"ISSUER", "URL", "CRL ISSUER", "NEXT UPDATE", "DAYS", "STATE"}};
    for (const auto& d : fs.distribution_points)
      rows.push_back({E(d.issuer), E(d.location), E(d.crl_issuer.empty() ? "-" : d.crl_issuer), DateOrDash(d.next_update),
                      d.next_update ? std::to_string(DaysBetween(fs.now, *d.next_update)) : "-", E(CrlText(d))});
    out += Table(rows, "  ");
  }
  return out;
}

}  // namespace pkiform::status
