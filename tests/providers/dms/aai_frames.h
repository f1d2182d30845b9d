// Frames written as the AAI contract draws them (docs/platforms/dms.md, "How a screen is
// drawn"): ESC[2J ESC[H, each row after ESC[r;1H, then the cursor. Shared by the screen
// parser's tests and the scripted terminal of the session's tests.
#pragma once

#include <string>
#include <vector>

namespace pkiform::dmstest {

inline std::string Draw(const std::vector<std::string>& rows, int cursor_row = 1, int cursor_col = 1) {
  std::string out = "\x1b[2J\x1b[H";
  for (size_t r = 0; r < rows.size(); ++r) out += "\x1b[" + std::to_string(r + 1) + ";1H" + rows[r];
  return out + "\x1b[" + std::to_string(cursor_row) + ";" + std::to_string(cursor_col) + "H";
}

inline constexpr const char* kHint = "<Up/Down> move  <Enter> select  <Esc> back";

}  // namespace pkiform::dmstest
