#include "state/history.h"

#include <catch2/catch.hpp>
#include <string>

#include "state/atomic_file.h"
#include "tests/state/state_test_support.h"
#include "tests/support/temp_dir.h"

namespace pkiform::state {
namespace {

using pkiform::testing::TempDir;
using testing::Child;
using testing::Contains;
using testing::ModeOf;
using testing::Must;
using testing::MustOk;

HistoryEntry Entry(const std::string& detail) {
  HistoryEntry e;
  e.time = "2026-11-22T13:00:00Z";
  e.user = "alice";
  e.manifest_commit = "0123456789abcdef0123456789abcdef01234567";
  e.command = "apply";
  e.cluster = "expressway-emea";
  e.peer = "vcs1.emea.example.com";
  e.address = "cluster.expressway-emea.peer[vcs1.emea.example.com].identity[server]";
  e.action = "replace";
  e.before_fingerprint = "AB:CD";
  e.after_fingerprint = "EF:01";
  e.outcome = "applied";
  e.detail = detail;
  return e;
}

TEST_CASE("history entries read back in the order they were appended", "[state]") {
  TempDir dir;
  const std::string state_dir = dir.path().string();
  CHECK(Must(ReadHistory(state_dir)).empty());

  HistoryEntry first = Entry("installed");
  HistoryEntry second = Entry("line one\nline two, \"quoted\", tab\t, caf\xc3\xa9");
  second.command = "reconcile";
  second.outcome = "rolled-back";
  second.manifest_commit = "";
  HistoryEntry third = Entry("restart failed");
  third.outcome = "failed";
  for (const HistoryEntry& e : {first, second, third}) MustOk(AppendHistory(state_dir, e));

  CHECK(Must(ReadHistory(state_dir)) == std::vector<HistoryEntry>{first, second, third});
  const std::string text = Must(ReadFile(state_dir + "/history.jsonl"));
  CHECK(std::count(text.begin(), text.end(), '\n') == 3);  // the newline in `detail` is escaped
  CHECK(text.starts_with("{\"time\":\"2026-11-22T13:00:00Z\",\"user\":\"alice\",\"manifest_commit\":"));
  CHECK(ModeOf(state_dir + "/history.jsonl") == 0600);
}

TEST_CASE("history refuses entries with a bad time, command or outcome", "[state]") {
  TempDir dir;
  HistoryEntry bad_time = Entry("x");
  bad_time.time = "yesterday";
  HistoryEntry bad_command = Entry("x");
  bad_command.command = "destroy";
  HistoryEntry bad_outcome = Entry("x");
  bad_outcome.outcome = "ok";
  for (const HistoryEntry& e : {bad_time, bad_command, bad_outcome}) {
    CHECK(AppendHistory(dir.path().string(), e).code() == Status::Code::kInvalidInput);
  }
  CHECK(Must(ReadHistory(dir.path().string())).empty());
}

TEST_CASE("a malformed history line is an error naming its line number", "[state]") {
  TempDir dir;
  const std::string state_dir = dir.path().string();
  MustOk(AppendHistory(state_dir, Entry("one")));
  MustOk(AppendHistory(state_dir, Entry("two")));
  SECTION("not JSON") {
    MustOk(AppendLineToFile(state_dir + "/history.jsonl", "{not json", 0600));
    MustOk(AppendHistory(state_dir, Entry("four")));
    const Result<std::vector<HistoryEntry>> read = ReadHistory(state_dir);
    REQUIRE_FALSE(read.ok());
    CHECK(Contains(read.status().message(), "history.jsonl:3: malformed history line: not JSON"));
  }
  SECTION("a field is missing or not a string") {
    MustOk(AppendLineToFile(state_dir + "/history.jsonl", R"({"time":"2026-11-22T13:00:00Z"})", 0600));
    CHECK(Contains(ReadHistory(state_dir).status().message(), "history.jsonl:3: malformed history line: no \"user\""));
  }
  SECTION("an empty line") {
    MustOk(AppendLineToFile(state_dir + "/history.jsonl", "", 0600));
    CHECK(Contains(ReadHistory(state_dir).status().message(), "history.jsonl:3: malformed"));
  }
}

TEST_CASE("a last history line without its newline is not an entry yet", "[state]") {
  TempDir dir;
  const std::string state_dir = dir.path().string();
  MustOk(AppendHistory(state_dir, Entry("one")));
  const std::string text = Must(ReadFile(state_dir + "/history.jsonl"));
  MustOk(WriteFileAtomic(state_dir + "/history.jsonl", text + "{\"time\":\"2026-", 0600));
  CHECK(Must(ReadHistory(state_dir)) == std::vector<HistoryEntry>{Entry("one")});
  // The next append starts on a line of its own; the torn line is then reported.
  MustOk(AppendHistory(state_dir, Entry("three")));
  CHECK(Contains(ReadHistory(state_dir).status().message(), "history.jsonl:2: malformed history line: not JSON"));
}

TEST_CASE("history appends from two processes at once keep every line whole and in order", "[state]") {
  TempDir dir;
  const std::string state_dir = dir.path().string();
  constexpr int kPerProcess = 200;
  auto writer = [&](const std::string& name) {
    return [=] {
      for (int i = 0; i < kPerProcess; ++i) {
        // A long detail makes a torn or interleaved write visible.
        if (!AppendHistory(state_dir, Entry(name + " " + std::to_string(i) + " " + std::string(2000, name[0]))).ok()) {
          return 1;
        }
      }
      return 0;
    };
  };
  Child a(writer("a"));
  Child b(writer("b"));
  CHECK(a.Wait() == 0);
  CHECK(b.Wait() == 0);

  const std::vector<HistoryEntry> entries = Must(ReadHistory(state_dir));
  REQUIRE(entries.size() == 2 * kPerProcess);
  int next_a = 0, next_b = 0;
  for (const HistoryEntry& e : entries) {
    const std::string name = e.detail.substr(0, 1);
    int& next = name == "a" ? next_a : next_b;
    REQUIRE(e.detail == name + " " + std::to_string(next) + " " + std::string(2000, name[0]));
    ++next;
  }
  CHECK(next_a == kPerProcess);
  CHECK(next_b == kPerProcess);
}

}  // namespace
}  // namespace pkiform::state
