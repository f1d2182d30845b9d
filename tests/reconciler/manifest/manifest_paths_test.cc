#include "reconciler/manifest/manifest_paths.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>

#include "reconciler/diag/render.h"
#include "reconciler/manifest/loader.h"
#include "tests/support/temp_dir.h"

using namespace pkiform;
using pkiform::testing::TempDir;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> Paths(const std::vector<ManifestFile>& files) {
  std::vector<std::string> out;
  for (const auto& f : files) out.push_back(fs::path(f.path).filename().string());
  return out;
}

}  // namespace

TEST_CASE("symbolic link loops below -f are reported, and the rest is read", "[manifest][paths]") {
  TempDir dir;
  dir.Write("m/a.yaml", "kind: Cluster\n");
  fs::create_symlink("loop.yaml", dir.path() / "m/loop.yaml");
  fs::create_symlink("y", dir.path() / "m/x");  // not *.yaml: ignored, loop or not
  fs::create_symlink("x", dir.path() / "m/y");
  fs::create_symlink(".", dir.path() / "m/self");  // a link to a folder is not descended
  DiagnosticList diags;
  auto files = ExpandManifestPaths({(dir.path() / "m").string()}, diags);
  CHECK(Paths(files) == std::vector<std::string>{"a.yaml"});
  REQUIRE(diags.items().size() == 1);
  CHECK(diags.items()[0].where.file.ends_with("m/loop.yaml"));
  CHECK(diags.items()[0].message == "cannot read: Too many levels of symbolic links");
}

TEST_CASE("a *.yaml that is no regular file is listed, to be refused when read", "[manifest][paths]") {
  TempDir dir;
  dir.Write("m/a.yaml", "kind: Cluster\n");
  REQUIRE(::mkfifo((dir.path() / "m/pipe.yaml").c_str(), 0600) == 0);
  DiagnosticList diags;
  LoadedManifests m = LoadManifests({(dir.path() / "m").string()}, diags);
  bool refused = false;
  for (const auto& d : diags.items())
    refused = refused || (d.where.file.ends_with("pipe.yaml") && d.message == "is a FIFO (named pipe), not a regular file");
  CHECK(refused);
}

TEST_CASE("a -f argument that loops or names too long a path is reported", "[manifest][paths]") {
  TempDir dir;
  fs::create_symlink("l", dir.path() / "l");
  DiagnosticList diags;
  auto files = ExpandManifestPaths({(dir.path() / "l").string(), (dir.path() / std::string(256, 'n')).string()}, diags);
  CHECK(files.empty());
  REQUIRE(diags.items().size() == 2);
  CHECK(diags.items()[0].message == "cannot read: Too many levels of symbolic links");
  CHECK(diags.items()[1].message == "cannot read: File name too long");
}

TEST_CASE("a file written inside the repository that resolves outside it is told apart", "[manifest][paths]") {
  TempDir dir;
  dir.Write("repo/ca/inside.pem", "x");
  dir.Write("elsewhere/secret.pem", "x");
  fs::create_symlink("../../elsewhere/secret.pem", dir.path() / "repo/ca/outside.pem");
  fs::create_symlink("inside.pem", dir.path() / "repo/ca/alias.pem");
  const std::string repo = (dir.path() / "repo").string();
  CHECK(ResolvesOutside(repo + "/ca/outside.pem", repo));
  CHECK_FALSE(ResolvesOutside(repo + "/ca/alias.pem", repo));  // a link that stays inside
  CHECK_FALSE(ResolvesOutside(repo + "/ca/inside.pem", repo));
  // Written outside: the manifest says so openly, no link hides it.
  CHECK_FALSE(ResolvesOutside((dir.path() / "elsewhere/secret.pem").string(), repo));
  CHECK_FALSE(ResolvesOutside(repo + "/ca/missing.pem", repo));
}

TEST_CASE("a manifest linked to /proc/self/environ is validated but never quoted", "[manifest][paths]") {
  TempDir dir;
  fs::create_directories(dir.path() / "m");
  fs::create_symlink("/proc/self/environ", dir.path() / "m/x.yaml");
  ::setenv("PKIFORM_TEST_SECRET", "do-not-print-me-4711", 1);
  DiagnosticList diags;
  LoadedManifests m = LoadManifests({(dir.path() / "m").string()}, diags);
  ::unsetenv("PKIFORM_TEST_SECRET");
  diags.Sort();
  const std::string shown = RenderDiagnostics(diags, m.sources);
  INFO(shown);
  CHECK(shown.find("do-not-print-me-4711") == std::string::npos);
  CHECK(shown.find("PKIFORM_TEST_SECRET") == std::string::npos);
  CHECK(shown.find("warning: " + std::string(kOutsideRepositoryWarning) + "; no line of it is quoted [ref]") !=
        std::string::npos);
  CHECK(diags.has_errors());  // NUL-separated text is no YAML
}

TEST_CASE("a folder with more than 20,000 *.yaml files below it is refused whole", "[manifest][paths]") {
  TempDir dir;
  for (int i = 0; i <= 20000; ++i) dir.Write("all/d" + std::to_string(i % 100) + "/f" + std::to_string(i) + ".yaml", "");
  DiagnosticList diags;
  auto files = ExpandManifestPaths({(dir.path() / "all").string()}, diags);
  CHECK(files.empty());
  REQUIRE(diags.items().size() == 1);
  CHECK(diags.items()[0].message ==
        "more than 20000 *.yaml files below this folder; is it the manifest folder? (none is read)");
  CHECK(diags.items()[0].rule == "limit");
}
