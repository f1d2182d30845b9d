#include "providers/ssh/remote_files.h"

namespace pkiform::ssh {

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
