#include "reconciler/rules/load_and_check.h"

#include "reconciler/rules/checks.h"

namespace pkiform {

LoadedManifests LoadAndCheck(const std::vector<std::string>& paths, const pki::Clock& clock, DiagnosticList& diags) {
  LoadedManifests loaded = LoadManifests(paths.empty() ? DefaultManifestPaths() : paths, diags);
  const auto& catalogue = catalogue::BuiltinCatalogue();
  if (!catalogue.ok()) {
    // A defect in schema/ that the unit tests catch; never the user's fault.
    diags.Error({"pkiform", 0, 0}, "internal error: " + catalogue.status().message());
  } else {
    Artifacts artifacts;
    RunChecks(CheckContext{loaded, clock, *catalogue, artifacts}, diags);
  }
  diags.Sort();
  return loaded;
}

}  // namespace pkiform
