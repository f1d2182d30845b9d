#include "state/run_lock.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <unistd.h>

#include "state/atomic_file.h"
#include "tests/state/state_test_support.h"
#include "tests/support/temp_dir.h"

namespace pkiform::state {
namespace {

using namespace std::chrono_literals;
using pkiform::testing::TempDir;
using testing::Child;
using testing::Contains;
using testing::ModeOf;
using testing::Must;
using testing::Signal;

using SteadyClock = std::chrono::steady_clock;

const std::string kHeld = "another pkiform run holds the state lock (pid ";
const std::string kAdvice = "); wait for it or pass --lock-timeout";

TEST_CASE("a second RunLock in the same process is refused at once, naming the holder", "[state]") {
  TempDir dir;
  const RunLock held = Must(RunLock::Acquire(dir.path().string(), 0ms));
  const auto start = SteadyClock::now();
  const Result<RunLock> second = RunLock::Acquire(dir.path().string(), 0ms);
  CHECK(SteadyClock::now() - start < 500ms);
  REQUIRE_FALSE(second.ok());
  const std::string& message = second.status().message();
  CHECK(Contains(message, kHeld + std::to_string(::getpid()) + ", user "));
  CHECK(Contains(message, ", since 20"));
  CHECK(message.ends_with(kAdvice));
}

TEST_CASE("the lock file is 0600 and names its holder while held", "[state]") {
  TempDir dir;
  {
    const RunLock held = Must(RunLock::Acquire(dir.path().string(), 0ms));
    CHECK(held.path() == (dir.path() / "lock").string());
    CHECK(ModeOf(held.path()) == 0600);
    CHECK(Contains(Must(ReadFile(held.path())), "\"pid\":" + std::to_string(::getpid())));
  }
  CHECK(Must(ReadFile((dir.path() / "lock").string())).empty());
}

TEST_CASE("another process cannot take the lock while it is held", "[state]") {
  TempDir dir;
  const RunLock held = Must(RunLock::Acquire(dir.path().string(), 0ms));
  const std::string parent = std::to_string(::getpid());
  Child other([&] {
    Result<RunLock> lock = RunLock::Acquire(dir.path().string(), 0ms);
    if (lock.ok()) return 1;
    return Contains(lock.status().message(), kHeld + parent + ",") ? 0 : 2;
  });
  CHECK(other.Wait() == 0);
}

TEST_CASE("a waiting run gets the lock when the holder lets go within the timeout", "[state]") {
  TempDir dir;
  Signal acquired, release;
  Child holder([&] {
    Result<RunLock> lock = RunLock::Acquire(dir.path().string(), 0ms);
    if (!lock.ok()) return 1;
    acquired.Send();
    release.Receive();
    ::usleep(300 * 1000);
    return 0;  // exiting releases the lock
  });
  REQUIRE(acquired.Receive());
  const Result<RunLock> refused = RunLock::Acquire(dir.path().string(), 0ms);
  REQUIRE_FALSE(refused.ok());
  CHECK(Contains(refused.status().message(), kHeld + std::to_string(holder.pid()) + ","));

  release.Send();
  const auto start = SteadyClock::now();
  const Result<RunLock> waited = RunLock::Acquire(dir.path().string(), 10s);
  const auto waited_for = SteadyClock::now() - start;
  INFO(waited.status().ToString());
  CHECK(waited.ok());
  CHECK(waited_for >= 200ms);
  CHECK(waited_for < 5s);
  CHECK(holder.Wait() == 0);
}

TEST_CASE("a waiting run gives up when the timeout passes", "[state]") {
  TempDir dir;
  Signal acquired, release;
  Child holder([&] {
    Result<RunLock> lock = RunLock::Acquire(dir.path().string(), 0ms);
    if (!lock.ok()) return 1;
    acquired.Send();
    release.Receive();
    return 0;
  });
  REQUIRE(acquired.Receive());
  const auto start = SteadyClock::now();
  const Result<RunLock> timed_out = RunLock::Acquire(dir.path().string(), 200ms);
  CHECK(SteadyClock::now() - start >= 200ms);
  REQUIRE_FALSE(timed_out.ok());
  CHECK(Contains(timed_out.status().message(), "still holds the state lock after waiting 200 ms (pid " +
                                                   std::to_string(holder.pid()) + ","));
  release.Send();
  CHECK(holder.Wait() == 0);
}

TEST_CASE("a lock left by a dead process does not block", "[state]") {
  TempDir dir;
  SECTION("the holder was killed") {
    Signal acquired;
    Child holder([&] {
      Result<RunLock> lock = RunLock::Acquire(dir.path().string(), 0ms);
      if (!lock.ok()) return 1;
      acquired.Send();
      ::pause();
      return 0;
    });
    REQUIRE(acquired.Receive());
    ::kill(holder.pid(), SIGKILL);
    CHECK(holder.Wait() == 128 + SIGKILL);
    CHECK(Contains(Must(ReadFile((dir.path() / "lock").string())), "\"pid\""));  // its details are still there
    CHECK(RunLock::Acquire(dir.path().string(), 0ms).ok());
  }
  SECTION("a lock file from another run lies around") {
    dir.Write("lock", R"({"pid":999999,"user":"ghost","host":"gone","since":"2020-01-01T00:00:00Z"})");
    CHECK(RunLock::Acquire(dir.path().string(), 0ms).ok());
  }
}

TEST_CASE("RunLock releases when destroyed and follows moves", "[state]") {
  TempDir dir;
  const std::string state_dir = dir.path().string();
  {
    RunLock first = Must(RunLock::Acquire(state_dir, 0ms));
    RunLock moved = std::move(first);
    CHECK_FALSE(RunLock::Acquire(state_dir, 0ms).ok());
    {
      RunLock target = std::move(moved);
      CHECK_FALSE(RunLock::Acquire(state_dir, 0ms).ok());
    }
    // `target` released it; the moved-from objects hold nothing.
    RunLock again = Must(RunLock::Acquire(state_dir, 0ms));
    TempDir other_dir;
    RunLock other = Must(RunLock::Acquire(other_dir.path().string(), 0ms));
    again = std::move(other);  // releases the first directory's lock
    CHECK(RunLock::Acquire(state_dir, 0ms).ok());
    CHECK_FALSE(RunLock::Acquire(other_dir.path().string(), 0ms).ok());
  }
}

TEST_CASE("RunLock reports a state directory it cannot use", "[state]") {
  TempDir dir;
  const Result<RunLock> missing = RunLock::Acquire((dir.path() / "missing").string(), 0ms);
  REQUIRE_FALSE(missing.ok());
  CHECK(Contains(missing.status().message(), "missing/lock"));
}

}  // namespace
}  // namespace pkiform::state
