// Backoff records of failing peers (backoff.h).
#include "state/backoff.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "reconciler/util/file_reader.h"
#include "reconciler/util/utf8.h"
#include "state/atomic_file.h"

namespace pkiform::state {
namespace {

constexpr const char* kFileName = "backoff.json";
constexpr int kMaxDoublings = 5;  // 1 h * 2^5 = 32 h

// At most `max` bytes, never ending in part of a UTF-8 sequence (the JSON writer would
// replace it, and the reader would keep a different text).
std::string CutOnCharacter(const std::string& text, size_t max) {
  size_t end = 0;
  while (end < text.size()) {
    const size_t n = static_cast<unsigned char>(text[end]) < 0x80 ? 1 : std::max<size_t>(1, Utf8SequenceLength(text, end));
    if (end + n > max) break;
    end += n;
  }
  return text.substr(0, end);
}

std::string PathIn(const std::string& state_dir) { return state_dir + "/" + kFileName; }

Result<BackoffEntry> ReadEntry(const nlohmann::json& j, const std::string& where) {
  if (!j.is_object()) return Status::InvalidInput(where + " must be an object");
  BackoffEntry e;
  auto failures = j.find("failures");
  if (failures == j.end() || !failures->is_number_integer() || failures->get<long long>() < 1 ||
      failures->get<long long>() > 1000000)
    return Status::InvalidInput(where + ".failures must be a whole number from 1");
  e.failures = failures->get<int>();
  for (auto [key, field] : {std::pair{"last_failure", &BackoffEntry::last_failure},
                            std::pair{"next_attempt", &BackoffEntry::next_attempt},
                            std::pair{"last_error", &BackoffEntry::last_error}}) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string()) return Status::InvalidInput(where + "." + key + " must be a string");
    e.*field = it->get<std::string>();
  }
  for (const auto* time : {&e.last_failure, &e.next_attempt})
    if (auto t = pki::ParseRfc3339Utc(*time); !t.ok()) return t.status().WithContext(where);
  e.last_error = CutOnCharacter(e.last_error, kBackoffErrorBytes);
  return e;
}

}  // namespace

std::chrono::seconds BackoffRecords::Delay(int failures) {
  const int doublings = std::clamp(failures - 1, 0, kMaxDoublings);
  return std::chrono::hours(1) * (1 << doublings);
}

void BackoffRecords::RecordFailure(const std::string& peer, pki::TimePoint now, const std::string& error) {
  BackoffEntry& e = peers[peer];
  e.failures = std::min(e.failures + 1, 1000000);
  e.last_failure = pki::FormatRfc3339Utc(now);
  e.next_attempt = pki::FormatRfc3339Utc(now + Delay(e.failures));
  e.last_error = CutOnCharacter(error, kBackoffErrorBytes);
}

const BackoffEntry* BackoffRecords::Waiting(const std::string& peer, pki::TimePoint now) const {
  auto it = peers.find(peer);
  if (it == peers.end()) return nullptr;
  auto next = pki::ParseRfc3339Utc(it->second.next_attempt);
  return next.ok() && *next > now ? &it->second : nullptr;
}

Result<BackoffRecords> ReadBackoff(const std::string& state_dir) {
  const std::string path = PathIn(state_dir);
  BackoffRecords records;
  auto text = ReadBoundedFile(path, limits::FileLimit{kBackoffFileBytes, "a backoff file"});
  if (!text.ok()) {
    if (text.status().code() == Status::Code::kNotFound) return records;
    return text.status().WithContext(path);
  }
  nlohmann::json j = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Status::InvalidInput(path + ": not a JSON object");
  auto peers = j.find("peers");
  if (peers == j.end() || !peers->is_object()) return Status::InvalidInput(path + ": \"peers\" must be an object");
  for (const auto& [key, value] : peers->items()) {
    auto e = ReadEntry(value, "peers[\"" + key + "\"]");
    if (!e.ok()) return e.status().WithContext(path);
    records.peers[key] = std::move(e).value();
  }
  return records;
}

Status WriteBackoff(const std::string& state_dir, const BackoffRecords& records) {
  nlohmann::json peers = nlohmann::json::object();
  for (const auto& [key, e] : records.peers)
    peers[key] = {{"failures", e.failures},
                  {"last_failure", e.last_failure},
                  {"next_attempt", e.next_attempt},
                  {"last_error", e.last_error}};
  const nlohmann::json j = {{"peers", peers}};
  const std::string text = j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  if (Status s = WriteFileAtomic(PathIn(state_dir), text, 0600); !s.ok()) return s.WithContext(PathIn(state_dir));
  return Status::Ok();
}

}  // namespace pkiform::state
