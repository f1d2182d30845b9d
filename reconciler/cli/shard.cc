// Shards by cluster (shard.h).
#include "reconciler/cli/shard.h"

#include <charconv>

#include "reconciler/pki/digest.h"

namespace pkiform::cli {
namespace {

bool ParseNumber(std::string_view text, int& out) {
  if (text.empty() || text.size() > 4) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  return std::from_chars(text.data(), text.data() + text.size(), out).ec == std::errc();
}

}  // namespace

bool Shard::Holds(std::string_view cluster_name) const {
  const std::string hex = pki::Sha256Hex(cluster_name);
  const unsigned long long h = std::stoull(hex.substr(0, 16), nullptr, 16);
  return static_cast<int>(h % static_cast<unsigned long long>(count)) == index - 1;
}

std::string Shard::StateDirName() const {
  return "shard-" + std::to_string(index) + "-of-" + std::to_string(count);
}

Result<Shard> ParseShard(std::string_view text) {
  const size_t slash = text.find('/');
  Shard s;
  if (slash == std::string_view::npos || !ParseNumber(text.substr(0, slash), s.index) ||
      !ParseNumber(text.substr(slash + 1), s.count) || s.count < 1 || s.count > kMaxShards || s.index < 1 ||
      s.index > s.count)
    return Status::InvalidInput("--shard '" + std::string(text.substr(0, 32)) +
                                "': expected i/n with 1 <= i <= n <= " + std::to_string(kMaxShards) +
                                " (shards are numbered from 1)");
  return s;
}

}  // namespace pkiform::cli
