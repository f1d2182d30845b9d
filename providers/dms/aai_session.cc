#include "providers/dms/aai_session.h"

#include <algorithm>

#include <re2/re2.h>

namespace pkiform::dms {
namespace {

// The keys, as the contract's "Keys" table gives their bytes.
constexpr std::string_view kUp = "\x1b[A";
constexpr std::string_view kDown = "\x1b[B";
constexpr std::string_view kRight = "\x1b[C";
constexpr std::string_view kTab = "\t";
constexpr std::string_view kEnter = "\r";
constexpr std::string_view kEsc = "\x1b";
constexpr std::string_view kBackspace = "\x7f";
constexpr size_t kMaxFieldLength = 255;  // the contract: a field keeps at most 255 characters

std::string List(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + Quoted(n);
  return out.empty() ? "none" : out;
}

Status Wrong(const Screen& s, std::string_view wanted) {
  return Status::Failed("AAI: expected " + std::string(wanted) + ", the appliance shows the " + s.Describe());
}

}  // namespace

Result<Screen> AaiSession::ReadScreen() {
  // Each frame ends with a cursor placement: wait for placements until a frame is complete.
  static const RE2 kPlacement(R"(\x1b\[[0-9]{1,4};[0-9]{1,4}H)");
  const auto deadline = std::chrono::steady_clock::now() + limits_.frame_timeout;
  std::string seen;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      return Status::IoError("AAI: no complete screen within " + std::to_string(limits_.frame_timeout.count()) +
                             " ms; last output: " + Quoted(seen));
    std::string matched;
    auto before = t_.Expect(kPlacement, left, limits_.max_frame_bytes - seen.size(), &matched);
    if (!before.ok()) return before.status().WithContext("AAI: waiting for a screen");
    seen += *before;
    seen += matched;
    if (seen.size() > limits_.max_frame_bytes)
      return Status::IoError("AAI: more than " + std::to_string(limits_.max_frame_bytes) +
                             " bytes without a complete screen");
    auto frame = LastCompleteFrame(seen);
    if (!frame.ok()) {
      if (frame.status().code() == Status::Code::kNotFound) continue;
      return frame.status();
    }
    auto screen = Classify(*frame);
    if (!screen.ok()) return screen.status();
    screen_ = *screen;
    return screen;
  }
}

Result<Screen> AaiSession::Current() {
  if (screen_) return *screen_;
  return ReadScreen();
}

Result<Screen> AaiSession::Key(std::string_view keys, std::string_view what) {
  screen_.reset();  // whatever was shown is gone once a key is pressed
  auto sent = t_.Send(keys);
  if (!sent.ok()) return sent.WithContext("AAI: pressing " + std::string(what));
  return ReadScreen();
}

Status AaiSession::Choose(const std::string& item) {
  auto s = Current();
  if (!s.ok()) return s.status();
  if (s->kind != ScreenKind::kMenu) return Wrong(*s, "a menu to choose " + Quoted(item));
  const std::string title = s->title;
  // A menu has few items; one more step than items means the highlight is not following.
  for (size_t steps = 0;; ++steps) {
    auto it = std::find(s->items.begin(), s->items.end(), item);
    if (it == s->items.end())
      return Status::NotFound("AAI: the menu " + Quoted(title) + " has no item " + Quoted(item) + "; its items: " +
                              List(s->items));
    const int target = static_cast<int>(it - s->items.begin());
    if (s->highlighted == target) break;
    if (steps > s->items.size())
      return Status::Failed("AAI: the highlight of the menu " + Quoted(title) + " does not reach " + Quoted(item));
    const int before = s->highlighted;
    s = Key(s->highlighted < target ? kDown : kUp, s->highlighted < target ? "Down" : "Up");
    if (!s.ok()) return s.status();
    if (s->kind != ScreenKind::kMenu || s->title != title) return Wrong(*s, "the menu " + Quoted(title));
    if (s->highlighted == before)
      return Status::Failed("AAI: the highlight of the menu " + Quoted(title) + " did not move towards " + Quoted(item));
  }
  auto next = Key(kEnter, "Enter");
  return next.ok() ? Status::Ok() : next.status().WithContext("AAI: choosing " + Quoted(item));
}

