// The stderr logger (log.h).
#include "reconciler/log/log.h"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>

namespace pkiform::log {
namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is not one.
size_t Utf8Length(const std::string& s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  size_t len = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 0;
  if (len == 0 || i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k)
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  // C1 controls (U+0080..U+009F) are two-byte sequences C2 80..C2 9F: escape them too.
  if (len == 2 && c == 0xC2 && byte(i + 1) < 0xA0) return 0;
  return len;
}

// One line per record on stderr, as text or as a JSON object; one writer at a time.
class StderrSink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit StderrSink(Format format) : format_(format) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    const std::string text = EscapeForTerminal(std::string(msg.payload.data(), msg.payload.size()));
    const std::string level(spdlog::level::to_string_view(msg.level).data(),
                            spdlog::level::to_string_view(msg.level).size());
    std::string line;
    if (format_ == Format::kJson) {
      const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch()).count();
      line = nlohmann::json{{"time_ms", ms}, {"level", level}, {"msg", text}}.dump() + "\n";
    } else {
      line = "pkiform: " + level + ": " + text + "\n";
    }
    std::fwrite(line.data(), 1, line.size(), stderr);
  }
  void flush_() override { std::fflush(stderr); }

 private:
  Format format_;
};

}  // namespace

std::string EscapeForTerminal(const std::string& text) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t' || (c >= 0x20 && c < 0x7F)) {
      out += static_cast<char>(c);
    } else if (c >= 0x80) {
      if (size_t len = Utf8Length(text, i)) {
        out.append(text, i, len);
        i += len;
        continue;
      }
      out += {'\\', 'x', kHex[c >> 4], kHex[c & 15]};
    } else {
      out += {'\\', 'x', kHex[c >> 4], kHex[c & 15]};
    }
    ++i;
  }
  return out;
}

void ConfigureLogging(Format format, int verbosity) {
  auto logger = std::make_shared<spdlog::logger>("pkiform", std::make_shared<StderrSink>(format));
  logger->set_level(verbosity >= 2 ? spdlog::level::debug
                    : verbosity == 1 ? spdlog::level::info
                                     : spdlog::level::warn);
  spdlog::set_default_logger(std::move(logger));
}

}  // namespace pkiform::log
