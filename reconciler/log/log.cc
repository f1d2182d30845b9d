// The loggers and their one sink (log.h).
#include "reconciler/log/log.h"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include "reconciler/util/terminal_escape.h"

#include <unistd.h>

#include <algorithm>
#include <memory>
#include <mutex>

namespace pkiform::log {
namespace {

// spdlog 1.10 has no structured fields: the helpers below hand the record's event and
// style to the sink through these, on the thread that logs (the loggers are synchronous).
struct Pending {
  const Event* event = nullptr;
  Style style = Style::kLevel;
};
thread_local Pending pending;
thread_local Event scope;  // ScopedPeer

// One line per record, as text or as a JSON object; one writer at a time.
class LineSink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  LineSink(Format format, std::string run, std::FILE* out)
      : format_(format), run_(std::move(run)), out_(out),
        status_enabled_(format == Format::kText && isatty(fileno(out))) {}

  // The status line (ShowStatus): drawn at the bottom, under every log line.
  void SetStatus(std::string text) {
    if (!status_enabled_) return;
    std::lock_guard<std::mutex> g(mutex_);
    status_ = std::move(text);
    std::string out = "\r\x1b[K" + status_;
    std::fwrite(out.data(), 1, out.size(), out_);
    std::fflush(out_);
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    Event event = scope;
    if (pending.event) {
      auto take = [](std::string& field, const std::string& value) {
        if (!value.empty()) field = value;
      };
      take(event.cluster, pending.event->cluster);
      take(event.peer, pending.event->peer);
      take(event.change, pending.event->change);
      take(event.outcome, pending.event->outcome);
    }
    const auto level = spdlog::level::to_string_view(msg.level);
    LogLine line{msg.time,
                 std::string_view(level.data(), level.size()),
                 run_,
                 std::string_view(msg.payload.data(), msg.payload.size()),
                 pending.style,
                 &event};
    const std::string text = FormatLogLine(format_, line);
    // stdout first: when both go to one file (2>&1), a line keeps its place after the plan.
    std::fflush(stdout);
    if (!status_.empty()) std::fwrite("\r\x1b[K", 1, 4, out_);  // the line scrolls up above the status
    std::fwrite(text.data(), 1, text.size(), out_);
    if (!status_.empty()) std::fwrite(status_.data(), 1, status_.size(), out_);
    std::fflush(out_);
  }
  void flush_() override { std::fflush(out_); }

 private:
  Format format_;
  std::string run_;
  std::FILE* out_;
  const bool status_enabled_;
  std::string status_;  // escaped; "" when none is shown
};

spdlog::level::level_enum SpdLevel(Level level) {
  switch (level) {
    case Level::kDebug: return spdlog::level::debug;
    case Level::kInfo: return spdlog::level::info;
    case Level::kWarn: return spdlog::level::warn;
    case Level::kError: return spdlog::level::err;
  }
  return spdlog::level::err;
}

struct Loggers {
  Format format = Format::kText;
  std::string run;
  std::shared_ptr<spdlog::logger> main;      // levels by -v; spdlog's default logger
  std::shared_ptr<spdlog::logger> progress;  // always from info
  std::shared_ptr<spdlog::logger> outcome;   // JSON: always from info; text: as main, but nothing without -v
  std::shared_ptr<LineSink> sink;
};

Loggers Make(Format format, int verbosity, std::FILE* out) {
  Loggers l;
  l.format = format;
  l.run = NewRunId();
  auto sink = std::make_shared<LineSink>(format, l.run, out);
  l.sink = sink;
  const auto by_verbosity = verbosity >= 2 ? spdlog::level::debug
                            : verbosity == 1 ? spdlog::level::info
                                             : spdlog::level::warn;
  l.main = std::make_shared<spdlog::logger>("pkiform", sink);
  l.main->set_level(by_verbosity);
  l.progress = std::make_shared<spdlog::logger>("pkiform-progress", sink);
  l.progress->set_level(std::min(by_verbosity, spdlog::level::info));
  l.outcome = std::make_shared<spdlog::logger>("pkiform-outcome", sink);
  l.outcome->set_level(format == Format::kJson ? std::min(by_verbosity, spdlog::level::info)
                       : verbosity >= 1        ? by_verbosity
                                               : spdlog::level::off);
  return l;
}

// Text to stderr, warnings up, until ConfigureLogging says otherwise.
Loggers& Current() {
  static Loggers loggers = [] {
    Loggers l = Make(Format::kText, 0, stderr);
    spdlog::set_default_logger(l.main);
    return l;
  }();
  return loggers;
}

void Write(spdlog::logger& logger, Level level, Style style, const Event& event, std::string_view text) {
  const Pending saved = pending;
  pending = {&event, style};
  logger.log(SpdLevel(level), spdlog::string_view_t(text.data(), text.size()));
  pending = saved;
}

}  // namespace

void ConfigureLogging(Format format, int verbosity, std::FILE* out) {
  // Current() first: its first call installs the defaults, which must not win over these.
  Loggers& current = Current();
  current = Make(format, verbosity, out);
  spdlog::set_default_logger(current.main);  // what the providers' spdlog::info(...) reach
}

Format CurrentFormat() { return Current().format; }

void ShowStatus(std::string_view text) { Current().sink->SetStatus(EscapeForTerminal(text, Backslash::kKeep)); }

void ClearStatus() { Current().sink->SetStatus(""); }

const std::string& RunId() { return Current().run; }

void Log(Level level, const Event& event, std::string_view text) {
  Write(*Current().main, level, Style::kLevel, event, text);
}

void Verdict(Level level, const Event& event, std::string_view text) {
  Write(*Current().main, level, Style::kProgram, event, text);
}

void Progress(Level level, const Event& event, std::string_view text) {
  Write(*Current().progress, level, Style::kBare, event, text);
}

void Outcome(Level level, const Event& event, std::string_view text) {
  Write(*Current().outcome, level, Style::kLevel, event, text);
}

ScopedPeer::ScopedPeer(const std::string& cluster, const std::string& peer) : previous_(scope) {
  scope = Event{cluster, peer, "", ""};
}

ScopedPeer::~ScopedPeer() { scope = previous_; }

}  // namespace pkiform::log
