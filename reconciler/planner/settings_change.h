// Setting changes: the node settings the platform catalogue lists (ucm: OCSP, rule
// U16; the certificate monitor, rule U17), set to what the manifest says. A setting
// the manifest leaves out is left alone; one the provider did not report is set
// (kCreate, before ""), one that differs is updated (kUpdate).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "reconciler/catalogue/catalogue.h"
#include "reconciler/manifest/model.h"
#include "reconciler/plan/actual.h"
#include "reconciler/plan/plan.h"

namespace pkiform::planner {

// The manifest's value of `from` (catalogue::kSettingSources) for the cluster, as the
// catalogue spells values: booleans "true"/"false", durations "30d" / "12h" / "90s",
// lists joined by ","; nullopt when the manifest does not say.
std::optional<std::string> DesiredSetting(const Cluster& cluster, const std::string& from);

// A duration as DesiredSetting spells it ("30d", "12h", "90s"): what a provider reports
// for a duration setting, so that a node that matches the manifest plans no change.
std::string SettingDurationText(std::chrono::seconds d);

// "cluster/peer/setting/<name>".
std::string SettingAddress(const std::string& cluster, const std::string& peer, const std::string& name);

// The setting changes of one peer, in catalogue order. `selected(name)`: --target.
std::vector<Change> PlanSettings(const Cluster& cluster, const std::string& peer,
                                 const catalogue::PlatformCatalogue& platform, const Actual& actual,
                                 const std::function<bool(const std::string&)>& selected);

}  // namespace pkiform::planner
