#include "providers/dms/aai_screen.h"

#include <algorithm>
#include <optional>

#include "reconciler/util/excerpt.h"
#include "reconciler/util/terminal_escape.h"

namespace pkiform::dms {
namespace {

constexpr std::string_view kClear = "\x1b[2J";
constexpr std::string_view kMenuHint = "<Up/Down> move  <Enter> select";
constexpr std::string_view kEscHint = "  <Esc> back";

Status Bad(const std::string& what, std::string_view excerpt) {
  return Status::InvalidInput("AAI screen: " + what + ": " + Quoted(excerpt));
}

struct Placement {
  int row = 0;
  int col = 0;
  std::string text;
};

enum class Parsed { kComplete, kIncomplete };

// Reads a decimal number of at most kMaxDigits digits at `s[i]`; nullopt when there is none.
std::optional<int> Number(std::string_view s, size_t& i) {
  constexpr size_t kMaxDigits = 4;  // ESC [ r ; c H: the row cap has three
  size_t start = i;
  int n = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i - start < kMaxDigits) n = n * 10 + (s[i++] - '0');
  if (i == start) return std::nullopt;
  return n;
}

// One frame's bytes (after its ESC[2J): ESC[H, then placements ESC[r;cH each followed by
// printable ASCII. `last` says whether the stream may still continue after it (an escape cut
// at the end then means "not yet", not "broken").
Result<Parsed> ParseSegment(std::string_view seg, bool last, Frame& frame) {
  constexpr std::string_view kHome = "\x1b[H";
  size_t i = 0;
  if (seg.substr(0, kHome.size()) == kHome) i = kHome.size();
  std::vector<Placement> placed;
  while (i < seg.size()) {
    const char c = seg[i];
    if (c != '\x1b') {
      if (placed.empty()) return Bad("text before the first row is placed", seg.substr(i, 40));
      if (c < 0x20 || c > 0x7e) return Bad("a control or non-ASCII byte in a row", seg.substr(i, 40));
      if (placed.back().text.size() >= kMaxRowLength)
        return Bad("a row longer than " + std::to_string(kMaxRowLength) + " characters", placed.back().text);
      placed.back().text += c;
      ++i;
      continue;
    }
    const size_t start = i;
    ++i;
    // An escape cut by the end of the output: still arriving, and perhaps the next frame's
    // ESC[2J, so what was placed before it is judged alone. Cut inside a frame: broken.
    bool cut = false;
    std::optional<int> row, col;
    if (i == seg.size()) {
      cut = true;
    } else if (seg[i] == '[') {
      ++i;
      row = Number(seg, i);
      if (i == seg.size()) cut = true;
      else if (row && seg[i] == ';') {
        ++i;
        col = Number(seg, i);
        if (i == seg.size()) cut = true;
      }
    }
    if (cut && last) break;
    if (cut) return Bad("an unterminated escape sequence", seg.substr(start, 16));
    if (!row || !col || seg[i] != 'H')
      return Bad("an escape sequence other than a cursor placement", seg.substr(start, 16));
    ++i;
    if (*row < 1 || *row > kMaxScreenRows)
      return Bad("a row number outside 1.." + std::to_string(kMaxScreenRows), seg.substr(start, i - start));
    if (placed.size() > static_cast<size_t>(kMaxScreenRows))
      return Bad("more than " + std::to_string(kMaxScreenRows) + " rows placed", seg.substr(start, i - start));
    placed.push_back({*row, *col, ""});
  }
  // The cursor: the last placement, with no text, on a row already drawn.
  // A frame cut short by the next ESC[2J (a redraw) is not complete either: an earlier one may be.
  if (placed.size() < 2) return Parsed::kIncomplete;
  const Placement cursor = placed.back();
  placed.pop_back();
  int max_row = 0;
  for (const auto& p : placed) max_row = std::max(max_row, p.row);
  if (!cursor.text.empty() || cursor.row > max_row) return Parsed::kIncomplete;
  if (cursor.col < 1 || static_cast<size_t>(cursor.col) > kMaxRowLength + 1)
    return Bad("a cursor column out of range", std::to_string(cursor.col));
  frame = Frame{};
  frame.rows.assign(static_cast<size_t>(max_row), "");
  std::vector<bool> seen(static_cast<size_t>(max_row), false);
  for (const auto& p : placed) {
    if (p.col != 1) return Bad("a row placed at column " + std::to_string(p.col) + ", not 1", p.text);
    const auto r = static_cast<size_t>(p.row - 1);
    if (seen[r]) return Bad("row " + std::to_string(p.row) + " drawn twice", p.text);
    seen[r] = true;
    frame.rows[r] = p.text;
  }
  frame.cursor_row = cursor.row;
  frame.cursor_col = cursor.col;
  return Parsed::kComplete;
}

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// "> TEXT" (marked) or "  TEXT": the text, and whether it is marked; nullopt otherwise.
std::optional<std::pair<std::string, bool>> Marked(std::string_view row) {
  if (row.size() < 3) return std::nullopt;
  if (StartsWith(row, "> ")) return std::make_pair(std::string(row.substr(2)), true);
  if (StartsWith(row, "  ") && row[2] != ' ') return std::make_pair(std::string(row.substr(2)), false);
  return std::nullopt;
}

// "[OK]  <Cancel>": the buttons and the focused one (exactly one in brackets).
Status ParseButtons(std::string_view row, Screen& s) {
  size_t i = 0;
  while (i < row.size()) {
    if (!s.buttons.empty()) {
      if (row.substr(i, 2) != "  ") return Bad("a button row that does not fit `[A]  <B>`", row);
      i += 2;
    }
    if (i >= row.size()) return Bad("a button row that does not fit `[A]  <B>`", row);
    const char open = row[i];
    const char close = open == '[' ? ']' : open == '<' ? '>' : '\0';
    const size_t end = close ? row.find(close, i + 1) : std::string_view::npos;
    if (end == std::string_view::npos || end == i + 1) return Bad("a button row that does not fit `[A]  <B>`", row);
    std::string name(row.substr(i + 1, end - i - 1));
    if (name.find_first_of("[]<>") != std::string::npos) return Bad("a button row that does not fit `[A]  <B>`", row);
    if (open == '[') {
      if (s.focused_button >= 0) return Bad("a button row with two focused buttons", row);
      s.focused_button = static_cast<int>(s.buttons.size());
    }
    s.buttons.push_back(std::move(name));
    i = end + 1;
  }
  if (s.buttons.empty() || s.focused_button < 0) return Bad("a button row without a focused button", row);
  return Status::Ok();
}

Status ParseMenu(const std::vector<std::string>& rows, Screen& s) {
  s.kind = ScreenKind::kMenu;
  s.escapable = rows.back() == std::string(kMenuHint) + std::string(kEscHint);
  if (!s.escapable && rows.back() != kMenuHint) return Bad("a menu hint row not in the contract", rows.back());
  for (size_t r = 2; r + 2 < rows.size(); ++r) {
    auto item = Marked(rows[r]);
    if (!item) return Bad("menu row " + std::to_string(r + 1) + " is not `> ITEM` or `  ITEM`", rows[r]);
    if (item->second) {
      if (s.highlighted >= 0) return Bad("a menu with two highlighted items", rows[r]);
      s.highlighted = static_cast<int>(s.items.size());
    }
    s.items.push_back(item->first);
  }
  if (s.items.empty() || s.highlighted < 0) return Bad("a menu without a highlighted item", s.title);
  return Status::Ok();
}

Status ParseForm(const std::vector<std::string>& body, Screen& s) {
  s.kind = ScreenKind::kForm;
  size_t blank = body.size();
  while (blank > 0 && !body[blank - 1].empty()) --blank;
  if (blank == 0 || blank == body.size()) return Bad("a form without a blank row before its fields", s.title);
  s.prompts.assign(body.begin(), body.begin() + static_cast<long>(blank - 1));
  for (size_t r = blank; r < body.size(); ++r) {
    auto field = Marked(body[r]);
    const size_t colon = field ? field->first.find(':') : std::string::npos;
    if (!field || colon == std::string::npos) return Bad("a form row that is not `> LABEL: value`", body[r]);
    FormField f;
    f.label = field->first.substr(0, colon + 1);
    std::string_view rest = std::string_view(field->first).substr(colon + 1);
    if (!rest.empty() && rest[0] != ' ') return Bad("a form row that is not `> LABEL: value`", body[r]);
    f.value = std::string(rest.empty() ? rest : rest.substr(1));
    f.focused = field->second;
    if (f.focused && s.FocusedField() >= 0) return Bad("a form with two focused fields", body[r]);
    s.fields.push_back(std::move(f));
  }
  return Status::Ok();
}

}  // namespace

