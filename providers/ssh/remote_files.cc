#include "providers/ssh/remote_files.h"

#include <algorithm>

namespace pkiform::ssh {

std::string UploadTempPrefixOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
  const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  return dir + "." + name + ".pkiform-tmp-";
}

bool IsUploadTempNameOf(const std::string& path, const std::string& candidate) {
  const std::string prefix = UploadTempPrefixOf(path);
  if (candidate.size() <= prefix.size() || candidate.size() > prefix.size() + kMaxUploadTempSuffix) return false;
  if (candidate.compare(0, prefix.size(), prefix) != 0) return false;
  return std::all_of(candidate.begin() + static_cast<std::ptrdiff_t>(prefix.size()), candidate.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  });
}

Status RemoteFiles::CheckUploadArguments(const std::string& peer, const std::string& remotePath, int mode) {
  if (remotePath.empty() || remotePath.back() == '/') {
    return Status::InvalidInput(peer + ": cannot upload to '" + remotePath + "': not a file path");
  }
  if (remotePath.find('\0') != std::string::npos) {
    return Status::InvalidInput(peer + ": cannot upload to a path that holds a NUL byte");
  }
  if (mode < 0 || mode > 07777) {
    return Status::InvalidInput(peer + ": invalid mode " + std::to_string(mode) + " for " + remotePath);
  }
  return Status::Ok();
}

Status RemoteFiles::TooLarge(const std::string& peer, const std::string& remotePath) const {
  return Status::Failed(peer + ": downloading " + remotePath + ": the file is larger than " +
                        std::to_string(downloadLimit_) + " bytes, the most a download reads; refused");
}

}  // namespace pkiform::ssh
