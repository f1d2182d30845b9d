// A scripted AAI for the navigator's tests: a terminal that reads the contract's keys and
// redraws the whole screen after each one, as the simulator does (menus, forms with password
// fields, message boxes; docs/platforms/dms.md, "Keys"), over a small tree of screens given by
// the test. It records every key, so a test can check that the navigator read the screen
// rather than counted.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "providers/ssh/terminal.h"
#include "tests/providers/dms/aai_frames.h"

namespace pkiform::dmstest {

struct FakeField {
  std::string label;
  std::string value;
  bool secret = false;
  size_t max = 255;  // characters typed beyond it are dropped
};

struct FakeScreen {
  enum Kind { kMenu, kForm, kMessage } kind = kMenu;
  std::vector<std::string> items;   // menu
  std::vector<std::string> lines;   // form prompts, message rows
  std::vector<FakeField> fields;    // form
  std::vector<std::string> buttons = {"OK"};  // message
  std::map<std::string, std::string> next;    // item or button (OK for a form) -> screen title
  std::string back;                           // Esc -> screen title ("" = ignored)
  int start = 0;  // the item or focus stop highlighted when the screen is shown
};

// The screen title that ends the session.
inline constexpr const char* kEnd = "(end)";

class ScriptedAai : public ssh::Terminal {
 public:
  ScriptedAai(std::map<std::string, FakeScreen> screens, std::string start)
      : screens_(std::move(screens)) {
    Go(start);
    Redraw();
  }

  std::vector<std::string> keys;  // each key read, by name
  const FakeScreen& screen(const std::string& title) { return screens_.at(title); }

  Status Send(std::string_view text) override {
    for (size_t i = 0; i < text.size(); ++i) {
      std::string key;
      if (text.substr(i, 3) == "\x1b[A") key = "Up", i += 2;
      else if (text.substr(i, 3) == "\x1b[B") key = "Down", i += 2;
      else if (text.substr(i, 3) == "\x1b[C") key = "Right", i += 2;
      else if (text.substr(i, 3) == "\x1b[D") key = "Left", i += 2;
      else if (text[i] == '\x1b') key = "Esc";
      else if (text[i] == '\r') key = "Enter";
      else if (text[i] == '\t') key = "Tab";
      else if (text[i] == '\x7f') key = "Backspace";
      else key = std::string(1, text[i]);
      keys.push_back(key);
      Apply(key);
      Redraw();
    }
    return Status::Ok();
  }

  Result<std::string> Expect(const RE2& pattern, std::chrono::milliseconds, size_t max_output,
                             std::string* matched) override {
    re2::StringPiece match;
    if (!pattern.Match(buffer_, 0, buffer_.size(), RE2::UNANCHORED, &match, 1) ||
        static_cast<size_t>(match.data() - buffer_.data()) > max_output)
      return Status::IoError("timed out");
    const size_t start = static_cast<size_t>(match.data() - buffer_.data());
    std::string before = buffer_.substr(0, start);
    if (matched) matched->assign(match.data(), match.size());
    buffer_.erase(0, start + match.size());
    return before;
  }

 private:
  void Go(const std::string& title) {
    if (title.empty()) return;
    title_ = title;
    at_ = title == kEnd ? 0 : screens_.at(title).start;
  }

  void Apply(const std::string& key) {
    if (title_ == kEnd) return;
    FakeScreen& s = screens_.at(title_);
    const int n = static_cast<int>(s.kind == FakeScreen::kMenu ? s.items.size() : s.fields.size());
    if (key == "Esc") return Go(s.back);
    if (s.kind == FakeScreen::kMenu) {
      if (key == "Up" && at_ > 0) --at_;
      if (key == "Down" && at_ + 1 < n) ++at_;
      if (key == "Enter") Go(s.next[s.items[static_cast<size_t>(at_)]]);
    } else if (s.kind == FakeScreen::kForm) {  // focus stops: fields, OK (n), Cancel (n + 1)
      if (key == "Up") at_ = at_ > 0 ? (at_ >= n ? n - 1 : at_ - 1) : 0;
      if (key == "Down") at_ = at_ + 1 < n ? at_ + 1 : (at_ < n ? n : at_);
      if (key == "Tab") at_ = (at_ + 1) % (n + 2);
      if (key == "Enter") Go(at_ == n + 1 ? s.back : s.next["OK"]);
      auto* value = at_ < n ? &s.fields[static_cast<size_t>(at_)].value : nullptr;
      if (value && key == "Backspace" && !value->empty()) value->pop_back();
      if (value && key.size() == 1 && value->size() < s.fields[static_cast<size_t>(at_)].max) *value += key;
    } else {
      const int count = static_cast<int>(s.buttons.size());
      if (key == "Right" || key == "Tab") at_ = (at_ + 1) % count;
      if (key == "Enter") Go(s.next[s.buttons[static_cast<size_t>(at_)]]);
    }
  }

  void Redraw() {
    if (title_ == kEnd) return;  // the session ended: nothing more is drawn
    const FakeScreen& s = screens_.at(title_);
    std::vector<std::string> rows{title_, ""};
    int cursor = 1;
    auto buttons = [&](const std::vector<std::string>& names, int focused) {
      std::string row;
      for (size_t i = 0; i < names.size(); ++i)
        row += (i ? "  " : "") + (static_cast<int>(i) == focused ? "[" + names[i] + "]" : "<" + names[i] + ">");
      return row;
    };
    if (s.kind == FakeScreen::kMenu) {
      for (size_t i = 0; i < s.items.size(); ++i) rows.push_back((static_cast<int>(i) == at_ ? "> " : "  ") + s.items[i]);
      rows.push_back("");
      rows.push_back(s.back.empty() ? "<Up/Down> move  <Enter> select" : kHint);
      cursor = 3 + at_;
    } else if (s.kind == FakeScreen::kForm) {
      rows.insert(rows.end(), s.lines.begin(), s.lines.end());
      rows.push_back("");
      const int n = static_cast<int>(s.fields.size());
      for (int i = 0; i < n; ++i) {
        const auto& f = s.fields[static_cast<size_t>(i)];
        rows.push_back((i == at_ ? "> " : "  ") + f.label + " " + (f.secret ? std::string(f.value.size(), '*') : f.value));
        if (i == at_) cursor = static_cast<int>(rows.size());
      }
      rows.push_back("");
      rows.push_back(buttons({"OK", "Cancel"}, at_ == n + 1 ? 1 : 0));
      if (at_ >= n) cursor = static_cast<int>(rows.size());
    } else {
      rows.insert(rows.end(), s.lines.begin(), s.lines.end());
      rows.push_back("");
      rows.push_back(buttons(s.buttons, at_));
      cursor = static_cast<int>(rows.size());
    }
    buffer_ += Draw(rows, cursor, 1);
  }

  std::map<std::string, FakeScreen> screens_;
  std::string title_;
  int at_ = 0;
  std::string buffer_;
};

}  // namespace pkiform::dmstest
