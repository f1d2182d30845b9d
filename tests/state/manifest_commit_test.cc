#include "state/manifest_commit.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "reconciler/util/input_limits.h"

#include "tests/support/temp_dir.h"

namespace pkiform::state {
namespace {

using pkiform::testing::TempDir;

const std::string kMain = "1111111111111111111111111111111111111111";
const std::string kOther = "2222222222222222222222222222222222222222";
const std::string kTag = "3333333333333333333333333333333333333333";

TEST_CASE("ManifestCommit follows HEAD to a loose branch ref, from the repository or below it", "[state]") {
  TempDir repo;
  repo.Write(".git/HEAD", "ref: refs/heads/main\n");
  repo.Write(".git/refs/heads/main", kMain + "\n");
  repo.Write("manifests/emea/cluster.yaml", "");
  CHECK(ManifestCommit(repo.path().string()) == kMain);
  CHECK(ManifestCommit((repo.path() / "manifests/emea").string()) == kMain);
  CHECK(ManifestCommit((repo.path() / "manifests/emea/../emea/").string()) == kMain);
}

TEST_CASE("ManifestCommit reads packed-refs when the branch has no loose ref", "[state]") {
  TempDir repo;
  repo.Write(".git/HEAD", "ref: refs/heads/main\n");
  repo.Write(".git/packed-refs", "# pack-refs with: peeled fully-peeled sorted \n" + kOther + " refs/heads/other\n" +
                                     kMain + " refs/heads/main\n" + kTag + " refs/tags/v1\n^" + kOther + "\n");
  CHECK(ManifestCommit(repo.path().string()) == kMain);
  SECTION("a loose ref wins over packed-refs, as in git") {
    repo.Write(".git/refs/heads/main", kOther + "\n");
    CHECK(ManifestCommit(repo.path().string()) == kOther);
  }
}

TEST_CASE("ManifestCommit reads a detached HEAD", "[state]") {
  TempDir repo;
  repo.Write(".git/HEAD", kTag + "\n");
  CHECK(ManifestCommit(repo.path().string()) == kTag);
}

TEST_CASE("ManifestCommit follows a linked worktree's .git file to the shared refs", "[state]") {
  TempDir root;
  root.Write("main/.git/HEAD", "ref: refs/heads/main\n");
  root.Write("main/.git/packed-refs", kMain + " refs/heads/main\n" + kOther + " refs/heads/state\n");
  root.Write("main/.git/worktrees/wt/HEAD", "ref: refs/heads/state\n");
  root.Write("main/.git/worktrees/wt/commondir", "../..\n");
  root.Write("wt/.git", "gitdir: ../main/.git/worktrees/wt\n");
  CHECK(ManifestCommit((root.path() / "wt").string()) == kOther);
  CHECK(ManifestCommit((root.path() / "main").string()) == kMain);
}

TEST_CASE("ManifestCommit is empty outside a repository, on an unborn branch and for odd refs", "[state]") {
  TempDir dir;
  CHECK(ManifestCommit(dir.path().string()).empty());
  CHECK(ManifestCommit((dir.path() / "does/not/exist").string()).empty());

  dir.Write("unborn/.git/HEAD", "ref: refs/heads/main\n");
  CHECK(ManifestCommit((dir.path() / "unborn").string()).empty());

  dir.Write("escape/.git/HEAD", "ref: ../../secret\n");
  dir.Write("secret", kMain + "\n");
  CHECK(ManifestCommit((dir.path() / "escape").string()).empty());

  dir.Write("garbage/.git/HEAD", "ref: refs/heads/main\n");
  dir.Write("garbage/.git/refs/heads/main", "not a commit id\n");
  CHECK(ManifestCommit((dir.path() / "garbage").string()).empty());
}

TEST_CASE("ManifestCommit does not hang or read without bound on hostile git metadata", "[state]") {
  TempDir dir;
  // A FIFO nobody writes to: opening it blocking would wait forever.
  dir.Write("fifo/.git/refs/heads/main", "");
  const std::string fifo_head = (dir.path() / "fifo/.git/HEAD").string();
  REQUIRE(mkfifo(fifo_head.c_str(), 0600) == 0);
  CHECK(ManifestCommit((dir.path() / "fifo").string()).empty());

  // HEAD pointing at /dev/zero through a symbolic link: refused, not read until memory runs out.
  dir.Write("zero/.git/placeholder", "");
  std::filesystem::create_symlink("/dev/zero", dir.path() / "zero/.git/HEAD");
  CHECK(ManifestCommit((dir.path() / "zero").string()).empty());

  // packed-refs beyond the limit names no commit, even when it holds the ref.
  dir.Write("huge/.git/HEAD", "ref: refs/heads/main\n");
  std::string packed(limits::kGitRefFile.bytes, '#');
  packed += "\n" + kMain + " refs/heads/main\n";
  dir.Write("huge/.git/packed-refs", packed);
  CHECK(ManifestCommit((dir.path() / "huge").string()).empty());
}

}  // namespace
}  // namespace pkiform::state
