// A navigator of the DMS AAI over a terminal (an SSH PTY, or a scripted stand-in in tests):
// it reads each screen the appliance draws (aai_screen.h) and moves by what the screen says,
// never by a blind count of keys: Choose presses Down/Up until the highlighted item is the one
// asked for, Fill moves the focus to a field by its label and checks what the field shows
// after typing. Keys are the contract's (docs/platforms/dms.md, "Keys"). Every wait is bounded
// in time and bytes; every value quoted in an error is escaped, and a typed value is never
// quoted (it may be a password).
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "providers/dms/aai_screen.h"
#include "providers/ssh/terminal.h"
#include "reconciler/util/result.h"

namespace pkiform::dms {

struct AaiLimits {
  // One screen: a procedure's SFTP transfers take up to 30 s each before it draws.
  std::chrono::milliseconds frame_timeout{90000};
  size_t max_frame_bytes = 1 << 20;
};

class AaiSession {
 public:
  explicit AaiSession(ssh::Terminal& terminal, AaiLimits limits = {}) : t_(terminal), limits_(limits) {}

  // The screen shown now: the last one read, or (at the start) the first one drawn.
  Result<Screen> Current();
  // On a menu: highlights `item` (Down/Up, checking the highlight after each key), then Enter.
  Status Choose(const std::string& item);
  // On a form: focuses the field labelled `label` (with its colon), clears it, types `value`
  // (printable ASCII, at most 255 characters) and checks that the field shows it (or one '*'
  // per character, a password field).
  Status Fill(const std::string& label, const std::string& value);
  // On a form, message box or text view: focuses `button` (Tab, or Right), then Enter.
  Status Press(const std::string& button);
  // Esc: back to the menu above (refused on a menu that has no way back).
  Status Back();

 private:
  // Sends `keys`, then reads the screen drawn after them.
  Result<Screen> Key(std::string_view keys, std::string_view what);
  // Reads the next complete frame.
  Result<Screen> ReadScreen();
  ssh::Terminal& t_;
  AaiLimits limits_;
  std::optional<Screen> screen_;
};

}  // namespace pkiform::dms
