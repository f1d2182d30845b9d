#include <cstdio>
#include <string_view>

#include "reconciler/cli/commands.h"
#include "reconciler/cli/handlers.h"
#include "reconciler/util/embedded.h"

namespace pkiform::cli {

int RunSchema(const GlobalOptions&, const CommandArgs&) {
  std::string_view text = *EmbeddedFile("schema/pkiform.schema.json");
  std::fwrite(text.data(), 1, text.size(), stdout);
  return kExitOk;
}

int RunVersion(const GlobalOptions&, const CommandArgs&) {
  std::printf("pkiform %s\n", PKIFORM_VERSION);
  return kExitOk;
}

}  // namespace pkiform::cli
