// `--shard i/n`: one of n runs that share a fleet between them by cluster. A cluster's
// shard is a stable hash of its name (the first 8 bytes of its SHA-256, modulo n), so it
// stays in the same shard from run to run and machine to machine whatever else the
// repository holds; peers of one cluster are never split (they roll one at a time).
// Shards are numbered from 1 (GitLab's CI_NODE_INDEX; a Kubernetes Indexed Job adds 1 to
// JOB_COMPLETION_INDEX). Each shard keeps its own state directory, <state-dir>/shard-i-of-n,
// with its own run lock, history and backoff.
#pragma once

#include <string>
#include <string_view>

#include "reconciler/util/result.h"

namespace pkiform::cli {

struct Shard {
  int index = 1;  // 1..count
  int count = 1;

  bool Holds(std::string_view cluster_name) const;
  // "shard-2-of-4"
  std::string StateDirName() const;
};

inline constexpr int kMaxShards = 4096;

// "i/n" with 1 <= i <= n <= kMaxShards; the error says what is expected.
Result<Shard> ParseShard(std::string_view text);

}  // namespace pkiform::cli
