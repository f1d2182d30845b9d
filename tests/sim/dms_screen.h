// The small full-screen engine of the simulated DMS AAI (docs/platforms/dms.md, "AAI
// contract": Keys, How a screen is drawn): a key reader that turns the bytes of a PTY or a
// pipe into keys (arrow escape sequences, Enter, Tab, Esc, Backspace, printable ASCII;
// bounded, unknown bytes ignored), and three dialog-style widgets (menu, form, message box)
// that redraw the whole screen after every key in the contract's stable rendering.
#pragma once
#include <termios.h>

#include <optional>
#include <string>
#include <vector>

namespace pkiform::sim {

enum class KeyKind { kChar, kUp, kDown, kLeft, kRight, kTab, kEnter, kEsc, kBackspace, kEof };

struct Key {
  KeyKind kind = KeyKind::kEof;
  char ch = 0;  // kChar: a printable ASCII character
};

// One screen as the contract draws it: rows from row 1, then the cursor position.
struct Frame {
  std::vector<std::string> rows;
  int cursorRow = 1, cursorCol = 1;
};

// ESC[2J ESC[H, each row after ESC[r;1H (bytes outside printable ASCII shown as '?'),
// then ESC[r;cH for the cursor.
std::string RenderFrame(const Frame& frame);

// The longest value a form field keeps, and the most bytes of one escape sequence.
inline constexpr size_t kDmsMaxFieldLength = 255;
inline constexpr size_t kDmsMaxEscapeLength = 16;

// The session's terminal: keys from `inFd`, frames to `outFd`. On a TTY the terminal is
// put in raw mode (no echo: the screen is the only echo) and restored when this ends.
class Terminal {
 public:
  Terminal(int inFd, int outFd);
  ~Terminal();
  Terminal(const Terminal&) = delete;
  Terminal& operator=(const Terminal&) = delete;

  // The next key; kEof once input has ended (then ended() is true for good).
  Key ReadKey();
  void Draw(const Frame& frame);
  bool ended() const { return ended_; }

 private:
  // The next byte; false at end of input, or (timeoutMs >= 0) when none came in time.
  bool NextByte(char& c, int timeoutMs);

  int in_, out_;
  bool raw_ = false;
  bool ended_ = false;
  bool lastWasCr_ = false;
  std::string buffer_;
  size_t pos_ = 0;
  std::optional<termios> saved_;  // the mode to restore (a TTY only)
};

// What a widget ended with: a choice (menu item or button index), Cancel (Esc, or the
// Cancel button), or the end of input.
enum class Outcome { kChosen, kCancelled, kEnded };
struct Choice {
  Outcome outcome = Outcome::kEnded;
  int index = -1;
};

// A menu of `items`, `start` highlighted first (a menu shown again keeps the item last
// chosen, as dialog's default item); Up/Down move, Enter chooses, Esc cancels (unless
// `escapable` is false).
Choice RunMenu(Terminal& t, const std::string& title, const std::vector<std::string>& items, bool escapable = true,
               int start = 0);

struct FormField {
  std::string label;
  std::string value;
  bool secret = false;  // shown as one '*' per character
};

// A form: `prompts` above the fields, the buttons OK and Cancel. kChosen means OK.
Outcome RunForm(Terminal& t, const std::string& title, const std::vector<std::string>& prompts,
                std::vector<FormField>& fields);

// A message box with `lines` and `buttons` (the first focused); Tab/Left/Right move between
// the buttons, Enter chooses, Esc cancels.
Choice RunMessage(Terminal& t, const std::string& title, const std::vector<std::string>& lines,
                  const std::vector<std::string>& buttons = {"OK"});

}  // namespace pkiform::sim
