// Fuzz target: one manifest file's text through everything `pkiform validate`
// runs on it (YAML parsing, the schema walk, the builder, every check, then the
// diagnostics and the fleet summary as printed). The loader reads files, so the
// text is written to manifests/fuzz.yaml of a private temporary folder first,
// beside a copy of tests/fuzz/manifest-files/: the public CA certificates and
// CRLs that the example manifests (../pki/generated/) and the bad-input cases
// (../fixtures/) name, so the file checks read real files too.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "reconciler/diag/render.h"
#include "reconciler/pki/clock.h"
#include "reconciler/render/fleet_summary.h"
#include "reconciler/rules/load_and_check.h"
#include "tests/fuzz/fuzz_input.h"

namespace {

std::filesystem::path g_folder;

void RemoveFolder() {
  std::error_code ignored;  // best effort at exit; the folder is under TMPDIR
  std::filesystem::remove_all(g_folder, ignored);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/pkiform-fuzz-manifest-XXXXXX";
  if (!mkdtemp(pattern.data())) {
    std::perror("fuzz_manifest: mkdtemp");
    std::abort();
  }
  g_folder = pattern;
  std::atexit(RemoveFolder);
  std::error_code ec;
  std::filesystem::copy(PKIFORM_FUZZ_MANIFEST_FILES, g_folder,
                        std::filesystem::copy_options::recursive | std::filesystem::copy_options::copy_symlinks, ec);
  if (!ec) std::filesystem::create_directory(g_folder / "manifests", ec);
  if (ec) {
    std::fprintf(stderr, "fuzz_manifest: preparing %s: %s\n", g_folder.c_str(), ec.message().c_str());
    std::abort();
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string file = (g_folder / "manifests" / "fuzz.yaml").string();
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    pkiform::fuzz::Expect(static_cast<bool>(out.flush()), "the harness can write its manifest file");
  }
  // A fixed time: the same input must behave the same on every run.
  pkiform::pki::FixedClock clock(std::chrono::system_clock::time_point(std::chrono::seconds(1780272000)));
  pkiform::DiagnosticList diags;
  pkiform::LoadedManifests loaded = pkiform::LoadAndCheck({file}, clock, diags);
  std::string shown = pkiform::RenderDiagnostics(diags, loaded.sources) + pkiform::DiagnosticSummary(diags);
  if (!diags.has_errors()) shown += pkiform::RenderFleetSummary(loaded);
  pkiform::fuzz::Expect(!shown.empty(), "validate always prints something");
  return 0;
}
