// The plan as JSON: what `plan --json` prints, what `plan -o PLANFILE` saves and
// what `apply PLANFILE` and `show PLANFILE` read back. Encoding only: the Plan
// (plan.h) is the data.
//
// The reader is strict: a wrong format_version, a missing field, a field of the
// wrong type, an unknown field or an unknown enum value is an error naming the
// field's path ("peers[0].changes[1].action"). Plans hold certificates, which are
// public, and never private keys: both directions refuse a PEM private key.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "reconciler/plan/plan.h"
#include "reconciler/util/result.h"

namespace pkiform {

inline constexpr int kPlanFormatVersion = 1;

// Fields in a fixed order, so that equal plans give identical text; with a
// "summary" (add, change, remove, restarts) for readers that want only that.
nlohmann::ordered_json PlanToJson(const Plan& plan);

// "summary" may be left out; when present it must agree with the changes.
Result<Plan> PlanFromJson(const nlohmann::json& json);

// Atomic: written to a temporary file in the same folder, mode 0600, then renamed
// over `path`, so that a reader sees the old plan or the new one, never half of one.
Status WritePlanFile(const Plan& plan, const std::string& path);
Result<Plan> ReadPlanFile(const std::string& path);

}  // namespace pkiform
