#include "providers/openssh/trust_store_files.h"

#include <cctype>

#include "providers/openssh/pem_text.h"

namespace pkiform::openssh {

Status CheckStorePath(const std::string& store) {
  if (store.empty() || store[0] != '/') return Status::InvalidInput("'" + store + "' is not an absolute path");
  if (store.find('\0') != std::string::npos) return Status::InvalidInput("the store path holds a NUL byte");
  return Status::Ok();
}

std::string DirectoryEntryNameFor(std::string_view fingerprintSha256) {
  std::string hex = NormalizeFingerprint(fingerprintSha256).substr(0, 16);
  for (char& c : hex) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return "pkiform-" + hex + ".crt";
}

std::string JoinPath(const std::string& dir, const std::string& name) {
  if (!dir.empty() && dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

}  // namespace pkiform::openssh
