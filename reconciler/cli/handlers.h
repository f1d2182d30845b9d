// The handlers of the command table, one file each.
#pragma once

#include "reconciler/cli/global_options.h"

namespace pkiform::cli {

int RunValidate(const GlobalOptions& global, const CommandArgs& args);
int RunPlan(const GlobalOptions& global, const CommandArgs& args);
int RunApply(const GlobalOptions& global, const CommandArgs& args);
int RunReconcile(const GlobalOptions& global, const CommandArgs& args);
int RunStatus(const GlobalOptions& global, const CommandArgs& args);
int RunShow(const GlobalOptions& global, const CommandArgs& args);
int RunSchema(const GlobalOptions& global, const CommandArgs& args);
int RunVersion(const GlobalOptions& global, const CommandArgs& args);
int RunImport(const GlobalOptions& global, const CommandArgs& args);

}  // namespace pkiform::cli
