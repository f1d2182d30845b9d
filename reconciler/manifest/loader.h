// Loads a manifest repository: expands -f arguments (manifest_paths.h), reads
// each file within the limits of util/input_limits.h, parses every YAML document
// (yaml_reader.h), validates it against the schema, and builds the desired-state
// model. Every problem of every file is reported, never just the first one; a
// document with schema errors is not built, so later checks do not pile
// consequences on top of its real mistake.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "reconciler/diag/diagnostic.h"
#include "reconciler/diag/source_map.h"
#include "reconciler/manifest/manifest_paths.h"
#include "reconciler/manifest/model.h"

namespace pkiform {

struct LoadedManifests {
  Desired desired;
  SourceMap sources;
  std::vector<std::string> files;
  // The repository each file belongs to (manifest_paths.h), for the checks of
  // the files it references.
  std::map<std::string, std::string> roots;
  int documents = 0;
  // Names declared by documents that failed the schema: references to them
  // are not reported again as unknown.
  std::set<std::string> unbuilt_issuers;
};

LoadedManifests LoadManifests(const std::vector<std::string>& args, DiagnosticList& diags);

}  // namespace pkiform