std::string Quoted(std::string_view text) { return "\"" + EscapeForTerminal(Excerpt(text)) + "\""; }

std::string_view KindName(ScreenKind kind) {
  switch (kind) {
    case ScreenKind::kMenu: return "menu";
    case ScreenKind::kForm: return "form";
    case ScreenKind::kMessage: return "message box";
    case ScreenKind::kText: return "text view";
  }
  return "screen";
}

int Screen::FocusedField() const {
  for (size_t i = 0; i < fields.size(); ++i)
    if (fields[i].focused) return static_cast<int>(i);
  return -1;
}

std::string Screen::Describe() const { return std::string(KindName(kind)) + " " + Quoted(title); }

Result<Frame> LastCompleteFrame(std::string_view output) {
  // The frames, last first: each starts after an ESC[2J; bytes before the first are ignored
  // (a banner, or the tail of a frame already read).
  size_t end = output.size();
  bool last = true;
  for (;;) {
    const size_t at = output.rfind(kClear, end == 0 ? 0 : end - 1);
    if (at == std::string_view::npos || at + kClear.size() > end) break;
    Frame frame;
    auto parsed = ParseSegment(output.substr(at + kClear.size(), end - at - kClear.size()), last, frame);
    if (!parsed.ok()) return parsed.status();
    if (*parsed == Parsed::kComplete) return frame;
    end = at;
    last = false;
    if (at == 0) break;
  }
  return Status::NotFound("AAI screen: no complete frame yet (" + std::to_string(output.size()) + " bytes read)");
}

