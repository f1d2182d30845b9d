// The YAML of an imported Cluster (importer.h), in the style of the project's
// manifests: comments saying what was imported from where and what was left
// out, then the document. Every value goes through yaml-cpp's emitter, and every
// comment is one escaped, bounded line, so nothing from a host can add a key, a
// document or a line of its own.
#pragma once

#include <string>

#include "reconciler/importer/importer.h"
#include "reconciler/pki/clock.h"

namespace pkiform::importer {

// `source`: where it was read ("web1.example.com (192.0.2.21:22)").
std::string RenderManifest(const Imported& imported, const std::string& source, pki::TimePoint now);

}  // namespace pkiform::importer
