#include "tests/sim/dms_screen.h"

#include <poll.h>
#include <termios.h>
#include <unistd.h>

namespace pkiform::sim {

namespace {

constexpr char kEsc = '\x1b';
// How long a lone ESC waits for the rest of an escape sequence before it counts as Esc.
constexpr int kEscWaitMs = 50;

bool WriteAll(int fd, const std::string& s) {
  size_t done = 0;
  while (done < s.size()) {
    ssize_t n = ::write(fd, s.data() + done, s.size() - done);
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

std::string Printable(const std::string& s) {
  std::string out = s;
  for (char& c : out)
    if (c < 0x20 || c > 0x7e) c = '?';
  return out;
}

std::string Buttons(const std::vector<std::string>& buttons, int focused) {
  std::string row;
  for (size_t i = 0; i < buttons.size(); ++i) {
    if (i) row += "  ";
    row += static_cast<int>(i) == focused ? "[" + buttons[i] + "]" : "<" + buttons[i] + ">";
  }
  return row;
}

}  // namespace

std::string RenderFrame(const Frame& f) {
  std::string out = "\x1b[2J\x1b[H";
  for (size_t r = 0; r < f.rows.size(); ++r) out += "\x1b[" + std::to_string(r + 1) + ";1H" + Printable(f.rows[r]);
  out += "\x1b[" + std::to_string(f.cursorRow) + ";" + std::to_string(f.cursorCol) + "H";
  return out;
}

Terminal::Terminal(int inFd, int outFd) : in_(inFd), out_(outFd) {
  termios mode{};
  if (isatty(in_) && tcgetattr(in_, &mode) == 0) {
    saved_ = mode;
    cfmakeraw(&mode);
    raw_ = tcsetattr(in_, TCSANOW, &mode) == 0;
  }
}

Terminal::~Terminal() {
  if (raw_ && saved_) tcsetattr(in_, TCSANOW, &*saved_);
}

bool Terminal::NextByte(char& c, int timeoutMs) {
  if (pos_ == buffer_.size()) {
    if (ended_) return false;
    if (timeoutMs >= 0) {
      pollfd p{in_, POLLIN, 0};
      if (::poll(&p, 1, timeoutMs) <= 0) return false;
    }
    char chunk[512];
    ssize_t n = ::read(in_, chunk, sizeof chunk);
    if (n <= 0) {
      ended_ = true;
      return false;
    }
    buffer_.assign(chunk, static_cast<size_t>(n));
    pos_ = 0;
  }
  c = buffer_[pos_++];
  return true;
}

Key Terminal::ReadKey() {
  for (;;) {
    char c = 0;
    if (!NextByte(c, -1)) return Key{KeyKind::kEof, 0};
    bool afterCr = lastWasCr_;
    lastWasCr_ = c == '\r';
    if (c == '\n' && afterCr) continue;  // CR LF is one Enter
    if (c == '\r' || c == '\n') return Key{KeyKind::kEnter, 0};
    if (c == '\t') return Key{KeyKind::kTab, 0};
    if (c == 0x7f || c == 0x08) return Key{KeyKind::kBackspace, 0};
    if (c >= 0x20 && c <= 0x7e) return Key{KeyKind::kChar, c};
    if (c != kEsc) continue;  // any other control byte, or a byte outside ASCII: ignored
    // ESC: a sequence when '[' or 'O' follows at once, else the Esc key.
    if (pos_ == buffer_.size()) {
      char next = 0;
      if (!NextByte(next, kEscWaitMs)) return Key{KeyKind::kEsc, 0};
      --pos_;  // put it back
    }
    char introducer = buffer_[pos_];
    if (introducer != '[' && introducer != 'O') return Key{KeyKind::kEsc, 0};
    ++pos_;
    // Parameter and intermediate bytes up to the final byte (0x40..0x7e), bounded.
    std::string seq;
    char b = 0;
    while (seq.size() < kDmsMaxEscapeLength && NextByte(b, kEscWaitMs)) {
      seq += b;
      if (b >= 0x40 && b <= 0x7e) break;
    }
    if (seq == "A") return Key{KeyKind::kUp, 0};
    if (seq == "B") return Key{KeyKind::kDown, 0};
    if (seq == "C") return Key{KeyKind::kRight, 0};
    if (seq == "D") return Key{KeyKind::kLeft, 0};
    // Unknown sequence (function keys, mouse reports, ...): ignored.
  }
}

void Terminal::Draw(const Frame& frame) { (void)WriteAll(out_, RenderFrame(frame)); }

Choice RunMenu(Terminal& t, const std::string& title, const std::vector<std::string>& items, bool escapable,
               int start) {
  int at = start >= 0 && start < static_cast<int>(items.size()) ? start : 0;
  for (;;) {
    Frame f;
    f.rows = {title, ""};
    for (size_t i = 0; i < items.size(); ++i) f.rows.push_back((static_cast<int>(i) == at ? "> " : "  ") + items[i]);
    f.rows.push_back("");
    f.rows.push_back(escapable ? "<Up/Down> move  <Enter> select  <Esc> back" : "<Up/Down> move  <Enter> select");
    f.cursorRow = 3 + at;
    f.cursorCol = 1;
    t.Draw(f);
    Key k = t.ReadKey();
    switch (k.kind) {
      case KeyKind::kEof: return {Outcome::kEnded, -1};
      case KeyKind::kUp: at = at > 0 ? at - 1 : 0; break;
      case KeyKind::kDown: at = at + 1 < static_cast<int>(items.size()) ? at + 1 : at; break;
      case KeyKind::kEnter: return {Outcome::kChosen, at};
      case KeyKind::kEsc:
        if (escapable) return {Outcome::kCancelled, -1};
        break;
      default: break;
    }
  }
}

Outcome RunForm(Terminal& t, const std::string& title, const std::vector<std::string>& prompts,
                std::vector<FormField>& fields) {
  const int n = static_cast<int>(fields.size());
  const int ok = n, cancel = n + 1;  // focus stops after the fields
  int focus = 0;
  for (;;) {
    Frame f;
    f.rows = {title, ""};
    f.rows.insert(f.rows.end(), prompts.begin(), prompts.end());
    f.rows.push_back("");
    for (int i = 0; i < n; ++i) {
      const auto& fld = fields[static_cast<size_t>(i)];
      std::string shown = fld.secret ? std::string(fld.value.size(), '*') : fld.value;
      f.rows.push_back((i == focus ? "> " : "  ") + fld.label + " " + shown);
      if (i == focus) {
        f.cursorRow = static_cast<int>(f.rows.size());
        f.cursorCol = static_cast<int>(f.rows.back().size()) + 1;
      }
    }
    f.rows.push_back("");
    f.rows.push_back(Buttons({"OK", "Cancel"}, focus == cancel ? 1 : 0));
    if (focus >= n) {
      f.cursorRow = static_cast<int>(f.rows.size());
      f.cursorCol = focus == cancel ? 7 : 1;
    }
    t.Draw(f);
    Key k = t.ReadKey();
    auto* value = focus < n ? &fields[static_cast<size_t>(focus)].value : nullptr;
    switch (k.kind) {
      case KeyKind::kEof: return Outcome::kEnded;
      case KeyKind::kEsc: return Outcome::kCancelled;
      case KeyKind::kEnter: return focus == cancel ? Outcome::kCancelled : Outcome::kChosen;
      case KeyKind::kUp: focus = focus > 0 ? (focus >= n ? n - 1 : focus - 1) : 0; break;
      case KeyKind::kDown: focus = focus + 1 < n ? focus + 1 : (focus < n ? ok : focus); break;
      case KeyKind::kTab: focus = (focus + 1) % (n + 2); break;
      case KeyKind::kLeft: if (focus == cancel) focus = ok; break;
      case KeyKind::kRight: if (focus == ok) focus = cancel; break;
      case KeyKind::kBackspace: if (value && !value->empty()) value->pop_back(); break;
      case KeyKind::kChar: if (value && value->size() < kDmsMaxFieldLength) *value += k.ch; break;
    }
  }
}

Choice RunMessage(Terminal& t, const std::string& title, const std::vector<std::string>& lines,
                  const std::vector<std::string>& buttons) {
  int at = 0;
  const int count = static_cast<int>(buttons.size());
  for (;;) {
    Frame f;
    f.rows = {title, ""};
    f.rows.insert(f.rows.end(), lines.begin(), lines.end());
    f.rows.push_back("");
    f.rows.push_back(Buttons(buttons, at));
    f.cursorRow = static_cast<int>(f.rows.size());
    t.Draw(f);
    Key k = t.ReadKey();
    switch (k.kind) {
      case KeyKind::kEof: return {Outcome::kEnded, -1};
      case KeyKind::kEsc: return {Outcome::kCancelled, -1};
      case KeyKind::kEnter: return {Outcome::kChosen, at};
      case KeyKind::kTab:
      case KeyKind::kRight: at = (at + 1) % count; break;
      case KeyKind::kLeft: at = (at + count - 1) % count; break;
      default: break;
    }
  }
}

}  // namespace pkiform::sim
