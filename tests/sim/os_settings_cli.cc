// The OS Administration settings commands of the simulated CLI (os_settings_cli.h).
#include "tests/sim/os_settings_cli.h"

#include "tests/sim/os_settings.h"
#include "tests/sim/sim_files.h"

namespace pkiform::sim {
namespace {

constexpr const char* kOcspSaved = "Successfully updated Certificate Revocation settings";
constexpr const char* kMonitorSaved = "Successfully updated Certificate Monitor settings";
constexpr const char* kUriRequired =
    "OCSP Configured URI is required when Use configured OCSP URI is selected";

std::string OnOff(bool b) { return b ? "Enabled" : "Disabled"; }

std::string Field(const std::string& label, const std::string& value) {
  std::string l = "  " + label;
  if (l.size() < 32) l.append(32 - l.size(), ' ');
  return l + ": " + value;
}

// Untrusted input is echoed without control characters.
std::string Printable(const std::string& s) {
  std::string out;
  for (unsigned char c : s) out += (c < 0x20 || c == 0x7f) ? '?' : static_cast<char>(c);
  return out.size() > 80 ? out.substr(0, 80) + "..." : out;
}

void ShowOcsp(const OsSettings& s, const CliOutput& out) {
  out.line("Certificate Revocation");
  out.line(Field("Enable OCSP", OnOff(s.ocsp.enabled)));
  out.line(Field("OCSP URI", s.ocsp.useCertificateUri ? "Use OCSP URI from Certificate" : "Use configured OCSP URI"));
  out.line(Field("OCSP Configured URI", s.ocsp.configuredUri));
  out.line(Field("Enable Revocation Check", OnOff(s.ocsp.revocationCheck)));
  out.line(Field("Check Every", std::to_string(s.ocsp.checkEveryHours) + " hours"));
  // rule U16: in Common Criteria mode an OCSP answer Unknown fails the connection, as Revoked does.
  out.line(Field("Common Criteria Mode", OnOff(s.commonCriteria)));
}

void ShowMonitor(const OsSettings& s, const CliOutput& out) {
  std::string ids;
  for (const auto& id : s.monitor.emailIds) ids += (ids.empty() ? "" : ";") + id;
  out.line("Certificate Monitor");
  out.line(Field("Notification Start Time", std::to_string(s.monitor.notificationStartDays) + " days"));
  out.line(Field("Notification Frequency", std::to_string(s.monitor.frequency) + " " + s.monitor.frequencyUnit));
  out.line(Field("Enable E-mail notification", OnOff(s.monitor.emailNotification)));
  out.line(Field("Enable LSC Monitoring", OnOff(s.monitor.lscMonitoring)));
  out.line(Field("E-mail IDs", ids));
}

// `set ocsp ...`: false when the words are not one of its forms.
bool SetOcsp(OsSettings& s, const std::vector<std::string>& t, const std::vector<std::string>& w,
             const CliOutput& out, bool& changed) {
  const size_t n = w.size();
  if (n == 3 && (w[2] == "enable" || w[2] == "disable")) {
    // rule U16: OCSP asks a responder: the configured one needs its URI.
    if (w[2] == "enable" && !s.ocsp.useCertificateUri && s.ocsp.configuredUri.empty()) {
      out.refuse(kUriRequired);
      return true;
    }
    s.ocsp.enabled = w[2] == "enable";
    changed = true;
  } else if (n == 4 && w[2] == "uri-source" && (w[3] == "certificate" || w[3] == "configured")) {
    if (w[3] == "configured" && s.ocsp.configuredUri.empty()) {  // rule U16
      out.refuse(kUriRequired);
      return true;
    }
    s.ocsp.useCertificateUri = w[3] == "certificate";
    changed = true;
  } else if (n == 4 && w[2] == "responder") {
    if (auto why = CheckOcspUri(t[3])) {
      out.refuse(*why + ": " + Printable(t[3]));
      return true;
    }
    s.ocsp.configuredUri = t[3];
    changed = true;
  } else if (n == 4 && w[2] == "interval") {
    // rule U16: the revocation check interval, whole hours.
    auto hours = ParseBoundedInt(t[3], 1, kCheckEveryMaxHours);
    if (!hours) {
      out.refuse("Invalid value for Check Every: " + Printable(t[3]) + ". Enter a whole number of hours from 1 to " +
                 std::to_string(kCheckEveryMaxHours));
      return true;
    }
    s.ocsp.checkEveryHours = *hours;
    s.ocsp.revocationCheck = true;
    changed = true;
  } else {
    return false;
  }
  return true;
}

// `set cert-monitor ...`: false when the words are not one of its forms.
bool SetMonitor(OsSettings& s, const std::vector<std::string>& t, const std::vector<std::string>& w,
                const CliOutput& out, bool& changed) {
  const size_t n = w.size();
  if (n == 4 && w[2] == "notification-start") {
    // rule U17: the notification start, in days before expiry.
    auto days = ParseBoundedInt(t[3], 1, kNotificationStartMaxDays);
    if (!days) {
      out.refuse("Invalid value for Notification Start Time: " + Printable(t[3]) +
                 ". Enter a whole number of days from 1 to " + std::to_string(kNotificationStartMaxDays));
      return true;
    }
    s.monitor.notificationStartDays = *days;
    changed = true;
  } else if (n == 5 && w[2] == "frequency" && (w[4] == "hours" || w[4] == "days")) {
    // rule U17: the notification frequency.
    const int per = w[4] == "days" ? 24 : 1;
    auto value = ParseBoundedInt(t[3], 1, kFrequencyMaxHours / per);
    if (!value) {
      out.refuse("Invalid value for Notification Frequency: " + Printable(t[3]) + " " + w[4] +
                 ". Enter from 1 hour to " + std::to_string(kFrequencyMaxHours / 24) + " days");
      return true;
    }
    s.monitor.frequency = *value;
    s.monitor.frequencyUnit = w[4];
    changed = true;
  } else if (n == 4 && w[2] == "email") {
    std::vector<std::string> ids;
    size_t start = 0;
    const std::string& text = t[3];
    while (start <= text.size()) {
      size_t end = text.find(';', start);
      if (end == std::string::npos) end = text.size();
      ids.push_back(text.substr(start, end - start));
      start = end + 1;
    }
    for (const auto& id : ids) {
      if (auto why = CheckEmailId(id)) {  // rule U17
        out.refuse(*why + ": " + Printable(id));
        return true;
      }
    }
    if (ids.size() > kMaxEmailIds) {
      out.refuse("Too many E-mail IDs: at most " + std::to_string(kMaxEmailIds));
      return true;
    }
    s.monitor.emailIds = ids;
    s.monitor.emailNotification = true;
    changed = true;
  } else if (n == 4 && w[2] == "email-notification" && (w[3] == "enable" || w[3] == "disable")) {
    if (w[3] == "enable" && s.monitor.emailIds.empty()) {
      out.refuse("Enter at least one E-mail ID to enable e-mail notification");
      return true;
    }
    s.monitor.emailNotification = w[3] == "enable";
    changed = true;
  } else {
    return false;
  }
  return true;
}

}  // namespace

bool DispatchOsSettings(const Appliance& a, const std::vector<std::string>& t, const std::vector<std::string>& w,
                        const CliOutput& out) {
  if (w.size() < 2) return false;
  const bool ocsp = w[1] == "ocsp", monitor = w[1] == "cert-monitor";
  if (!ocsp && !monitor) return false;
  if (w[0] == "show" && w.size() == 2) {
    OsSettings s = LoadOsSettings(a.dir());
    if (ocsp) ShowOcsp(s, out);
    else ShowMonitor(s, out);
    return true;
  }
  if (w[0] != "set") return false;
  FileLock lock(a.ClusterLockPath());
  OsSettings s = LoadOsSettings(a.dir());
  bool changed = false;
  const bool known = ocsp ? SetOcsp(s, t, w, out, changed) : SetMonitor(s, t, w, out, changed);
  if (!known) return false;
  if (!changed) return true;  // refused: the settings stay as they were
  if (Status saved = SaveOsSettings(a.dir(), s); !saved.ok()) {
    out.refuse(saved.message());
    return true;
  }
  out.line(ocsp ? kOcspSaved : kMonitorSaved);
  return true;
}

}  // namespace pkiform::sim
