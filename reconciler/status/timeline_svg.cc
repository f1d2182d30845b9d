#include "reconciler/status/timeline_svg.h"

#include <algorithm>
#include <chrono>
#include <vector>

#include "reconciler/status/html_escape.h"

namespace pkiform::status {
namespace {

constexpr int kWidth = 1100, kLeft = 260, kRight = 30, kTop = 40, kLane = 28;

struct Lane {
  std::string label;
  std::vector<const CertificateStatus*> marks;
};

std::vector<Lane> Lanes(const FleetStatus& fs) {
  std::vector<Lane> lanes;
  for (const auto& c : fs.clusters)
    for (const auto& p : c.peers) {
      Lane lane{c.name + "/" + p.fqdn, {}};
      for (const auto& cert : p.certificates)
        if (cert.not_after) lane.marks.push_back(&cert);
      if (!lane.marks.empty()) lanes.push_back(std::move(lane));
    }
  return lanes;
}

std::string Num(double v) { return std::to_string(static_cast<long long>(v)); }

}  // namespace

size_t TimelineMarkCount(const FleetStatus& fs) {
  size_t n = 0;
  for (const auto& lane : Lanes(fs)) n += lane.marks.size();
  return n;
}

std::string RenderTimelineSvg(const FleetStatus& fs) {
  const auto lanes = Lanes(fs);
  // The axis spans now and every expiry, with a margin, at least 30 days.
  pki::TimePoint lo = fs.now, hi = fs.now + std::chrono::days(30);
  for (const auto& lane : lanes)
    for (const auto* m : lane.marks) {
      lo = std::min(lo, *m->not_after);
      hi = std::max(hi, *m->not_after);
    }
  const auto pad = std::max<std::chrono::system_clock::duration>((hi - lo) / 20, std::chrono::days(1));
  lo -= pad;
  hi += pad;
  const double span = std::chrono::duration<double>(hi - lo).count();
  auto x = [&](pki::TimePoint t) {
    return kLeft + (kWidth - kLeft - kRight) * (std::chrono::duration<double>(t - lo).count() / span);
  };
  const int height = kTop + kLane * static_cast<int>(std::max<size_t>(lanes.size(), 1)) + 30;
  const int bottom = height - 30;
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" role=\"img\" width=\"" +
                  std::to_string(kWidth) + "\" height=\"" + std::to_string(height) + "\" viewBox=\"0 0 " +
                  std::to_string(kWidth) + " " + std::to_string(height) +
                  "\" aria-label=\"Certificate expiry timeline\">\n";
  s += "<rect x=\"0\" y=\"0\" width=\"" + std::to_string(kWidth) + "\" height=\"" + std::to_string(height) +
       "\" fill=\"#fbfbfd\"/>\n";
  for (int i = 0; i <= 6; ++i) {  // dated ticks
    const pki::TimePoint t = lo + std::chrono::duration_cast<std::chrono::system_clock::duration>((hi - lo) * i / 6.0);
    const std::string tx = Num(x(t));
    s += "<line class=\"tick\" x1=\"" + tx + "\" y1=\"" + std::to_string(kTop - 10) + "\" x2=\"" + tx + "\" y2=\"" +
         std::to_string(bottom) + "\" stroke=\"#dde\"/>\n";
    s += "<text x=\"" + tx + "\" y=\"" + std::to_string(bottom + 18) + "\" font-size=\"11\" text-anchor=\"" + (i == 0 ? "start" : i == 6 ? "end" : "middle") + "\">" +
         pki::FormatDate(t) + "</text>\n";
  }
  for (size_t i = 0; i < lanes.size(); ++i) {
    const int y = kTop + kLane * static_cast<int>(i) + kLane / 2;
    s += "<text class=\"lane\" x=\"" + std::to_string(kLeft - 10) + "\" y=\"" + std::to_string(y + 4) +
         "\" font-size=\"12\" text-anchor=\"end\">" + HtmlEscape(lanes[i].label) + "</text>\n";
    s += "<line x1=\"" + std::to_string(kLeft) + "\" y1=\"" + std::to_string(y) + "\" x2=\"" +
         std::to_string(kWidth - kRight) + "\" y2=\"" + std::to_string(y) + "\" stroke=\"#ccd\"/>\n";
    for (const auto* m : lanes[i].marks) {
      const std::string state = m->days_left < 0 ? "expired" : m->days_left <= kSoonDays ? "soon" : "ok";
      const std::string fill = state == "expired" ? "#c0392b" : state == "soon" ? "#e67e22" : "#27ae60";
      const std::string title = HtmlEscape(lanes[i].label + " " + m->kind + " " + m->name + ": " + m->subject +
                                           ", notAfter " + pki::FormatDate(*m->not_after) + " (" +
                                           std::to_string(m->days_left) + " days)");
      const std::string cls = "mark " + m->kind + " " + state;
      const std::string mx = Num(x(*m->not_after));
      // Identities are circles on the lane, trust entries squares just below it.
      if (m->kind == "identity")
        s += "<circle class=\"" + cls + "\" cx=\"" + mx + "\" cy=\"" + std::to_string(y) + "\" r=\"7\" fill=\"" + fill +
             "\" stroke=\"#333\"><title>" + title + "</title></circle>\n";
      else
        s += "<rect class=\"" + cls + "\" x=\"" + Num(x(*m->not_after) - 5) + "\" y=\"" + std::to_string(y + 1) +
             "\" width=\"10\" height=\"10\" fill=\"" + fill + "\" stroke=\"#333\"><title>" + title + "</title></rect>\n";
    }
  }
  const std::string nx = Num(x(fs.now));
  s += "<line class=\"now\" x1=\"" + nx + "\" y1=\"" + std::to_string(kTop - 20) + "\" x2=\"" + nx + "\" y2=\"" +
       std::to_string(bottom) + "\" stroke=\"#1f4fd1\" stroke-width=\"2\"/>\n";
  s += "<text x=\"" + nx + "\" y=\"" + std::to_string(kTop - 24) +
       "\" font-size=\"12\" text-anchor=\"middle\" fill=\"#1f4fd1\">now " + pki::FormatDate(fs.now) + "</text>\n";
  s += "</svg>\n";
  return s;
}

}  // namespace pkiform::status
