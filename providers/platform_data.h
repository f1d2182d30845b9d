// What an appliance provider loads once before its first step: its command dialect (the
// embedded schema/dialects/<platform>-cli.yaml) and its platform's catalogue entry
// (schema/platforms/<platform>.yaml). Both are data shipped in the binary, so a failure
// here is a defect of schema/, reported with the step that needed them.
#pragma once

#include <string>
#include <string_view>

#include "reconciler/catalogue/catalogue.h"
#include "reconciler/util/result.h"

namespace pkiform {

// Sets `dialect` and `platform` when they are still null; an error says which is missing.
template <typename Dialect>
Status LoadPlatformData(const Result<Dialect>& builtin, std::string_view name, const Dialect*& dialect,
                        const catalogue::PlatformCatalogue*& platform) {
  if (!dialect) {
    if (!builtin.ok()) return builtin.status();
    dialect = &*builtin;
  }
  if (!platform) {
    const auto& all = catalogue::BuiltinCatalogue();
    if (!all.ok()) return all.status();
    platform = all->Find(std::string(name));
    if (!platform) return Status::NotFound("no " + std::string(name) + " platform catalogue");
  }
  return Status::Ok();
}

// How appliance providers name a failed step: "<subject> on <peer>: <step>".
inline std::string StepWhere(const std::string& subject, const std::string& peer, const std::string& step) {
  return subject + " on " + peer + ": " + step;
}

}  // namespace pkiform
