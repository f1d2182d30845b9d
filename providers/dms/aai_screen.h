// The DMS AAI's screen as a provider reads it: a pure parser of the simulator's stable
// rendering (docs/platforms/dms.md, "AAI contract", "How a screen is drawn"). The output of a
// PTY is split at ESC[2J, the last complete frame is laid out by its ESC[r;1H row numbers, and
// the rows are classified as a menu, a form, a message box or a text view. The bytes come from
// the appliance, so they are untrusted: every size is capped, and anything that does not fit
// the contract is an error quoting an escaped excerpt, never a crash or a guess.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "reconciler/util/result.h"

namespace pkiform::dms {

// Caps on one frame: rows (a text view of a certificate chain needs a few hundred at most)
// and the length of one row (a field holds at most 255 characters, plus its label).
inline constexpr int kMaxScreenRows = 500;
inline constexpr size_t kMaxRowLength = 1024;

// One frame as drawn: rows from row 1 (rows never drawn are empty), then the cursor.
struct Frame {
  std::vector<std::string> rows;
  int cursor_row = 1;
  int cursor_col = 1;
};

enum class ScreenKind { kMenu, kForm, kMessage, kText };
std::string_view KindName(ScreenKind kind);

struct FormField {
  std::string label;  // with its colon, e.g. "USER NAME:"
  std::string value;  // as shown: a password field shows one '*' per character
  bool focused = false;
};

struct Screen {
  std::string title;  // row 1
  ScreenKind kind = ScreenKind::kMessage;
  // menu: the items and the highlighted one; whether Esc goes back (the hint row says so).
  std::vector<std::string> items;
  int highlighted = -1;
  bool escapable = false;
  // form: the prompt rows and the fields (none focused while a button has the focus).
  std::vector<std::string> prompts;
  std::vector<FormField> fields;
  // message box and text view: the rows between the title and the buttons.
  std::vector<std::string> lines;
  // form, message box, text view: the button row and its focused button.
  std::vector<std::string> buttons;
  int focused_button = -1;
  Frame frame;

  // The index of the focused field, or -1.
  int FocusedField() const;
  // A one-line description for messages: kind and title, escaped.
  std::string Describe() const;
};

// The last complete frame of `output` (a frame is complete once its cursor has been placed
// after its rows). NotFound when no frame is complete yet: the caller may wait for more
// output. InvalidInput when a frame breaks the contract.
Result<Frame> LastCompleteFrame(std::string_view output);

// The frame read as a screen of the contract, or InvalidInput saying which row does not fit.
Result<Screen> Classify(const Frame& frame);

// `text` from the screen (or typed by no one) as a message quotes it: an escaped excerpt in
// double quotes.
std::string Quoted(std::string_view text);

// LastCompleteFrame, then Classify.
Result<Screen> ParseScreen(std::string_view output);

}  // namespace pkiform::dms
