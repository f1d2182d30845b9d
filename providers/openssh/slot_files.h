// The files of an openssh identity slot on the host, checked once, and the names
// pkiform gives its own files next to them: the backups InstallIdentity makes
// (`<file>.pkiform-backup`, written as `<file>.pkiform-backup.tmp` first), the
// key GenerateCsr makes (`<key>.pkiform-new`) and the CSR that goes with it
// (`<key>.pkiform-new.csr`, public).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "reconciler/manifest/model.h"
#include "reconciler/util/result.h"

namespace pkiform::openssh {

struct SlotFileSet {
  // Absolute paths; empty when the slot does not name that file.
  std::string certificate, chain, fullchain, private_key;
  std::string owner, group;  // user and group names or numbers; empty: leave as created
  int certificate_mode = 0644;  // certificate, chain and fullchain; the key is always 0600

  // The configured files, in the order certificate, chain, fullchain, private key.
  std::vector<std::string> All() const;
};

inline constexpr int kPrivateKeyMode = 0600;

// The slot's files, or InvalidInput when the slot names none, or a path that is
// not absolute, or a mode or owner that cannot be used.
Result<SlotFileSet> SlotFilesOf(const IdentitySlot& slot);

// "0640" or "640" -> 0640; nullopt for anything else.
std::optional<int> ParseFileMode(std::string_view text);

// Absolute, no NUL byte, not a directory name.
Status CheckRemoteFilePath(const std::string& path);

std::string BackupPathOf(const std::string& file);
std::string BackupTempPathOf(const std::string& file);
// Every name a backup of the slot's files can have, both kinds per file, in the
// order of All(), each once. An apply that completes leaves none of them; one
// killed between its backups and DiscardBackup can leave any.
std::vector<std::string> BackupPathsOf(const SlotFileSet& files);
// Whether `path` is a temporary upload name of one of the slot's files
// (ssh::IsUploadTempNameOf): what an apply killed during an upload leaves. Such
// names carry a random part, so observe lists them by pattern (observation.cc).
bool IsLeftoverUploadOf(const SlotFileSet& files, const std::string& path);
std::string PendingKeyPathOf(const std::string& privateKey);
std::string PendingCsrPathOf(const std::string& privateKey);

}  // namespace pkiform::openssh
