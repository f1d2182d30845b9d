// The stderr logger (log.h).
#include "reconciler/log/log.h"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>

#include "reconciler/util/terminal_escape.h"

namespace pkiform::log {
namespace {

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

void ConfigureLogging(Format format, int verbosity) {
  auto logger = std::make_shared<spdlog::logger>("pkiform", std::make_shared<StderrSink>(format));
  logger->set_level(verbosity >= 2 ? spdlog::level::debug
                    : verbosity == 1 ? spdlog::level::info
                                     : spdlog::level::warn);
  spdlog::set_default_logger(std::move(logger));
}

}  // namespace pkiform::log
