#include "providers/ssh/shell_quote.h"

namespace pkiform::ssh {

std::string ShellQuote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  out += "'";
  return out;
}

bool IsShellSafe(std::string_view text) { return text.find('\0') == std::string_view::npos; }

}  // namespace pkiform::ssh
