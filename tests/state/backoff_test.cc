// Backoff of failing peers (state/backoff.h): the delay doubles from 1 h to 32 h, a success
// clears the record, the file round-trips, is 0600, and a broken file is an error naming it.
#include "state/backoff.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "tests/support/must.h"
#include "tests/support/temp_dir.h"

namespace pkiform::state {
namespace {

using pkiform::testing::Must;
using pkiform::testing::MustOk;
using pkiform::testing::TempDir;

pki::TimePoint At(const char* text) { return Must(pki::ParseRfc3339Utc(text)); }

TEST_CASE("backoff doubles from 1 h to 32 h", "[backoff]") {
  using std::chrono::hours;
  CHECK(BackoffRecords::Delay(1) == hours(1));
  CHECK(BackoffRecords::Delay(2) == hours(2));
  CHECK(BackoffRecords::Delay(5) == hours(16));
  CHECK(BackoffRecords::Delay(6) == hours(32));
  CHECK(BackoffRecords::Delay(40) == hours(32));
}

TEST_CASE("a failing peer waits, then is retried; a success clears it", "[backoff]") {
  BackoffRecords r;
  r.RecordFailure("web/web1", At("2026-12-06T10:00:00Z"), "connection refused");
  CHECK(r.Waiting("web/web1", At("2026-12-06T10:59:59Z")) != nullptr);
  CHECK(r.Waiting("web/web1", At("2026-12-06T11:00:00Z")) == nullptr);
  CHECK(r.Waiting("web/web2", At("2026-12-06T10:30:00Z")) == nullptr);
  r.RecordFailure("web/web1", At("2026-12-06T11:00:00Z"), "still refused");
  const BackoffEntry& e = r.peers.at("web/web1");
  CHECK(e.failures == 2);
  CHECK(e.next_attempt == "2026-12-06T13:00:00Z");
  CHECK(e.last_error == "still refused");
  r.RecordSuccess("web/web1");
  CHECK(r.peers.empty());
}

TEST_CASE("the error kept is bounded and never ends in half a character", "[backoff]") {
  BackoffRecords r;
  const std::string long_error = std::string(kBackoffErrorBytes - 1, 'x') + "\xc3\xa9" + "tail";
  r.RecordFailure("c/p", At("2026-12-06T10:00:00Z"), long_error);
  CHECK(r.peers.at("c/p").last_error == std::string(kBackoffErrorBytes - 1, 'x'));
}

TEST_CASE("backoff.json round-trips, 0600; missing is empty; broken names the file", "[backoff]") {
  TempDir dir;
  const std::string d = dir.path().string();
  CHECK(Must(ReadBackoff(d)).peers.empty());
  BackoffRecords r;
  r.RecordFailure("web/web1.example.com", At("2026-12-06T10:00:00Z"), "refused \"quoted\"\n");
  MustOk(WriteBackoff(d, r));
  struct stat st {};
  REQUIRE(::stat((d + "/backoff.json").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  const BackoffRecords back = Must(ReadBackoff(d));
  REQUIRE(back.peers.count("web/web1.example.com") == 1);
  CHECK(back.peers.at("web/web1.example.com").last_error == "refused \"quoted\"\n");
  CHECK(back.peers.at("web/web1.example.com").next_attempt == "2026-12-06T11:00:00Z");

  for (const char* broken : {"not json", "{\"peers\": []}", "{\"peers\": {\"a/b\": {\"failures\": 0}}}",
                             "{\"peers\": {\"a/b\": {\"failures\": 1, \"last_failure\": \"x\", "
                             "\"next_attempt\": \"2026-12-06T11:00:00Z\", \"last_error\": \"\"}}}"}) {
    dir.Write("backoff.json", broken);
    auto read = ReadBackoff(d);
    INFO(broken);
    REQUIRE_FALSE(read.ok());
    CHECK(read.status().message().find("backoff.json") != std::string::npos);
  }
}

}  // namespace
}  // namespace pkiform::state
