// The handlers of the command table, one file each.
#pragma once

#include "reconciler/cli/global_options.h"

namespace pkiform::cli {

int RunValidate(const GlobalOptions& global, const CommandArgs& args);
int RunSchema(const GlobalOptions& global, const CommandArgs& args);
int RunVersion(const GlobalOptions& global, const CommandArgs& args);

}  // namespace pkiform::cli
