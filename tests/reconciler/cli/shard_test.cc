// --shard i/n (cli/shard.h): every cluster falls in exactly one shard, the same one on every
// run, and malformed shards are refused with what is expected.
#include "reconciler/cli/shard.h"

#include <catch2/catch.hpp>

#include "tests/support/must.h"

namespace pkiform::cli {
namespace {

using pkiform::testing::Must;

TEST_CASE("shards together hold every cluster exactly once", "[shard]") {
  for (int n : {1, 2, 3, 7}) {
    std::vector<int> per_shard(static_cast<size_t>(n), 0);
    for (int c = 0; c < 500; ++c) {
      const std::string name = "cluster-" + std::to_string(c);
      int holders = 0;
      for (int i = 1; i <= n; ++i)
        if (Shard{i, n}.Holds(name)) {
          ++holders;
          ++per_shard[static_cast<size_t>(i - 1)];
        }
      INFO(name << " in " << n << " shards");
      CHECK(holders == 1);
    }
    for (int count : per_shard) CHECK(count > 500 / n / 2);  // spread, not all in one
  }
}

TEST_CASE("a cluster's shard is stable: the hash of its name, not of the run", "[shard]") {
  // SHA-256("web-eu") begins f912b884ca9eacb5, which is 1 modulo 2: shard 2 of 2. Pinned, so
  // that a change of hash (which would move clusters between shards) does not pass unnoticed.
  const Shard a = Must(ParseShard("1/2")), b = Must(ParseShard("2/2"));
  CHECK_FALSE(a.Holds("web-eu"));
  CHECK(b.Holds("web-eu"));
  CHECK(Shard{1, 2}.Holds("web-eu") == Shard{1, 2}.Holds("web-eu"));
  CHECK(Must(ParseShard("3/4")).StateDirName() == "shard-3-of-4");
}

TEST_CASE("malformed shards are refused", "[shard]") {
  for (const char* bad : {"", "1", "0/2", "3/2", "1/0", "a/b", "1/2/3", "-1/2", "1/5000", " 1/2", "1/99999"}) {
    INFO(bad);
    auto s = ParseShard(bad);
    REQUIRE_FALSE(s.ok());
    CHECK(s.status().message().find("expected i/n") != std::string::npos);
  }
  CHECK(Must(ParseShard("4096/4096")).index == 4096);
}

}  // namespace
}  // namespace pkiform::cli
