// Builds the desired-state model from one schema-valid manifest document.
// Defaults live here, in one place: key rsa 2048 on the appliance, 365d
// lifetime renewed 30d before expiry, per-peer SANs, SSH port 22, rolling
// restarts verified over TLS.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

#include "reconciler/manifest/model.h"

namespace pkiform {

// Values that pass the schema but cannot be used are reported to `problems`.
Issuer BuildIssuer(const YAML::Node& doc, const std::string& file, const std::string& dir, DiagnosticList& problems);
Cluster BuildCluster(const YAML::Node& doc, const std::string& file, const std::string& dir, DiagnosticList& problems);

}  // namespace pkiform
