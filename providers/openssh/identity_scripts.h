// The host side of InstallIdentity, RestoreIdentity and DiscardBackup, as
// scripts of one round trip each.
//
// Prepare (the first step of InstallIdentity) refuses before touching anything
// when the owner or group does not exist or when the key that will be in place
// does not belong to the new certificate (checked on the host with openssl, so
// the key never leaves it); then copies each file it will replace to
// `<file>.pkiform-backup` (cp -p, written under a temporary name and renamed,
// umask 077); then, for a key made by GenerateCsr, gives the pending key its
// owner and mode 0600 and renames it over the key. The certificate files come
// afterwards, by SFTP.
//
// A backup left by an earlier, interrupted apply never stands in for the file:
// a file that exists is copied over it (the temporary name removed first, so
// nothing is written through whatever is there), and a file that does not exist
// is reported absent, so a restore removes it rather than bringing the old
// backup back.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "providers/openssh/slot_files.h"
#include "reconciler/util/result.h"

namespace pkiform::openssh {

enum class KeySource {
  kKeep,     // the key file stays; it must match the certificate
  kUpload,   // pkiform uploads the key it generated
  kPending,  // the key GenerateCsr left at <key>.pkiform-new
};

struct PrepareRequest {
  SlotFileSet files;
  KeySource key = KeySource::kKeep;
  std::string certificate_key_digest;  // lowercase hex SHA-256 of the certificate's SubjectPublicKeyInfo
  // The files InstallIdentity replaces (backed up first), in install order.
  std::vector<std::string> replaced;
};

struct PrepareOutcome {
  std::string refusal;             // empty, or why nothing was done (see RefusalMessage)
  std::vector<bool> existed;       // per PrepareRequest::replaced: a backup was made
  std::optional<uint32_t> uid, gid;  // the owner and group, resolved on the host
  bool pending_key_installed = false;
};

std::string BuildPrepareScript(const PrepareRequest& request);

// Reads the output; a failed exit status with no refusal is an error carrying
// the stderr tail.
Result<PrepareOutcome> ReadPrepareOutput(const PrepareRequest& request, int exitStatus, std::string_view out,
                                         std::string_view err);

// A person's words for a refusal code of the prepare script.
std::string RefusalMessage(const PrepareRequest& request, const std::string& refusal);

// Puts files back: for each (backup, target) renames the backup over the
// target; removes each of `created`. Output: `restored` i ok|missing|failed,
// then `removed` j ok|failed.
std::string BuildRestoreScript(const std::vector<std::pair<std::string, std::string>>& restore,
                               const std::vector<std::string>& created);

// Removes the backup copies (DiscardBackup), or the backups an interrupted apply
// left (RemoveLeftoverBackups): `rm -f` of exactly these paths.
std::string BuildDiscardScript(const std::vector<std::string>& backups);

}  // namespace pkiform::openssh
