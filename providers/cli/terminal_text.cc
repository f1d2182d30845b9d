// Plain text from PTY output (terminal_text.h).
#include "providers/cli/terminal_text.h"

#include <re2/re2.h>

namespace pkiform::cli {

std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string LinePattern(std::string_view text, bool leading_blanks, std::string_view end) {
  const std::string esc(kEscapePattern);
  return "(?:^|\\n)(?:" + esc + (leading_blanks ? "|[ \\t])*" : ")*") +
         RE2::QuoteMeta(re2::StringPiece(text.data(), text.size())) + "(?:" + esc + "|[ \\t])*" + std::string(end);
}

std::string CleanOutput(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  size_t i = 0;
  while (i < raw.size()) {
    unsigned char c = static_cast<unsigned char>(raw[i]);
    if (c == 0x1b) {
      ++i;
      if (i >= raw.size()) break;
      char kind = raw[i++];
      if (kind == '[') {  // CSI: parameters and intermediates, then one final byte 0x40-0x7e
        while (i < raw.size() && !(raw[i] >= 0x40 && raw[i] <= 0x7e)) ++i;
        if (i < raw.size()) ++i;
      } else if (kind == ']') {  // OSC: up to BEL or ESC backslash
        while (i < raw.size() && raw[i] != '\a' && raw[i] != 0x1b) ++i;
        if (i < raw.size() && raw[i] == 0x1b) ++i;
        if (i < raw.size()) ++i;
      } else if (kind == '(' || kind == ')') {  // charset designation: one more byte
        if (i < raw.size()) ++i;
      }
      continue;  // other two-byte sequences (ESC =, ESC >, ESC 7...) are gone already
    }
    if (c == '\n' || c == '\t' || c >= 0x20) {
      if (c != 0x7f) out += static_cast<char>(c);
    }
    ++i;  // "\r" and the other control bytes are dropped
  }
  return out;
}

std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < text.size()) {
    size_t nl = text.find('\n', i);
    if (nl == std::string_view::npos) nl = text.size();
    out.emplace_back(text.substr(i, nl - i));
    i = nl + 1;
  }
  return out;
}

namespace {

bool EchoesCommand(std::string_view line, std::string_view command) {
  std::string_view l = TrimBlanks(line);
  return !command.empty() && l.size() >= command.size() && l.substr(l.size() - command.size()) == command;
}

std::string WithoutBlankEnds(const std::vector<std::string>& lines, size_t first) {
  size_t last = lines.size();
  while (first < last && TrimBlanks(lines[first]).empty()) ++first;
  while (last > first && TrimBlanks(lines[last - 1]).empty()) --last;
  std::string out;
  for (size_t i = first; i < last; ++i) out += lines[i] + "\n";
  return out;
}

}  // namespace

std::string StripEchoes(std::string_view output, const std::vector<std::string>& commands, size_t first) {
  auto lines = Lines(output);
  size_t line = 0;
  for (size_t c = first; c < commands.size() && line < lines.size() && EchoesCommand(lines[line], commands[c]); ++c)
    ++line;
  return WithoutBlankEnds(lines, line);
}

std::vector<std::vector<std::string>> TypeAheadBatches(const std::vector<std::string>& commands, size_t limit) {
  std::vector<std::vector<std::string>> batches;
  size_t bytes = 0;
  for (const auto& command : commands) {
    if (batches.empty() || bytes + command.size() + 1 > limit) {
      batches.emplace_back();
      bytes = 0;
    }
    batches.back().push_back(command);
    bytes += command.size() + 1;
  }
  return batches;
}

std::string StripEcho(std::string_view output, std::string_view command) {
  return StripEchoes(output, {std::string(command)}, 0);
}

}  // namespace pkiform::cli