Status AaiSession::Fill(const std::string& label, const std::string& value) {
  if (value.size() > kMaxFieldLength)
    return Status::InvalidInput("AAI: a value of " + std::to_string(value.size()) + " characters for " + Quoted(label) +
                                ": a field keeps at most " + std::to_string(kMaxFieldLength));
  if (!std::all_of(value.begin(), value.end(), [](char c) { return c >= 0x20 && c <= 0x7e; }))
    return Status::InvalidInput("AAI: the value for " + Quoted(label) +
                                " is not printable ASCII, which is all the AAI accepts");
  auto s = Current();
  if (!s.ok()) return s.status();
  if (s->kind != ScreenKind::kForm) return Wrong(*s, "a form with the field " + Quoted(label));
  const std::string title = s->title;
  auto index_of = [&](const Screen& screen) {
    for (size_t i = 0; i < screen.fields.size(); ++i)
      if (screen.fields[i].label == label) return static_cast<int>(i);
    return -1;
  };
  std::vector<std::string> labels;
  for (const auto& f : s->fields) labels.push_back(f.label);
  // Focus: Down towards a later field, Up towards an earlier one or from the buttons.
  for (size_t steps = 0;; ++steps) {
    const int target = index_of(*s);
    if (target < 0)
      return Status::NotFound("AAI: the form " + Quoted(title) + " has no field " + Quoted(label) + "; its fields: " +
                              List(labels));
    const int focus = s->FocusedField();
    if (focus == target) break;
    if (steps > s->fields.size() + 2)
      return Status::Failed("AAI: the focus of the form " + Quoted(title) + " does not reach " + Quoted(label));
    const bool down = focus >= 0 && focus < target;
    s = Key(down ? kDown : kUp, down ? "Down" : "Up");
    if (!s.ok()) return s.status();
    if (s->kind != ScreenKind::kForm || s->title != title) return Wrong(*s, "the form " + Quoted(title));
    if (s->FocusedField() == focus)
      return Status::Failed("AAI: the focus of the form " + Quoted(title) + " did not move towards " + Quoted(label));
  }
  // Clear what the field holds, then type; each key redraws, so read one screen per key.
  const size_t old = s->fields[static_cast<size_t>(index_of(*s))].value.size();
  std::string keys;
  for (size_t i = 0; i < old; ++i) keys += kBackspace;
  keys += value;
  // Nothing to clear or type: no key, so no new screen to wait for.
  if (keys.empty()) return Status::Ok();
  screen_.reset();
  auto sent = t_.Send(keys);
  if (!sent.ok()) return sent.WithContext("AAI: typing into " + Quoted(label));
  const std::string masked(value.size(), '*');
  for (size_t i = 0; i < keys.size(); ++i) {
    s = ReadScreen();
    if (!s.ok()) return s.status().WithContext("AAI: typing into " + Quoted(label));
    if (s->kind != ScreenKind::kForm || s->title != title || index_of(*s) < 0)
      return Wrong(*s, "the form " + Quoted(title));
  }
  const auto& shown = s->fields[static_cast<size_t>(index_of(*s))];
  if (!shown.focused || (shown.value != value && shown.value != masked))
    return Status::Failed("AAI: after typing " + std::to_string(value.size()) + " characters, the field " +
                          Quoted(label) + " of the form " + Quoted(title) + " shows " +
                          std::to_string(shown.value.size()) + " characters that are not the value typed");
  return Status::Ok();
}

Status AaiSession::Press(const std::string& button) {
  auto s = Current();
  if (!s.ok()) return s.status();
  if (s->kind == ScreenKind::kMenu) return Wrong(*s, "a screen with the button " + Quoted(button));
  const std::string title = s->title;
  const ScreenKind kind = s->kind;
  const auto has_focus = [&](const Screen& screen) {
    return screen.FocusedField() < 0 && screen.focused_button >= 0 &&
           screen.buttons[static_cast<size_t>(screen.focused_button)] == button;
  };
  // On a form Tab walks the fields, then the buttons; in a message box Right walks the buttons.
  for (size_t steps = 0;; ++steps) {
    if (std::find(s->buttons.begin(), s->buttons.end(), button) == s->buttons.end())
      return Status::NotFound("AAI: the " + s->Describe() + " has no button " + Quoted(button) + "; its buttons: " +
                              List(s->buttons));
    // With a field focused, Enter chooses OK (the contract): no need to move.
    if (has_focus(*s) || (button == "OK" && s->kind == ScreenKind::kForm && s->FocusedField() >= 0)) break;
    if (steps > s->fields.size() + s->buttons.size() + 1)
      return Status::Failed("AAI: the focus of the " + s->Describe() + " does not reach " + Quoted(button));
    const bool form = s->kind == ScreenKind::kForm;
    s = Key(form ? kTab : kRight, form ? "Tab" : "Right");
    if (!s.ok()) return s.status();
    if (s->kind != kind || s->title != title) return Wrong(*s, "the same screen, " + Quoted(title));
  }
  auto next = Key(kEnter, "Enter");
  return next.ok() ? Status::Ok() : next.status().WithContext("AAI: pressing " + Quoted(button));
}

Status AaiSession::Back() {
  auto s = Current();
  if (!s.ok()) return s.status();
  if (s->kind == ScreenKind::kMenu && !s->escapable)
    return Status::Failed("AAI: the menu " + Quoted(s->title) + " has no way back (Esc is ignored there)");
  auto next = Key(kEsc, "Esc");
  return next.ok() ? Status::Ok() : next.status().WithContext("AAI: going back from the " + s->Describe());
}

}  // namespace pkiform::dms
