#include "providers/openssh/slot_files.h"

#include "providers/ssh/remote_files.h"

#include <algorithm>
#include <cctype>

namespace pkiform::openssh {
namespace {

// Names as useradd accepts them, or a number; never anything a shell or chown could misread.
bool IsAccountName(const std::string& name) {
  if (name.empty() || name.size() > 64 || name[0] == '-') return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.') return false;
  }
  return true;
}

}  // namespace

std::vector<std::string> SlotFileSet::All() const {
  std::vector<std::string> files;
  for (const std::string* f : {&certificate, &chain, &fullchain, &private_key})
    if (!f->empty()) files.push_back(*f);
  return files;
}

Status CheckRemoteFilePath(const std::string& path) {
  if (path.empty() || path[0] != '/') return Status::InvalidInput("'" + path + "' is not an absolute path");
  if (path.find('\0') != std::string::npos) return Status::InvalidInput("a path holds a NUL byte");
  if (path.back() == '/') return Status::InvalidInput("'" + path + "' names a directory, not a file");
  return Status::Ok();
}

std::optional<int> ParseFileMode(std::string_view text) {
  if (text.size() == 4 && text[0] == '0') text.remove_prefix(1);
  if (text.size() != 3) return std::nullopt;
  int mode = 0;
  for (char c : text) {
    if (c < '0' || c > '7') return std::nullopt;
    mode = mode * 8 + (c - '0');
  }
  return mode;
}

Result<SlotFileSet> SlotFilesOf(const IdentitySlot& slot) {
  if (!slot.files) return Status::InvalidInput("the slot names no files");
  const SlotFiles& f = *slot.files;
  SlotFileSet set;
  set.certificate = f.certificate;
  set.chain = f.chain;
  set.fullchain = f.fullchain;
  set.private_key = f.private_key;
  if (set.certificate.empty()) return Status::InvalidInput("the slot names no certificate file");
  for (const auto& path : set.All()) {
    Status s = CheckRemoteFilePath(path);
    if (!s.ok()) return s;
  }
  if (!f.mode.empty()) {
    auto mode = ParseFileMode(f.mode);
    if (!mode) return Status::InvalidInput("invalid file mode '" + f.mode + "' (expected octal such as 0644)");
    set.certificate_mode = *mode;
  }
  if (!f.owner.empty() && !IsAccountName(f.owner)) return Status::InvalidInput("invalid owner '" + f.owner + "'");
  if (!f.group.empty() && !IsAccountName(f.group)) return Status::InvalidInput("invalid group '" + f.group + "'");
  set.owner = f.owner;
  set.group = f.group;
  return set;
}

std::string BackupPathOf(const std::string& file) { return file + ".pkiform-backup"; }
std::string BackupTempPathOf(const std::string& file) { return BackupPathOf(file) + ".tmp"; }

std::vector<std::string> BackupPathsOf(const SlotFileSet& files) {
  std::vector<std::string> paths;
  for (const auto& f : files.All())
    for (const std::string& p : {BackupPathOf(f), BackupTempPathOf(f)})
      if (std::find(paths.begin(), paths.end(), p) == paths.end()) paths.push_back(p);
  return paths;
}
bool IsLeftoverUploadOf(const SlotFileSet& files, const std::string& path) {
  const auto all = files.All();
  return std::any_of(all.begin(), all.end(), [&](const std::string& f) { return ssh::IsUploadTempNameOf(f, path); });
}
std::string PendingKeyPathOf(const std::string& privateKey) { return privateKey + ".pkiform-new"; }
std::string PendingCsrPathOf(const std::string& privateKey) { return privateKey + ".pkiform-new.csr"; }

}  // namespace pkiform::openssh
