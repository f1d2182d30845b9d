// Shell words for the provider's remote scripts: the session layer's quoting
// (providers/ssh/shell_quote.h), which the exec file transport shares, under
// the names the provider's scripts use.
#pragma once

#include "providers/ssh/shell_quote.h"

namespace pkiform::openssh {

using ssh::IsShellSafe;
using ssh::ShellQuote;

}  // namespace pkiform::openssh
