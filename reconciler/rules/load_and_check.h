// The first step of every command that reads manifests: load them and run every
// check at `clock`'s time, diagnostics sorted. `validate` prints the result;
// `plan` and `apply` stop on any error before they contact an appliance.
#pragma once

#include <string>
#include <vector>

#include "reconciler/diag/diagnostic.h"
#include "reconciler/manifest/loader.h"
#include "reconciler/pki/clock.h"

namespace pkiform {

LoadedManifests LoadAndCheck(const std::vector<std::string>& paths, const pki::Clock& clock, DiagnosticList& diags);

}  // namespace pkiform
