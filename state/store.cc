#include "state/store.h"

#include <sys/stat.h>

#include "state/paths.h"

namespace pkiform::state {

Result<StateStore> StateStore::Open(const std::string& state_dir) {
  if (state_dir.empty()) return Status::InvalidInput("--state-dir is empty");
  struct stat st {};
  if (::stat(state_dir.c_str(), &st) == 0 && !S_ISDIR(st.st_mode)) {
    return Status::InvalidInput("state directory " + state_dir + " exists and is not a directory");
  }
  Status made = MakeDirectories(state_dir, 0700);
  if (!made.ok()) return made.WithContext("state directory");
  return StateStore(state_dir);
}

}  // namespace pkiform::state
