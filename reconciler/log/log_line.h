// One log line as pkiform writes it to stderr (log.h decides which records are
// written; this file only says how one looks), so that its format can be tested
// without a logger.
//
// Text (what people read, unchanged since before JSON existed):
//   pkiform: warning: history: disk full           (Style::kLevel)
//   pkiform: 1 error in the manifests; ...          (Style::kProgram)
//   web1.fleet.test: verified: nginx serves 3A:...  (Style::kBare: progress)
// JSON (`--log-format json`), one object per line, fields in this order, empty ones left out:
//   {"time":"2026-12-06T17:12:00.123Z","level":"info","run":"9f0c2a51d4e87b36",
//    "msg":"web1.fleet.test: verified: nginx serves 3A:...","cluster":"web",
//    "peer":"web1.fleet.test","change":"web/web1.fleet.test/identity/nginx","outcome":"verified"}
// Every string (msg and the fields) is escaped for terminals first (util/terminal_escape.h),
// so neither format can carry a control byte or invalid UTF-8 to whoever reads it.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace pkiform::log {

enum class Format { kText, kJson };

// How a record reads in text format; JSON is the same for all three.
enum class Style {
  kLevel,    // "pkiform: <level>: <msg>": warnings, errors, -v notes
  kProgram,  // "pkiform: <msg>": a verdict the level would only repeat
  kBare,     // "<msg>": progress lines, which name their peer themselves
};

// What a line is about, when it is about one thing: each field may be empty.
struct Event {
  std::string cluster;
  std::string peer;
  std::string change;   // the change address, e.g. "web/web1.fleet.test/identity/nginx"
  std::string outcome;  // applied, failed, rolled-back, verified, skipped, requested, ...
};

struct LogLine {
  std::chrono::system_clock::time_point time;
  std::string_view level;  // spdlog's names: debug, info, warning, error
  std::string_view run;    // the run id (NewRunId)
  std::string_view msg;
  Style style = Style::kLevel;
  const Event* event = nullptr;
};

// The line, with its trailing newline.
std::string FormatLogLine(Format format, const LogLine& line);

// RFC 3339 in UTC with milliseconds: "2026-12-06T17:12:00.123Z".
std::string FormatRfc3339Millis(std::chrono::system_clock::time_point time);

// 16 random lower-case hex digits: one per pkiform invocation, on every JSON line,
// so that the lines of one run can be picked out of a shared log.
std::string NewRunId();

}  // namespace pkiform::log
