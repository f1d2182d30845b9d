#include "state/history.h"

#include <array>
#include <nlohmann/json.hpp>
#include <string_view>
#include <utility>

#include "reconciler/pki/clock.h"
#include "state/atomic_file.h"

namespace pkiform::state {

namespace {

constexpr const char* kFileName = "history.jsonl";

// The JSON key of every field, in the order lines are written.
using Field = std::pair<const char*, std::string HistoryEntry::*>;
constexpr std::array<Field, 12> kFields = {{
    {"time", &HistoryEntry::time},
    {"user", &HistoryEntry::user},
    {"manifest_commit", &HistoryEntry::manifest_commit},
    {"command", &HistoryEntry::command},
    {"cluster", &HistoryEntry::cluster},
    {"peer", &HistoryEntry::peer},
    {"address", &HistoryEntry::address},
    {"action", &HistoryEntry::action},
    {"before_fingerprint", &HistoryEntry::before_fingerprint},
    {"after_fingerprint", &HistoryEntry::after_fingerprint},
    {"outcome", &HistoryEntry::outcome},
    {"detail", &HistoryEntry::detail},
}};

bool OneOf(const std::string& value, std::initializer_list<std::string_view> allowed) {
  for (std::string_view a : allowed)
    if (value == a) return true;
  return false;
}

Status Check(const HistoryEntry& entry) {
  if (Result<pki::TimePoint> t = pki::ParseRfc3339Utc(entry.time); !t.ok()) {
    return t.status().WithContext("history entry time");
  }
  if (!OneOf(entry.command, {"plan", "apply", "reconcile"})) {
    return Status::InvalidInput("history entry command '" + entry.command + "' is not plan, apply or reconcile");
  }
  if (!OneOf(entry.outcome, {"applied", "requested", "failed", "rolled-back"})) {
    return Status::InvalidInput("history entry outcome '" + entry.outcome + "' is not applied, requested, failed or rolled-back");
  }
  return Status::Ok();
}

}  // namespace

Status AppendHistory(const std::string& state_dir, const HistoryEntry& entry) {
  Status valid = Check(entry);
  if (!valid.ok()) return valid;
  nlohmann::ordered_json line = nlohmann::ordered_json::object();
  for (const auto& [key, member] : kFields) line[key] = entry.*member;
  // dump() escapes control characters, so the line holds no raw newline.
  return AppendLineToFile(state_dir + "/" + kFileName,
                          line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace), 0600);
}

Result<std::vector<HistoryEntry>> ReadHistory(const std::string& state_dir) {
  const std::string path = state_dir + "/" + kFileName;
  Result<std::string> content = ReadFile(path);
  std::vector<HistoryEntry> entries;
  if (!content.ok()) {
    if (content.status().code() == Status::Code::kNotFound) return entries;
    return content.status();
  }
  std::string_view rest = *content;
  for (size_t number = 1; !rest.empty(); ++number) {
    const size_t end = rest.find('\n');
    if (end == std::string_view::npos) break;  // being appended right now, or torn by a crash
    const std::string_view text = rest.substr(0, end);
    rest.remove_prefix(end + 1);
    auto malformed = [&](const std::string& why) {
      return Status::InvalidInput(path + ":" + std::to_string(number) + ": malformed history line: " + why);
    };
    const nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded()) return malformed("not JSON");
    if (!json.is_object()) return malformed("not a JSON object");
    HistoryEntry entry;
    for (const auto& [key, member] : kFields) {
      auto it = json.find(key);
      if (it == json.end()) return malformed(std::string("no \"") + key + "\"");
      if (!it->is_string()) return malformed(std::string("\"") + key + "\" is not a string");
      entry.*member = it->get<std::string>();
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace pkiform::state