Result<Screen> Classify(const Frame& frame) {
  const auto& rows = frame.rows;
  Screen s;
  s.frame = frame;
  if (rows.size() < 4) return Bad("a frame of " + std::to_string(rows.size()) + " rows, fewer than the contract's 4",
                                  rows.empty() ? std::string() : rows[0]);
  s.title = rows[0];
  if (s.title.empty()) return Bad("a frame without a title", rows[1]);
  if (!rows[1].empty()) return Bad("row 2 is not empty", rows[1]);
  if (!rows[rows.size() - 2].empty()) return Bad("the row before the last is not empty", rows[rows.size() - 2]);
  const std::vector<std::string> body(rows.begin() + 2, rows.end() - 2);
  if (StartsWith(rows.back(), kMenuHint)) {
    auto st = ParseMenu(rows, s);
    if (!st.ok()) return st;
    return s;
  }
  auto st = ParseButtons(rows.back(), s);
  if (!st.ok()) return st;
  if (s.buttons == std::vector<std::string>{"OK", "Cancel"}) {
    st = ParseForm(body, s);
    if (!st.ok()) return st;
    return s;
  }
  s.kind = s.buttons == std::vector<std::string>{"EXIT"} ? ScreenKind::kText : ScreenKind::kMessage;
  s.lines = body;
  return s;
}

Result<Screen> ParseScreen(std::string_view output) {
  auto frame = LastCompleteFrame(output);
  if (!frame.ok()) return frame.status();
  return Classify(*frame);
}

}  // namespace pkiform::dms
