#include "state/backups.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "reconciler/pki/certificate.h"
#include "reconciler/pki/clock.h"
#include "state/atomic_file.h"
#include "state/paths.h"
#include "state/secrets.h"

namespace pkiform::state {

namespace {

Result<std::string> SlotDirectory(const std::string& state_dir, const std::string& cluster, const std::string& peer,
                                  const std::string& slot) {
  for (const auto& [what, name] : {std::pair{"cluster", &cluster}, {"peer", &peer}, {"slot", &slot}}) {
    Status s = CheckPathComponent(what, *name);
    if (!s.ok()) return s;
  }
  return state_dir + "/backups/" + cluster + "/" + peer + "/" + slot;
}

// "2026-11-22T13:00:00Z" -> "20261122T130000Z"
std::string BasicFormat(const std::string& rfc3339) {
  std::string basic;
  for (char c : rfc3339)
    if (c != '-' && c != ':') basic += c;
  return basic;
}

}  // namespace

Status BackupCertificate(const std::string& state_dir, const std::string& cluster, const std::string& peer,
                         const std::string& slot, const std::string& certificate_pem, const std::string& time) {
  const std::string what = "backup of " + cluster + "/" + peer + "/" + slot;
  Status secret = RefusePrivateKey(what, certificate_pem);
  if (!secret.ok()) return secret;
  Result<pki::TimePoint> when = pki::ParseRfc3339Utc(time);
  if (!when.ok()) return when.status().WithContext(what + ": time");
  Result<pki::Certificate> certificate = pki::Certificate::FromPem(certificate_pem);
  if (!certificate.ok()) return certificate.status().WithContext(what);
  Result<std::string> dir = SlotDirectory(state_dir, cluster, peer, slot);
  if (!dir.ok()) return dir.status().WithContext(what);
  Status made = MakeDirectories(*dir, 0700);
  if (!made.ok()) return made;

  std::string fingerprint;
  for (char c : certificate->FingerprintSha256())
    if (c != ':' && fingerprint.size() < 16) fingerprint += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::string name = BasicFormat(pki::FormatRfc3339Utc(*when)) + "-" + fingerprint + ".pem";
  return WriteFileAtomic(*dir + "/" + name, certificate_pem, 0644);
}

Result<std::vector<std::string>> ListBackups(const std::string& state_dir, const std::string& cluster,
                                             const std::string& peer, const std::string& slot) {
  Result<std::string> dir = SlotDirectory(state_dir, cluster, peer, slot);
  if (!dir.ok()) return dir.status();
  Result<std::vector<std::string>> names = ListDirectory(*dir);
  if (!names.ok()) return names.status();
  std::vector<std::string> paths;
  for (const std::string& name : *names)
    if (name.size() > 4 && name.ends_with(".pem")) paths.push_back(*dir + "/" + name);
  // Names start with the time in a fixed-width form: reverse order is newest first.
  std::sort(paths.rbegin(), paths.rend());
  return paths;
}

}  // namespace pkiform::state
