// The OS Administration settings of a simulated node (os_settings.h).
#include "tests/sim/os_settings.h"

#include <cctype>
#include <map>

#include "tests/sim/sim_files.h"

namespace pkiform::sim {
namespace {

constexpr const char* kFile = "os-settings.conf";

bool Flag(const std::map<std::string, std::string>& kv, const char* key, bool fallback) {
  auto it = kv.find(key);
  if (it == kv.end()) return fallback;
  return it->second == "true";
}

int Number(const std::map<std::string, std::string>& kv, const char* key, int fallback, int max) {
  auto it = kv.find(key);
  if (it == kv.end()) return fallback;
  auto n = ParseBoundedInt(it->second, 1, max);
  return n ? *n : fallback;
}

std::vector<std::string> SplitIds(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(';', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string JoinIds(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : ";") + id;
  return out;
}

}  // namespace

std::optional<int> ParseBoundedInt(const std::string& text, int min, int max) {
  if (text.empty() || text.size() > 6) return std::nullopt;
  for (unsigned char c : text)
    if (!std::isdigit(c)) return std::nullopt;
  int n = std::stoi(text);
  if (n < min || n > max) return std::nullopt;
  return n;
}

OsSettings LoadOsSettings(const fs::path& dir) {
  OsSettings s;
  auto text = ReadText(dir / kFile);
  if (!text) return s;
  auto kv = ParseKeyValues(*text);
  s.ocsp.enabled = Flag(kv, "ocsp-enabled", s.ocsp.enabled);
  s.ocsp.useCertificateUri = Flag(kv, "ocsp-use-certificate-uri", s.ocsp.useCertificateUri);
  s.ocsp.configuredUri = kv["ocsp-configured-uri"];
  s.ocsp.revocationCheck = Flag(kv, "ocsp-revocation-check", s.ocsp.revocationCheck);
  s.ocsp.checkEveryHours = Number(kv, "ocsp-check-every-hours", s.ocsp.checkEveryHours, kCheckEveryMaxHours);
  s.monitor.notificationStartDays =
      Number(kv, "monitor-notification-start-days", s.monitor.notificationStartDays, kNotificationStartMaxDays);
  s.monitor.frequency = Number(kv, "monitor-frequency", s.monitor.frequency, kFrequencyMaxHours);
  if (kv["monitor-frequency-unit"] == "days") s.monitor.frequencyUnit = "days";
  s.monitor.emailNotification = Flag(kv, "monitor-email-notification", s.monitor.emailNotification);
  s.monitor.lscMonitoring = Flag(kv, "monitor-lsc", s.monitor.lscMonitoring);
  s.monitor.emailIds = SplitIds(kv["monitor-email-ids"]);
  s.commonCriteria = Flag(kv, "common-criteria", false);
  return s;
}

Status SaveOsSettings(const fs::path& dir, const OsSettings& s) {
  auto b = [](bool v) { return std::string(v ? "true" : "false"); };
  return WriteTextAtomic(dir / kFile,
                         FormatKeyValues({{"ocsp-enabled", b(s.ocsp.enabled)},
                                          {"ocsp-use-certificate-uri", b(s.ocsp.useCertificateUri)},
                                          {"ocsp-configured-uri", s.ocsp.configuredUri},
                                          {"ocsp-revocation-check", b(s.ocsp.revocationCheck)},
                                          {"ocsp-check-every-hours", std::to_string(s.ocsp.checkEveryHours)},
                                          {"monitor-notification-start-days",
                                           std::to_string(s.monitor.notificationStartDays)},
                                          {"monitor-frequency", std::to_string(s.monitor.frequency)},
                                          {"monitor-frequency-unit", s.monitor.frequencyUnit},
                                          {"monitor-email-notification", b(s.monitor.emailNotification)},
                                          {"monitor-lsc", b(s.monitor.lscMonitoring)},
                                          {"monitor-email-ids", JoinIds(s.monitor.emailIds)},
                                          {"common-criteria", b(s.commonCriteria)}}));
}

std::optional<std::string> CheckOcspUri(const std::string& uri) {
  const bool scheme = uri.starts_with("http://") || uri.starts_with("https://");
  const size_t host = uri.find("://") == std::string::npos ? 0 : uri.find("://") + 3;
  bool printable = true;
  for (unsigned char c : uri) printable = printable && c > 0x20 && c < 0x7f && c != '"' && c != '\'' && c != '\\';
  if (!scheme || host >= uri.size() || uri[host] == '/' || !printable || uri.size() > kMaxUriLength)
    return "Invalid OCSP Configured URI: enter an http:// or https:// URI of at most " + std::to_string(kMaxUriLength) +
           " characters";
  return std::nullopt;
}

std::optional<std::string> CheckEmailId(const std::string& id) {
  const size_t at = id.find('@');
  bool ok = !id.empty() && id.size() <= 254 && at != std::string::npos && at > 0 && id.find('@', at + 1) == std::string::npos;
  const std::string domain = ok ? id.substr(at + 1) : "";
  ok = ok && domain.find('.') != std::string::npos && domain.front() != '.' && domain.back() != '.';
  for (unsigned char c : id)
    ok = ok && (std::isalnum(c) || c == '@' || c == '.' || c == '-' || c == '_' || c == '+');
  if (!ok) return "Invalid E-mail ID. Enter addresses of the form user@example.com, separated by ';'";
  return std::nullopt;
}

}  // namespace pkiform::sim
