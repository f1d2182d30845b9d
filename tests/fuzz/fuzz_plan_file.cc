// Fuzz target: plan files as `apply PLANFILE` and `show PLANFILE` read them
// (ReadPlanFile: JSON, then the strict PlanFromJson), and what `show` prints of
// a plan that was accepted, as text and as JSON.
#include <nlohmann/json.hpp>

#include "reconciler/plan/plan_json.h"
#include "reconciler/render/plan_text.h"
#include "tests/fuzz/fuzz_input.h"

using pkiform::fuzz::Expect;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // As ReadPlanFile does with the file's bytes.
  const nlohmann::json j = nlohmann::json::parse(pkiform::fuzz::AsText(data, size), nullptr,
                                                 /*allow_exceptions=*/false);
  if (j.is_discarded()) return 0;
  auto plan = pkiform::PlanFromJson(j);
  if (!plan.ok()) {
    Expect(!plan.status().message().empty(), "a refused plan says why");
    return 0;
  }
  (void)pkiform::RenderPlanText(*plan, /*color=*/false);
  (void)pkiform::RenderPlanText(*plan, /*color=*/true);
  (void)plan->Summary();
  (void)plan->HasChanges();

  // `show --json` prints this; reading it back must give the same plan.
  const std::string shown = pkiform::PlanToJson(*plan).dump(2);
  auto again = pkiform::PlanFromJson(nlohmann::json::parse(shown, nullptr, /*allow_exceptions=*/false));
  Expect(again.ok(), "a plan that was read encodes to a plan that reads");
  Expect(pkiform::PlanToJson(*again).dump(2) == shown, "a plan read back encodes to the same text");
  return 0;
}
