// The plan as people read it, in Terraform's manner: one block per peer that has
// something to do ("# cluster/peer"), each change with its symbol (+ create,
// ~ update, -/+ replace, - delete), its reason as a comment and its before/after
// lines; then the peer's restarts, follow-ups and notes; and a last line counting
// it all ("Plan: 1 to add, 2 to change, 0 to remove, 1 restart.").
//
// Only presentation: every fact comes from the Plan (plan.h).
#pragma once

#include <string>

#include "reconciler/plan/plan.h"

namespace pkiform {

// `color`: ANSI colours (green +, yellow ~ and -/+, red -); off for files and pipes.
std::string RenderPlanText(const Plan& plan, bool color);

}  // namespace pkiform
