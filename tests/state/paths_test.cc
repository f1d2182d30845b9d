#include "state/paths.h"

#include <catch2/catch.hpp>
#include <string>

#include "tests/state/state_test_support.h"
#include "tests/support/temp_dir.h"

namespace pkiform::state {
namespace {

using pkiform::testing::TempDir;
using testing::ModeOf;
using testing::Must;
using testing::MustOk;
using testing::ScopedUmask;

TEST_CASE("names from manifests must be single, visible path components", "[state]") {
  for (const char* good : {"vcs1.emea.example.com", "expressway-emea", "tomcat", "CallManager", "corp-ca", "a"}) {
    INFO(good);
    CHECK(CheckPathComponent("peer", good).ok());
  }
  const std::vector<std::string> bad_names = {"",       ".",      "..",      "../etc",
                                              "a/b",    "/abs",   ".hidden", std::string("nul\0x", 5),
                                              std::string(256, 'x')};
  for (const std::string& bad : bad_names) {
    INFO(bad);
    const Status s = CheckPathComponent("peer", bad);
    CHECK(s.code() == Status::Code::kInvalidInput);
    CHECK(testing::Contains(s.message(), "peer"));
  }
}

TEST_CASE("MakeDirectories creates every missing level with the mode asked", "[state]") {
  TempDir dir;
  ScopedUmask umask(0);
  const std::string deep = (dir.path() / "a/b/c").string();
  MustOk(MakeDirectories(deep, 0700));
  CHECK(ModeOf(dir.path() / "a") == 0700);
  CHECK(ModeOf(deep) == 0700);
  MustOk(MakeDirectories(deep + "/", 0700));  // existing: fine
  dir.Write("file", "x");
  const Status blocked = MakeDirectories((dir.path() / "file/sub").string(), 0700);
  CHECK(blocked.code() == Status::Code::kInvalidInput);
  CHECK(testing::Contains(blocked.message(), "is not a directory"));
}

TEST_CASE("ListDirectory lists visible names sorted; a missing folder is empty", "[state]") {
  TempDir dir;
  dir.Write("b", "");
  dir.Write("a", "");
  dir.Write(".tmp", "");
  CHECK(Must(ListDirectory(dir.path().string())) == std::vector<std::string>{"a", "b"});
  CHECK(Must(ListDirectory((dir.path() / "missing").string())).empty());
}

}  // namespace
}  // namespace pkiform::state
