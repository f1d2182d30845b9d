// Logging: every log line of pkiform goes through spdlog's default logger,
// which ConfigureLogging() points at stderr (stdout carries plans and JSON).
//
// Levels follow -v: none shows warnings and errors, -v adds info (what each
// step chose, e.g. "writing files over exec: the host has no SFTP"), -vv adds
// debug. `--log-format json` prints one JSON object per line. Every message is
// escaped (util/terminal_escape.h) before it reaches the sink: appliance output, file names
// and manifest values may hold control bytes, and a log line must never move the
// cursor of a terminal or forge another line in a CI log. Messages never carry
// secrets: callers log names, never values, of passwords, keys and passphrases.
#pragma once

#include <string>

namespace pkiform::log {

enum class Format { kText, kJson };

// Installs the stderr logger; verbosity is the count of -v.
void ConfigureLogging(Format format, int verbosity);

}  // namespace pkiform::log
