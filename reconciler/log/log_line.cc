// The format of one log line (log_line.h).
#include "reconciler/log/log_line.h"

#include <openssl/rand.h>

#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <random>

#include "reconciler/pki/clock.h"
#include "reconciler/util/terminal_escape.h"

namespace pkiform::log {

std::string FormatRfc3339Millis(std::chrono::system_clock::time_point time) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(time);
  const long long millis = std::chrono::duration_cast<std::chrono::milliseconds>(time - seconds).count();
  std::string out = pki::FormatRfc3339Utc(seconds);  // "...T17:12:00Z"
  char frac[32];
  std::snprintf(frac, sizeof frac, ".%03lldZ", millis);
  out.pop_back();
  return out + frac;
}

std::string NewRunId() {
  std::array<unsigned char, 8> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    // Only an identifier, never a secret: the OS generator will do when OpenSSL's has no seed.
    std::random_device rd;
    for (auto& b : bytes) b = static_cast<unsigned char>(rd());
  }
  static const char kHex[] = "0123456789abcdef";
  std::string id;
  for (unsigned char b : bytes) {
    id += kHex[b >> 4];
    id += kHex[b & 0xf];
  }
  return id;
}

std::string FormatLogLine(Format format, const LogLine& line) {
  const std::string msg = EscapeForTerminal(line.msg);
  if (format == Format::kText) {
    switch (line.style) {
      case Style::kBare:
        return msg + "\n";
      case Style::kProgram:
        return "pkiform: " + msg + "\n";
      case Style::kLevel:
        break;
    }
    return "pkiform: " + std::string(line.level) + ": " + msg + "\n";
  }
  // ordered_json: time, level, run and msg lead, as a person reading the raw log expects.
  nlohmann::ordered_json j;
  j["time"] = FormatRfc3339Millis(line.time);
  j["level"] = std::string(line.level);
  j["run"] = std::string(line.run);
  j["msg"] = msg;
  if (line.event) {
    auto field = [&j](const char* name, const std::string& value) {
      if (!value.empty()) j[name] = EscapeForTerminal(value);
    };
    field("cluster", line.event->cluster);
    field("peer", line.event->peer);
    field("change", line.event->change);
    field("outcome", line.event->outcome);
  }
  // Escaped above, so always valid UTF-8; `replace` only guards against a future caller.
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace pkiform::log
