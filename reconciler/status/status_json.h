// `pkiform status --json`: the FleetStatus as one JSON document (shape in
// docs/status.md). Times are RFC 3339 UTC strings, absent values null. nlohmann
// escapes every string; invalid UTF-8 from an appliance is replaced, not thrown on.
#pragma once

#include <nlohmann/json.hpp>

#include "reconciler/status/fleet_status.h"

namespace pkiform::status {

nlohmann::json StatusToJson(const FleetStatus& fs);
// The text of the document, indented by 2.
std::string StatusJsonText(const FleetStatus& fs);

}  // namespace pkiform::status
