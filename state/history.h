// The history: an append-only record of what pkiform did to the fleet, one JSON
// object per line in <state_dir>/history.jsonl, oldest first. Entries are never
// rewritten; the file answers "who changed this certificate, when, from which
// manifest commit, and did it work".
//
// HistoryEntry is the state (plain data); AppendHistory and ReadHistory are the
// store that writes and reads it.
#pragma once

#include <string>
#include <vector>

#include "reconciler/util/result.h"
#include "state/manifest_commit.h"  // ManifestCommit() fills HistoryEntry::manifest_commit

namespace pkiform::state {

struct HistoryEntry {
  std::string time;             // RFC 3339 UTC, "2026-11-22T13:00:00Z"
  std::string user;             // who ran pkiform
  std::string manifest_commit;  // git HEAD of the manifest repository, "" when it is not one
  std::string command;          // plan | apply | reconcile
  std::string cluster, peer;
  std::string address;  // the change address, as in the plan
  std::string action;   // the plan's action
  std::string before_fingerprint, after_fingerprint;
  std::string outcome;  // applied | requested (handed to an external issuer) | failed | rolled-back
  std::string detail;   // for people: the error, or what was done

  bool operator==(const HistoryEntry&) const = default;
};

// Appends `entry` as one line of <state_dir>/history.jsonl (created 0600), with a
// single write(2) on a file opened O_APPEND under flock, then fsync: concurrent
// appends from several processes never interleave. Refuses an entry whose time is not RFC 3339
// UTC or whose command or outcome is not one of the values above.
Status AppendHistory(const std::string& state_dir, const HistoryEntry& entry);

// Every entry, oldest first; empty when there is no history yet. A line that is not
// a JSON object with every field as a string is an error naming its line number.
// Fields this version does not know are ignored. A last line without "\n" is not
// an entry yet (another run is appending it, or a crash tore it) and is skipped.
Result<std::vector<HistoryEntry>> ReadHistory(const std::string& state_dir);

}  // namespace pkiform::state
