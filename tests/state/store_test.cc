#include "state/store.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "tests/reconciler/pki/pki_test_support.h"
#include "tests/state/state_test_support.h"
#include "tests/support/temp_dir.h"

namespace pkiform::state {
namespace {

using namespace std::chrono_literals;
using pkiform::testing::TempDir;
using testing::Contains;
using testing::ModeOf;
using testing::Must;
using testing::MustOk;
using testing::ScopedUmask;

TEST_CASE("StateStore::Open creates a missing state directory with mode 0700", "[state]") {
  TempDir dir;
  ScopedUmask umask(0);
  const std::string state_dir = (dir.path() / "work/.pkiform").string();
  const StateStore store = Must(StateStore::Open(state_dir));
  CHECK(store.dir() == state_dir);
  CHECK(std::filesystem::is_directory(state_dir));
  CHECK(ModeOf(state_dir) == 0700);
  CHECK(ModeOf(dir.path() / "work") == 0700);
  CHECK(Must(StateStore::Open(state_dir)).dir() == state_dir);  // an existing one opens as it is
}

TEST_CASE("StateStore::Open refuses a path that exists and is not a directory", "[state]") {
  TempDir dir;
  const std::string file = dir.Write("state", "not a folder");
  const Result<StateStore> refused = StateStore::Open(file);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == Status::Code::kInvalidInput);
  CHECK(refused.status().message() == "state directory " + file + " exists and is not a directory");
  CHECK_FALSE(StateStore::Open(file + "/below").ok());
  CHECK_FALSE(StateStore::Open("").ok());
}

TEST_CASE("StateStore reads and writes every kind of state in its directory", "[state]") {
  TempDir dir, repo;
  const StateStore store = Must(StateStore::Open((dir.path() / "state").string()));
  {
    const RunLock lock = Must(store.Lock(0ms));
    CHECK_FALSE(store.Lock(0ms).ok());
  }
  CHECK(store.Lock(0ms).ok());

  HistoryEntry entry;
  entry.time = "2026-11-22T13:00:00Z";
  entry.command = "plan";
  entry.outcome = "applied";
  MustOk(store.AppendHistory(entry));
  CHECK(Must(store.ReadHistory()) == std::vector<HistoryEntry>{entry});

  const pki::testing::TestPki& pki = pki::testing::SharedPki();
  MustOk(store.BackupCertificate("c", "p", "s", pki.leaf.ToPem(), "2026-11-22T13:00:00Z"));
  CHECK(Must(store.ListBackups("c", "p", "s")).size() == 1);

  const PendingRequest request{"c", "p", "s", "partner-ca", pki::testing::CsrFor("p", pki.leafKey).ToPem(),
                               "2026-11-22T13:00:00Z"};
  const std::string requests = (repo.path() / "requests").string();
  MustOk(store.SavePendingRequest(requests, request));
  CHECK(Must(store.ListPendingRequests()) == std::vector<PendingRequest>{request});
  CHECK(Must(store.FindPendingRequest("c", "p", "s")) == request);
  MustOk(store.RemovePendingRequest(requests, "c", "p", "s"));
  CHECK(Must(store.ListPendingRequests()).empty());

  const std::string serial = Must(store.NextSerial("corp-ca"));
  CHECK(Must(store.SerialIssued("corp-ca", serial)));

  for (const char* name : {"lock", "history.jsonl", "backups", "requests", "serials"}) {
    INFO(name);
    CHECK(std::filesystem::exists(dir.path() / "state" / name));
  }
}

}  // namespace
}  // namespace pkiform::state
