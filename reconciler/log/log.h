// Logging: every line pkiform writes to stderr goes through spdlog, whose
// loggers ConfigureLogging() points at one stderr sink (stdout carries plans,
// JSON and the apply summary). How one line looks is in log_line.h.
//
// Levels follow -v: none shows warnings and errors, -v adds info (what each
// step chose, e.g. "writing files over exec: the host has no SFTP"), -vv adds
// debug. Progress lines (Progress) are shown whatever the level, as they always
// were: they are what a person running apply follows. Outcome lines (Outcome:
// what became of each change and peer) are always in JSON, which has no summary
// to read them from, and in text only with -v, since the summary on stdout says
// the same. `--log-format json` prints one JSON object per line with the run id
// and, when the line is about one, its cluster, peer, change and outcome.
//
// Every message is escaped (util/terminal_escape.h) before it reaches the sink:
// appliance output, file names and manifest values may hold control bytes, and a
// log line must never move the cursor of a terminal or forge another line in a
// CI log. Messages never carry secrets: callers log names, never values, of
// passwords, keys and passphrases.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

#include "reconciler/log/log_line.h"

namespace pkiform::log {

enum class Level { kDebug, kInfo, kWarn, kError };

// Installs the loggers; verbosity is the count of -v. `out` is stderr but in tests.
// Call it before any thread logs (pkiform does, first thing after parsing its options).
void ConfigureLogging(Format format, int verbosity, std::FILE* out = stderr);
Format CurrentFormat();
// This invocation's run id (log_line.h NewRunId), made by ConfigureLogging.
const std::string& RunId();

// "pkiform: <level>: <text>", shown from its level on.
void Log(Level level, const Event& event, std::string_view text);
inline void Debug(const Event& event, std::string_view text) { Log(Level::kDebug, event, text); }
inline void Info(const Event& event, std::string_view text) { Log(Level::kInfo, event, text); }
inline void Warn(const Event& event, std::string_view text) { Log(Level::kWarn, event, text); }
inline void Error(const Event& event, std::string_view text) { Log(Level::kError, event, text); }
// "pkiform: <text>": a verdict whose words already say how bad it is.
void Verdict(Level level, const Event& event, std::string_view text);
// "<text>", whatever -v says (JSON: at `level`, info for ordinary progress).
void Progress(Level level, const Event& event, std::string_view text);
// What became of a change or a peer: always in JSON, only with -v in text ("pkiform: error: ...").
void Outcome(Level level, const Event& event, std::string_view text);

// Progress on a terminal (issue 12): one status line at the bottom of stderr, rewritten in
// place ("Observing: 12/40 peers, 3s"), that log lines scroll above. Only when stderr is a
// terminal and the format is text: otherwise both do nothing, so pipes, files and CI logs
// never see a carriage return. The text is escaped like every message.
void ShowStatus(std::string_view text);
void ClearStatus();

// While one lives, every line its thread logs without a cluster or peer of its own is
// about this peer: the providers' notes ("the host has no SFTP subsystem") carry it.
class ScopedPeer {
 public:
  ScopedPeer(const std::string& cluster, const std::string& peer);
  ~ScopedPeer();
  ScopedPeer(const ScopedPeer&) = delete;
  ScopedPeer& operator=(const ScopedPeer&) = delete;

 private:
  Event previous_;
};

}  // namespace pkiform::log
