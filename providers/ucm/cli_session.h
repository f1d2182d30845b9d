// CliSession: one interactive UCM CLI session on an SSH connection. It waits through the
// start-up banner for the prompt, turns pagination off, then runs one command at a time:
// types it, answers the questions the dialect lists, and returns the answer cleaned
// (CR and ANSI escapes removed, the echoed command line dropped). Read-only commands can
// be typed ahead (Prefetch) so that an observation costs two round trips, not one per
// command; their answers are then split at the prompts. Each command's output
// is bounded (Dialect::max_output_bytes) and timed out; an answer holding the dialect's
// failure line is an error quoting (a bounded excerpt of) what the node said.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <re2/re2.h>

#include "providers/cli/typed_ahead.h"
#include "providers/ssh/session.h"
#include "providers/ssh/shell.h"
#include "providers/ssh/terminal.h"
#include "providers/ucm/dialect.h"
#include "reconciler/util/result.h"

namespace pkiform::ucm {

class CliSession {
 public:
  // `session` and `dialect` are borrowed and must outlive the CliSession.
  static Result<std::unique_ptr<CliSession>> Open(ssh::SshSession& session, const Dialect& dialect);

  // Runs `command`; `questions` are answered when asked. Fails on the dialect's failure
  // line, and when `success` is not empty and no line holds it.
  Result<std::string> Run(const std::string& command, std::chrono::seconds timeout,
                          const std::vector<Question>& questions = {}, const std::string& success = {});
  Result<std::string> Run(const std::string& command) {
    return Run(command, std::chrono::seconds(dialect_.command_seconds));
  }

  // Runs a paste command: types `command`, waits for `paste.paste`, types `pem` line by
  // line and an empty line (the end of the paste), and checks `paste.success`.
  Result<std::string> Paste(const std::string& command, const PasteCommand& paste, const std::string& pem);

  // Types `commands` ahead, Dialect::type_ahead_bytes of them per write, reads their answers
  // prompt by prompt and keeps each for the Run of the same command that follows (without
  // questions). Only read-only commands that ask nothing may be given: a question would take
  // the next typed line for its answer. A Run of any other command drops what is kept (it
  // may change what they read). With type_ahead_bytes 0 it does nothing: Run types each.
  Status Prefetch(const std::vector<std::string>& commands);
  void DropPrefetched() { prefetched_.Clear(); }

  // Commands sent so far in this session (pagination included), for the docs' count.
  int commands_sent() const { return commands_; }
  // Times this session typed and then waited for the node (a batch typed ahead is one, an
  // answered question one more): the round trips.
  int round_trips() const { return round_trips_; }

 private:
  CliSession(const Dialect& dialect, std::unique_ptr<ssh::Terminal> shell);
  // Waits for the prompt or one of `questions` (answering them); returns the cleaned text.
  Result<std::string> Collect(const std::string& command, std::chrono::seconds timeout,
                              const std::vector<Question>& questions);
  Status Check(const std::string& command, const std::string& answer, const std::string& success) const;
  // Sends one write of `batch` and reads its answers into prefetched_.
  Status TypeAhead(const std::vector<std::string>& batch);

  const Dialect& dialect_;
  std::unique_ptr<ssh::Terminal> shell_;  // an InteractiveShell (ssh/terminal.h)
  RE2 prompt_;
  RE2 prompt_anywhere_;  // the prompt at a line's start, not only as the last thing printed
  cli::TypedAheadAnswers prefetched_;
  int commands_ = 0;
  int round_trips_ = 0;
};

}  // namespace pkiform::ucm
