// AdminSession: the VCS admin account's xACLI on an interactive PTY shell. The shell has no
// prompt: after the login banner it waits for a line, and every answer ends with a line
// `OK` (the dialect's answerEnd), which is the end-of-answer marker. The session sends
// `echo off` first (checking the banner came), then one command at a time, and returns
// each answer cleaned (CR and escapes removed, the PTY's echo of the command dropped, the
// `OK` line gone). The observation's reads can be typed ahead in one write (Prefetch) and
// their answers split at the `OK` lines. Every answer is bounded in bytes (AdminDialect::max_output_bytes) and
// time; an answer holding a `*r ... (status=Error)` result is an error quoting the reason
// and naming the seed rule the dialect gives for it.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <re2/re2.h>

#include "providers/cli/typed_ahead.h"
#include "providers/ssh/session.h"
#include "providers/ssh/terminal.h"
#include "providers/vcs/dialect.h"
#include "providers/vcs/xacli_text.h"
#include "reconciler/util/result.h"

namespace pkiform::vcs {

class AdminSession {
 public:
  // Opens a PTY shell on `session` (the admin account's login) and starts the session.
  // `session` and `dialect` are borrowed and must outlive the AdminSession.
  static Result<std::unique_ptr<AdminSession>> Open(ssh::SshSession& session, const Dialect& dialect);
  // The same on any terminal (tests drive it with scripted transcripts); `peer` names it in errors.
  static Result<std::unique_ptr<AdminSession>> Start(std::unique_ptr<ssh::Terminal> terminal, const Dialect& dialect,
                                                     std::string peer);

  // Runs one command; its answer without the echo and the `OK` line. A refusal is an error.
  // An answer typed ahead for the same command (Prefetch) is taken instead of typing it.
  Result<std::string> Run(const std::string& command);

  // Types `commands` (reads only: xStatus, xConfiguration without a value) ahead,
  // AdminDialect::type_ahead_bytes of them per write, reads their answers `OK` by `OK` and
  // keeps each for the Run of the same command that follows. Running any other command drops
  // what is kept (it may change what they read). With type_ahead_bytes 0 it does nothing.
  Status Prefetch(const std::vector<std::string>& commands);
  void DropPrefetched() { prefetched_.Clear(); }

  // An xCommand of the dialect with its placeholders filled (each value checked with
  // CheckQuotable), its result checked against the command's result name.
  Result<CommandResult> Command(const XCommand& command, const std::map<std::string, std::string>& values = {});

  // The observation reads (one command each).
  Result<SystemUnit> ReadSystemUnit();
  Result<Alternates> ReadAlternates();
  Result<CrlAutomatic> ReadCrlAutomatic();
  Result<SipTlsRevocation> ReadSipTlsRevocation();

  // `xConfiguration <path> <leaf>: <value>`; `quoted` puts the value between double quotes
  // (strings), else it is typed bare (On, Off, enumerations).
  Status Configure(const std::string& path, const std::string& leaf, const std::string& value, bool quoted);

  // After `xCommand Restart` (V7): Ok once the peer closes the shell, an error when it is
  // still open after `timeout` or anything but the close happens.
  Status AwaitClose(std::chrono::seconds timeout);

  // Commands sent so far, `echo off` included (the docs' count).
  int commands_sent() const { return commands_; }
  // Writes the session waited on (a batch typed ahead is one): the round trips.
  int round_trips() const { return round_trips_; }

 private:
  AdminSession(std::unique_ptr<ssh::Terminal> terminal, const Dialect& dialect, std::string peer);
  // Runs a read and parses its answer; a parse failure names the command (and `rule`, if any).
  template <typename T>
  Result<T> Read(const std::string& command, Result<T> (*parse)(std::string_view, const Dialect&), const char* rule);
  // Waits for the `OK` line; the cleaned text before it.
  Result<std::string> Collect(const std::string& command, std::chrono::seconds timeout);
  // The same for typed[index] of commands typed together (their echoes dropped).
  Result<std::string> Collect(const std::vector<std::string>& typed, size_t index, std::chrono::seconds timeout);
  Status TypeAhead(const std::vector<std::string>& batch);
  // `answer` unless it is a refusal (then an error quoting its reason).
  Result<std::string> Checked(const std::string& command, std::string answer);

  std::unique_ptr<ssh::Terminal> terminal_;
  const Dialect& dialect_;
  std::string peer_;
  RE2 answer_end_;
  cli::TypedAheadAnswers prefetched_;
  int commands_ = 0;
  int round_trips_ = 0;
};

}  // namespace pkiform::vcs
