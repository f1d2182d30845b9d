// Terminal-safe text: what pkiform prints about untrusted input (manifest values,
// file names, source lines, appliance output) goes through EscapeForTerminal, so a
// repository can never move the cursor, retitle or clear a terminal, or forge a
// `file:line:col: error:` line in a CI log. The logger (log.h) and the diagnostics
// renderer (diag/render.h) both use it.
#pragma once

#include <string>
#include <string_view>

namespace pkiform {

// Whether a backslash is doubled. Log lines double it, so that "\x1b" written by
// escaping and the four characters "\x1b" read differently; a quoted source line
// keeps it, so that `"a\tb"` looks as it does in the file.
enum class Backslash { kDouble, kKeep };

// Control bytes (C0, DEL, C1) and invalid UTF-8 as \xNN, "\n" as \n, "\r" as \r:
// a string that prints as exactly one visible line. Tabs and valid UTF-8 stay.
std::string EscapeForTerminal(std::string_view text, Backslash backslash = Backslash::kDouble);

}  // namespace pkiform
