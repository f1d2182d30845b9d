#include "reconciler/status/status_html.h"

#include <vector>

#include "reconciler/status/html_escape.h"
#include "reconciler/status/status_text.h"
#include "reconciler/status/timeline_svg.h"

namespace pkiform::status {
namespace {

const char* kStyle =
    "body{font-family:sans-serif;margin:24px;color:#222}"
    "h1{font-size:22px}h2{font-size:18px;margin-top:28px}h3{font-size:15px;margin:14px 0 6px}"
    "table{border-collapse:collapse;font-size:13px;margin-bottom:8px}"
    "th,td{border:1px solid #ccd;padding:3px 8px;text-align:left;vertical-align:top}"
    "th{background:#eef}td.expired,td.bad{background:#f6d5d1}td.soon,td.warn{background:#fbe5cc}"
    "td.ok{background:#dff3e4}.unreachable{color:#a00;font-weight:bold}";

std::string Cell(const std::string& text, const std::string& cls = "") {
  return (cls.empty() ? "<td>" : "<td class=\"" + cls + "\">") + HtmlEscape(text) + "</td>";
}

std::string Header(const std::vector<std::string>& names) {
  std::string s = "<tr>";
  for (const auto& n : names) s += "<th>" + HtmlEscape(n) + "</th>";
  return s + "</tr>\n";
}

std::string DaysClass(long long days) { return days < 0 ? "expired" : days <= kSoonDays ? "soon" : "ok"; }

std::string CrlClass(const CrlStatus& c) {
  return !c.error.empty() || !c.signature_ok ? "bad" : !c.warning.empty() ? "warn" : "ok";
}

std::string CrlRow(const std::string& first, const CrlStatus& c, pki::TimePoint now) {
  return "<tr>" + Cell(first) + Cell(c.location) + Cell(c.crl_issuer.empty() ? "-" : c.crl_issuer) +
         Cell(DateOrDash(c.this_update)) + Cell(DateOrDash(c.next_update), CrlClass(c)) +
         Cell(c.next_update ? std::to_string(DaysBetween(now, *c.next_update)) : "-") + Cell(CrlText(c), CrlClass(c)) +
         "</tr>\n";
}

std::string ClusterSection(const ClusterStatus& c) {
  std::string s = "<section class=\"cluster\">\n<h2>Cluster " + HtmlEscape(c.name) + " <small>(" +
                  HtmlEscape(c.platform) + ")</small></h2>\n";
  for (const auto& p : c.peers) {
    s += "<h3 class=\"peer\">" + HtmlEscape(p.fqdn) + "</h3>\n";
    if (!p.reachable) {
      s += "<p class=\"unreachable\">unreachable: " + HtmlEscape(p.error) + "</p>\n";
      continue;
    }
    s += "<table>\n" + Header({"kind", "name", "subject", "issuer", "notAfter", "days left", "state"});
    for (const auto& cert : p.certificates) {
      if (!cert.present) {
        s += "<tr>" + Cell(cert.kind) + Cell(cert.name) + Cell("(none installed)") + Cell("-") + Cell("-") + Cell("-") +
             Cell(SyncText(cert), "bad") + "</tr>\n";
        continue;
      }
      const std::string days = cert.not_after ? std::to_string(cert.days_left) : "-";
      const std::string sync_class = !cert.in_sync ? "" : *cert.in_sync ? "ok" : "warn";
      s += "<tr>" + Cell(cert.kind) + Cell(cert.name) + Cell(cert.subject) + Cell(cert.issuer) +
           Cell(DateOrDash(cert.not_after)) + Cell(days, cert.not_after ? DaysClass(cert.days_left) : "") +
           Cell(SyncText(cert), sync_class) + "</tr>\n";
    }
    s += "</table>\n";
    if (!p.pending.empty()) {
      s += "<ul class=\"pending\">\n";
      for (const auto& ch : p.pending) s += "<li>pending: " + HtmlEscape(ch) + "</li>\n";
      s += "</ul>\n";
    }
  }
  return s + "</section>\n";
}

}  // namespace

std::string RenderStatusHtml(const FleetStatus& fs) {
  const std::string when = pki::FormatRfc3339Utc(fs.now);
  std::string s =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"" +
      std::string(kStatusPageCsp) +
      "\">\n<meta name=\"viewport\" content=\"width=device-width\">\n<title>pkiform status " + when +
      "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n<h1>pkiform status</h1>\n<p>As of " + when + ". " +
      std::to_string(TimelineMarkCount(fs)) + " certificates on the timeline (circles: identities, squares: trust " +
      "entries; red: expired, orange: within " + std::to_string(kSoonDays) + " days).</p>\n";
  if (!fs.sync_unknown.empty()) s += "<p>In sync: unknown (" + HtmlEscape(fs.sync_unknown) + ").</p>\n";
  s += "<h2>Expiry timeline</h2>\n<figure>\n" + RenderTimelineSvg(fs) + "</figure>\n";
  for (const auto& c : fs.clusters) s += ClusterSection(c);
  s += "<section class=\"crls\">\n<h2>CRL freshness</h2>\n<table>\n" +
       Header({"where", "location", "CRL issuer", "thisUpdate", "nextUpdate", "days left", "state"});
  size_t rows = 0;
  for (const auto& c : fs.clusters)
    for (const auto& p : c.peers)
      for (const auto& crl : p.crls) {
        s += CrlRow(c.name + "/" + p.fqdn, crl, fs.now);
        ++rows;
      }
  for (const auto& d : fs.distribution_points) {
    s += CrlRow("distribution point of " + d.issuer, d, fs.now);
    ++rows;
  }
  if (rows == 0) s += "<tr><td colspan=\"7\">No CRL uploaded or named by an issuer.</td></tr>\n";
  s += "</table>\n</section>\n</body>\n</html>\n";
  return s;
}

}  // namespace pkiform::status
