// Loads a manifest repository: expands -f arguments (files, or directories whose
// `*.yaml` files below are read in sorted order, hidden entries skipped),
// parses every YAML document, validates it against the schema, and builds the
// desired-state model. Every problem of every file is reported, never just the
// first one; a document with schema errors is not built, so later checks do
// not pile consequences on top of its real mistake.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "reconciler/diag/diagnostic.h"
#include "reconciler/diag/source_map.h"
#include "reconciler/manifest/model.h"

namespace pkiform {

struct LoadedManifests {
  Desired desired;
  SourceMap sources;
  std::vector<std::string> files;
  int documents = 0;
  // Names declared by documents that failed the schema: references to them
  // are not reported again as unknown.
  std::set<std::string> unbuilt_issuers;
};

// The default when no -f is given: ./pkiform.yaml if present, else ./manifests/.
std::vector<std::string> DefaultManifestPaths();

// Files to read for the -f arguments; unreadable arguments become diagnostics.
std::vector<std::string> ExpandManifestPaths(const std::vector<std::string>& args, DiagnosticList& diags);

LoadedManifests LoadManifests(const std::vector<std::string>& args, DiagnosticList& diags);

}  // namespace pkiform
