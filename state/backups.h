// Backups of the public certificates that pkiform replaces, so an operator can see
// (and restore) what an appliance presented before. One file per replaced
// certificate:
//   <state_dir>/backups/<cluster>/<peer>/<slot>/<time>-<fingerprint>.pem   (0644)
// where <time> is the replacement time in ISO 8601 basic form ("20261122T130000Z":
// sorts by time, no ':' in file names) and <fingerprint> the first 16 hex digits of
// the certificate's SHA-256 fingerprint (as in the history's before_fingerprint).
// Private keys are refused: they are never written to the state directory.
#pragma once

#include <string>
#include <vector>

#include "reconciler/util/result.h"

namespace pkiform::state {

// Writes `certificate_pem` (kept byte for byte) as a backup taken at `time`
// (RFC 3339 UTC). Refuses content without a certificate or with a private key.
// Backing up the same certificate at the same time again rewrites the same file.
Status BackupCertificate(const std::string& state_dir, const std::string& cluster, const std::string& peer,
                         const std::string& slot, const std::string& certificate_pem, const std::string& time);

// The backup files of one slot, full paths, newest first; empty when there are none.
Result<std::vector<std::string>> ListBackups(const std::string& state_dir, const std::string& cluster,
                                             const std::string& peer, const std::string& slot);

}  // namespace pkiform::state
