// Text as an appliance's interactive CLI prints it over a PTY, made plain for the
// parsers: control bytes and terminal escapes removed, the PTY's echo of the typed
// command dropped, lines split. Shared by the CLI providers (ucm, vcs); pure
// functions on untrusted text, bounded by the caller's output limit.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pkiform::cli {

// A terminal escape sequence a vt100 CLI may print around its prompt or end-of-answer line
// (CSI, or a two-byte ESC sequence), as an RE2 pattern.
inline constexpr std::string_view kEscapePattern = R"((?:\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[^\[]))";

// An RE2 pattern for `text` alone on a line (a prompt, an end-of-answer marker): at the start of
// the output or after a newline, with escapes around it and blanks after it (before it too
// when `leading_blanks`), closed by `end`: "$" (the last thing printed) or "\\n" (a whole line).
std::string LinePattern(std::string_view text, bool leading_blanks, std::string_view end);

// CLI output as text: carriage returns and ANSI/VT100 escape sequences (CSI, OSC, and
// two-byte ESC sequences) removed, other control bytes except "\n" and "\t" dropped.
std::string CleanOutput(std::string_view raw);

// The answer of `command` without the PTY's echo of the command line (its first line when
// that line ends with the command) and without blank lines at either end.
std::string StripEcho(std::string_view output, std::string_view command);

// The answer of commands[first] in a batch typed ahead (`commands`, in the order sent):
// without the leading lines that echo commands[first], commands[first + 1], ... in that
// order, and without blank lines at either end. A CLI that echoes a line when it reads it
// puts one echo at the head of each answer; a PTY that echoes on arrival puts the whole
// batch's echo at the head of the first; both come out plain.
std::string StripEchoes(std::string_view output, const std::vector<std::string>& commands, size_t first);

// `commands` cut into the writes of a type-ahead, in order: consecutive commands whose lines
// (each with its "\n") fit `limit` bytes together; a command longer than that goes alone.
std::vector<std::vector<std::string>> TypeAheadBatches(const std::vector<std::string>& commands, size_t limit);

// "\n"-separated lines, without their "\n"; a last line without one is kept.
std::vector<std::string> Lines(std::string_view text);

// `s` without spaces and tabs at either end.
std::string_view TrimBlanks(std::string_view s);

}  // namespace pkiform::cli
