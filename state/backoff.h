// Backoff of peers that failed (issue 12): `reconcile` retries a peer whose observation or
// apply failed only after a delay that doubles with each failure in a row, 1 h, 2 h, ...
// capped at 32 h (as cert-manager backs off failed issuance), so that a broken appliance is
// not hammered every few minutes by a timer, and people see how long it has been failing.
// A success clears the record. `--ignore-backoff` retries at once.
//
//   <state_dir>/backoff.json   {"peers": {"<cluster>/<peer>": {"failures": N, "last_failure": T,
//                                          "next_attempt": T, "last_error": "..."}}}   (0600)
//
// Times are RFC 3339 UTC. The file is replaced whole and atomically; it is read bounded and
// checked field by field (a broken file is an error that names it, never a crash). The
// error text comes from appliances: kept bounded, escaped wherever it is printed.
#pragma once

#include <chrono>
#include <map>
#include <string>

#include "reconciler/pki/clock.h"
#include "reconciler/util/result.h"

namespace pkiform::state {

struct BackoffEntry {
  int failures = 0;  // failures in a row
  std::string last_failure;
  std::string next_attempt;
  std::string last_error;
};

struct BackoffRecords {
  std::map<std::string, BackoffEntry> peers;  // by "cluster/peer"

  // The delay after `failures` failures in a row: 1 h doubling, at most 32 h.
  static std::chrono::seconds Delay(int failures);
  void RecordFailure(const std::string& peer, pki::TimePoint now, const std::string& error);
  void RecordSuccess(const std::string& peer) { peers.erase(peer); }
  // The entry of a peer whose next attempt is still to come at `now`; null otherwise.
  const BackoffEntry* Waiting(const std::string& peer, pki::TimePoint now) const;
};

inline constexpr size_t kBackoffErrorBytes = 1024;
inline constexpr size_t kBackoffFileBytes = 16u << 20;

// Empty records when the file does not exist.
Result<BackoffRecords> ReadBackoff(const std::string& state_dir);
Status WriteBackoff(const std::string& state_dir, const BackoffRecords& records);

}  // namespace pkiform::state
