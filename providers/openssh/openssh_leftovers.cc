// OpensshProvider: RemoveLeftoverBackups, the removal of backup files that an
// interrupted apply left next to a slot's files (slot_files.h BackupPathsOf), and
// of the temporary files of an upload it was killed in (IsLeftoverUploadOf).
#include <algorithm>

#include "providers/openssh/identity_scripts.h"
#include "providers/openssh/openssh_provider.h"
#include "providers/openssh/remote_script.h"

namespace pkiform::openssh {

Status OpensshProvider::RemoveLeftoverBackups(const std::string& name, const std::vector<std::string>& files) {
  const std::string step = "remove leftover backups";
  auto slot = SlotNamed(name, step);
  if (!slot.ok()) return slot.status();
  if (files.empty()) return Status::InvalidInput(Where(name, step) + ": no files named");
  // A plan file is input like any other: only pkiform's own backup names of this slot are ever removed.
  const std::vector<std::string> allowed = BackupPathsOf(slot->files);
  for (const auto& f : files)
    if (std::find(allowed.begin(), allowed.end(), f) == allowed.end() && !IsLeftoverUploadOf(slot->files, f))
      return Status::InvalidInput(Where(name, step) + ": '" + f + "' is not a backup or temporary upload of this slot's files; refused");
  auto run = RunScript(session_, BuildDiscardScript(files));
  if (!run.ok()) return Fail(name, step, run.status());
  if (run->exitStatus != 0)
    return Status::Failed(Where(name, step) + ": exit status " + std::to_string(run->exitStatus) + ": " +
                          StderrTail(run->err));
  return Status::Ok();
}

}  // namespace pkiform::openssh
