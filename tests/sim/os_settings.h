// The node settings of Cisco Unified OS Administration that pkiform keeps (rules U16,
// U17), as pkiform-sim holds them: Security > Certificate Revocation (OCSP) and
// Security > Certificate Monitor. On a real node they are set in those web pages; the
// CLI the simulator offers for them (os_settings_cli.h) is ASSUMED (docs/platforms/ucm.md).
//
// Kept in DIR/os-settings.conf (key=value, written atomically); an absent file or key is
// the factory default below (ASSUMED where the seed document gives none, see each field).
// Common Criteria mode is chosen when the node is set up (`pkiform-sim init
// --common-criteria on`; on a real node `utils fips_common_criteria enable`, which also
// reboots it): the CLI of this simulator only reports it.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "reconciler/util/result.h"

namespace pkiform::sim {

namespace fs = std::filesystem;

struct OcspSettings {
  bool enabled = false;               // "Enable OCSP": off from the factory (ASSUMED)
  bool useCertificateUri = true;      // "Use OCSP URI from Certificate" (else "Use configured OCSP URI"; ASSUMED default)
  std::string configuredUri;          // "OCSP Configured URI": none from the factory
  bool revocationCheck = false;       // "Enable Revocation Check": off from the factory (ASSUMED)
  int checkEveryHours = 24;           // "Check Every" (ASSUMED default and unit; 1..720)
};

struct CertMonitorSettings {
  int notificationStartDays = 30;     // "Notification Start Time", days before expiry (ASSUMED default; 1..365)
  int frequency = 24;                 // "Notification Frequency" (ASSUMED default: the service runs every 24 hours)
  std::string frequencyUnit = "hours";  // "hours" or "days"
  bool emailNotification = false;     // "Enable E-mail notification" (optional in the seed: off)
  bool lscMonitoring = false;         // "Enable LSC Monitoring"
  std::vector<std::string> emailIds;  // "E-mail IDs", separated by ';' on the page
};

struct OsSettings {
  OcspSettings ocsp;
  CertMonitorSettings monitor;
  bool commonCriteria = false;  // U16: in Common Criteria mode an OCSP answer Unknown fails the connection
};

// The limits the simulated pages enforce (ASSUMED; docs/platforms/ucm.md).
inline constexpr int kCheckEveryMaxHours = 720;
inline constexpr int kNotificationStartMaxDays = 365;
inline constexpr int kFrequencyMaxHours = 720;
inline constexpr size_t kMaxUriLength = 255;
inline constexpr size_t kMaxEmailIds = 10;

OsSettings LoadOsSettings(const fs::path& dir);
Status SaveOsSettings(const fs::path& dir, const OsSettings& settings);

// Checks of the pages, each with the message the CLI prints (nullopt: accepted).
std::optional<std::string> CheckOcspUri(const std::string& uri);
std::optional<std::string> CheckEmailId(const std::string& id);
// A whole number from `min` to `max` written in decimal digits only; nullopt otherwise.
std::optional<int> ParseBoundedInt(const std::string& text, int min, int max);

}  // namespace pkiform::sim
