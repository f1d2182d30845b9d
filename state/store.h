// StateStore: the state directory of one pkiform run (--state-dir, default
// ./.pkiform/), opened once and handed to the code that records what a run did.
// It only bundles the directory with the store functions of each kind of state;
// the state types themselves (HistoryEntry, PendingRequest, ...) live in their own
// headers, and each function there can also be called with the directory.
//
//   <state_dir>/              0700
//     lock                    run_lock.h
//     history.jsonl           history.h
//     backups/                backups.h
//     requests/               pending_requests.h (the CSRs go to the repository)
//     serials/                ca_serials.h
//
// Nothing secret is ever written here: no private key, no passphrase.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "reconciler/util/result.h"
#include "state/backups.h"
#include "state/ca_serials.h"
#include "state/history.h"
#include "state/pending_requests.h"
#include "state/run_lock.h"

namespace pkiform::state {

class StateStore {
 public:
  // Creates `state_dir` (and missing parents) with mode 0700 when it does not
  // exist; refuses a path that exists and is not a directory.
  static Result<StateStore> Open(const std::string& state_dir);

  const std::string& dir() const { return dir_; }

  // See RunLock::Acquire.
  Result<RunLock> Lock(std::chrono::milliseconds wait) const { return RunLock::Acquire(dir_, wait); }

  Status AppendHistory(const HistoryEntry& entry) const { return state::AppendHistory(dir_, entry); }
  Result<std::vector<HistoryEntry>> ReadHistory() const { return state::ReadHistory(dir_); }

  Status BackupCertificate(const std::string& cluster, const std::string& peer, const std::string& slot,
                           const std::string& certificate_pem, const std::string& time) const {
    return state::BackupCertificate(dir_, cluster, peer, slot, certificate_pem, time);
  }
  Result<std::vector<std::string>> ListBackups(const std::string& cluster, const std::string& peer,
                                               const std::string& slot) const {
    return state::ListBackups(dir_, cluster, peer, slot);
  }

  // `requests_dir`: the repository folder of the external issuer (`external.requests`).
  Status SavePendingRequest(const std::string& requests_dir, const PendingRequest& request) const {
    return state::SavePendingRequest(dir_, requests_dir, request);
  }
  Result<std::vector<PendingRequest>> ListPendingRequests() const { return state::ListPendingRequests(dir_); }
  Result<std::optional<PendingRequest>> FindPendingRequest(const std::string& cluster, const std::string& peer,
                                                           const std::string& slot) const {
    return state::FindPendingRequest(dir_, cluster, peer, slot);
  }
  Status RemovePendingRequest(const std::string& requests_dir, const std::string& cluster, const std::string& peer,
                              const std::string& slot) const {
    return state::RemovePendingRequest(dir_, requests_dir, cluster, peer, slot);
  }

  Result<std::string> NextSerial(const std::string& issuer_name) const { return state::NextSerial(dir_, issuer_name); }
  Result<bool> SerialIssued(const std::string& issuer_name, const std::string& serial) const {
    return state::SerialIssued(dir_, issuer_name, serial);
  }

 private:
  explicit StateStore(std::string dir) : dir_(std::move(dir)) {}
  std::string dir_;
};

}  // namespace pkiform::state
