// Shell words for scripts run on a host: every value that comes from a
// manifest or a plan (paths, DN text, owner names) enters a script only as one
// single-quoted POSIX sh word, so no character in it is ever interpreted.
// Used by the exec file transport (exec_files.h) and the openssh provider's
// scripts (providers/openssh/shell_quote.h).
#pragma once

#include <string>
#include <string_view>

namespace pkiform::ssh {

// 'it'\''s' for it's. `text` must not contain NUL (see IsShellSafe).
std::string ShellQuote(std::string_view text);

// False for text that cannot travel as a shell word (it holds a NUL byte).
bool IsShellSafe(std::string_view text);

}  // namespace pkiform::ssh
