// Plan text (plan_text.h).
#include "reconciler/render/plan_text.h"

#include <sstream>

#include "reconciler/util/terminal_escape.h"

namespace pkiform {
namespace {

// Plans quote manifest values and what hosts printed (subjects, paths, reasons):
// untrusted bytes, printed only escaped. The colours below are pkiform's own.
std::string Safe(const std::string& text) { return EscapeForTerminal(text, Backslash::kKeep); }

constexpr const char* kReset = "\x1b[0m";
constexpr const char* kBold = "\x1b[1m";
constexpr const char* kRed = "\x1b[31m";
constexpr const char* kGreen = "\x1b[32m";
constexpr const char* kYellow = "\x1b[33m";

class Painter {
 public:
  explicit Painter(bool color) : color_(color) {}
  std::string operator()(const char* code, const std::string& text) const {
    return color_ ? code + text + kReset : text;
  }

 private:
  bool color_;
};

const char* ActionColor(Action a) {
  switch (a) {
    case Action::kCreate: return kGreen;
    case Action::kUpdate:
    case Action::kReplace: return kYellow;
    case Action::kDelete: return kRed;
  }
  return kReset;
}

// The value of the "key: value" line among `lines`, or "".
std::string LineValue(const std::vector<std::string>& lines, const std::string& key) {
  const std::string prefix = key + ": ";
  for (const auto& l : lines)
    if (l.rfind(prefix, 0) == 0) return l.substr(prefix.size());
  return "";
}

// "AB:CD:…" from "AB:CD:EF:...".
std::string ShortFingerprint(const std::string& fp) {
  return fp.size() > 5 ? fp.substr(0, 5) + ":\u2026" : fp;
}

// What a change is about, after its symbol: "identity nginx", "trust default  CN=Root (AB:CD:…)",
// "crl /etc/nginx/crl.pem  (12:34:… -> AB:CD:…)" (the whole file's fingerprints: its lines say which CRLs).
std::string Subject(const Change& c) {
  std::string s = std::string(ChangeKindName(c.kind)) + " " + c.slot_or_store;
  if (c.kind == ChangeKind::kCrl && !c.after_fingerprint.empty())
    return s + "  (" + (c.before_fingerprint.empty() ? "" : ShortFingerprint(c.before_fingerprint) + " -> ") +
           ShortFingerprint(c.after_fingerprint) + ")";
  if (c.kind != ChangeKind::kTrust) return s;
  const bool removing = c.action == Action::kDelete;
  const std::string subject = LineValue(removing ? c.before : c.after, "subject");
  const std::string fp = removing ? c.before_fingerprint : c.after_fingerprint;
  std::string label = subject;
  if (!fp.empty()) label += (label.empty() ? "" : " ") + ("(" + ShortFingerprint(fp) + ")");
  return label.empty() ? s : s + "  " + label;
}

// Rule U10: where a change takes effect besides this peer.
std::string Scope(const Change& c) {
  std::string s;
  if (c.scope == ChangeScope::kCluster)
    s += "  (cluster-wide: reaches " + std::to_string(c.reaches.size()) + (c.reaches.size() == 1 ? " node)" : " nodes)");
  if (!c.copies_to.empty()) {
    std::string stores;
    for (const auto& t : c.copies_to) stores += (stores.empty() ? "" : ", ") + t;
    s += "  (also copied to " + Safe(stores) + ")";
  }
  return s;
}

std::string RestartText(const Restart& r) {
  return r.kind == RestartKind::kAppliance ? r.target + " (appliance)" : r.target;
}

bool HasContent(const PeerPlan& p) {
  return !p.changes.empty() || !p.restarts.empty() || !p.follow_ups.empty() || !p.notes.empty() ||
         !p.deferred.empty() || !p.deferred_restarts.empty();
}

void RenderChange(const Change& c, const Painter& paint, std::ostringstream& out) {
  out << "  " << paint(ActionColor(c.action), ActionSymbol(c.action)) << " " << Safe(Subject(c)) << Scope(c) << "\n";
  if (!c.reason.empty()) out << "      # " << Safe(c.reason) << "\n";
  if (!c.waiting_for.empty()) out << "      # waiting for " << Safe(c.waiting_for) << "\n";
  if (!c.no_rollback.empty()) out << "      # cannot be rolled back: " << Safe(c.no_rollback) << "\n";
  for (const auto& l : c.before) out << "      " << paint(kRed, "- " + Safe(l)) << "\n";
  for (const auto& l : c.after) out << "      " << paint(kGreen, "+ " + Safe(l)) << "\n";
}

void RenderRestarts(const char* label, const std::vector<Restart>& restarts, std::ostringstream& out) {
  if (restarts.empty()) return;
  out << "  " << label << ": ";
  for (size_t i = 0; i < restarts.size(); ++i) out << (i ? ", " : "") << Safe(RestartText(restarts[i]));
  out << "\n";
}

void RenderPeer(const PeerPlan& p, const Painter& paint, std::ostringstream& out) {
  out << paint(kBold, "# " + Safe(p.cluster + "/" + p.peer)) << "\n";
  for (const auto& c : p.changes) RenderChange(c, paint, out);
  RenderRestarts("restarts", p.restarts, out);
  if (!p.deferred.empty() || !p.deferred_restarts.empty()) {
    out << "  " << paint(kYellow, "deferred until " + Safe(p.deferred_until) + " (maintenance window):") << "\n";
    for (const auto& c : p.deferred) RenderChange(c, paint, out);
    RenderRestarts("deferred restarts", p.deferred_restarts, out);
  }
  for (const auto& f : p.follow_ups) out << "  follow-up: " << Safe(f) << "\n";
  for (const auto& n : p.notes) out << "  note: " << Safe(n) << "\n";
}

}  // namespace

std::string RenderPlanText(const Plan& plan, bool color) {
  const Painter paint(color);
  std::ostringstream out;
  for (const auto& p : plan.peers) {
    if (!HasContent(p)) continue;
    RenderPeer(p, paint, out);
    out << "\n";
  }
  const PlanSummary s = plan.Summary();
  const int deferred = plan.DeferredCount();
  const std::string waiting =
      deferred ? std::to_string(deferred) + (deferred == 1 ? " change" : " changes") +
                     " deferred to maintenance windows (the first opens " + plan.EarliestDeferredUntil() + ")."
               : "";
  if (s.empty()) {
    out << (deferred ? "No changes due now. " + waiting : std::string("No changes. The fleet matches the manifests."))
        << "\n";
    return out.str();
  }
  out << paint(kBold, "Plan:") << " " << s.add << " to add, " << s.change << " to change, " << s.remove
      << " to remove, " << s.restarts << (s.restarts == 1 ? " restart." : " restarts.") << (deferred ? " " : "")
      << waiting << "\n";
  return out.str();
}

}  // namespace pkiform
