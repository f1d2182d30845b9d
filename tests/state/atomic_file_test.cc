#include "state/atomic_file.h"

#include <catch2/catch.hpp>
#include <string>

#include "tests/state/state_test_support.h"
#include "tests/support/temp_dir.h"

namespace pkiform::state {
namespace {

using pkiform::testing::TempDir;
using testing::AllEntries;
using testing::Child;
using testing::ModeOf;
using testing::Must;
using testing::MustOk;
using testing::ScopedUmask;

TEST_CASE("WriteFileAtomic replaces the whole file and leaves no temporary file", "[state]") {
  TempDir dir;
  const std::string path = (dir.path() / "state.json").string();
  MustOk(WriteFileAtomic(path, "old content", 0600));
  CHECK(Must(ReadFile(path)) == "old content");
  MustOk(WriteFileAtomic(path, "new", 0600));
  CHECK(Must(ReadFile(path)) == "new");
  MustOk(WriteFileAtomic(path, "", 0600));
  CHECK(Must(ReadFile(path)).empty());
  CHECK(AllEntries(dir.path()) == std::vector<std::string>{"state.json"});
}

TEST_CASE("WriteFileAtomic creates the file with exactly the mode asked, even with umask 0", "[state]") {
  TempDir dir;
  ScopedUmask umask(0);
  const std::string secret = (dir.path() / "a").string();
  MustOk(WriteFileAtomic(secret, "x", 0600));
  CHECK(ModeOf(secret) == 0600);
  const std::string shared = (dir.path() / "b").string();
  MustOk(WriteFileAtomic(shared, "x", 0644));
  CHECK(ModeOf(shared) == 0644);
  // Replacing a wider file gives the new file the new mode, not the old one.
  MustOk(WriteFileAtomic(shared, "y", 0600));
  CHECK(ModeOf(shared) == 0600);
}

TEST_CASE("WriteFileAtomic lets the umask narrow the mode but never widens it", "[state]") {
  TempDir dir;
  ScopedUmask umask(077);
  const std::string path = (dir.path() / "a").string();
  MustOk(WriteFileAtomic(path, "x", 0644));
  CHECK(ModeOf(path) == 0600);
}

TEST_CASE("a failed WriteFileAtomic keeps the old content and removes its temporary file", "[state]") {
  TempDir dir;
  // The target is a non-empty directory: the rename fails after the data was written.
  const std::string target = (dir.path() / "target").string();
  dir.Write("target/keep", "old");
  const Status failed = WriteFileAtomic(target, "new", 0600);
  CHECK_FALSE(failed.ok());
  CHECK(testing::Contains(failed.message(), "target"));
  CHECK(AllEntries(dir.path()) == std::vector<std::string>{"target"});
  CHECK(Must(ReadFile(target + "/keep")) == "old");

  const Status no_folder = WriteFileAtomic((dir.path() / "missing/file").string(), "x", 0600);
  CHECK(no_folder.code() == Status::Code::kNotFound);
}

TEST_CASE("a reader never sees a mix of the old and the new content", "[state]") {
  TempDir dir;
  const std::string path = (dir.path() / "big").string();
  const std::string a(256 * 1024, 'a');
  const std::string b(256 * 1024, 'b');
  MustOk(WriteFileAtomic(path, a, 0600));
  Child reader([&] {
    for (int i = 0; i < 300; ++i) {
      Result<std::string> seen = ReadFile(path);
      if (!seen.ok()) return 2;
      if (*seen != a && *seen != b) return 1;
    }
    return 0;
  });
  for (int i = 0; i < 100; ++i) MustOk(WriteFileAtomic(path, i % 2 ? a : b, 0600));
  CHECK(reader.Wait() == 0);
  CHECK(AllEntries(dir.path()) == std::vector<std::string>{"big"});
}

TEST_CASE("ReadFile reports a missing file as NotFound", "[state]") {
  TempDir dir;
  const Result<std::string> missing = ReadFile((dir.path() / "nothing").string());
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == Status::Code::kNotFound);
  CHECK(testing::Contains(missing.status().message(), "nothing"));
}

TEST_CASE("AppendLine keeps a line torn by a crash apart from the next one", "[state]") {
  TempDir dir;
  const std::string path = dir.Write("log", "{\"complete\":1}\n{\"torn");
  MustOk(AppendLineToFile(path, "{\"next\":2}", 0600));
  CHECK(Must(ReadFile(path)) == "{\"complete\":1}\n{\"torn\n{\"next\":2}\n");
  CHECK_FALSE(AppendLineToFile(path, "two\nlines", 0600).ok());
}

TEST_CASE("AppendLineToFile creates the file with the mode asked", "[state]") {
  TempDir dir;
  ScopedUmask umask(0);
  const std::string path = (dir.path() / "log").string();
  MustOk(AppendLineToFile(path, "one", 0600));
  MustOk(AppendLineToFile(path, "two", 0600));
  CHECK(Must(ReadFile(path)) == "one\ntwo\n");
  CHECK(ModeOf(path) == 0600);
}

}  // namespace
}  // namespace pkiform::state
