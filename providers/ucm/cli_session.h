// CliSession: one interactive UCM CLI session on an SSH connection. It waits through the
// start-up banner for the prompt, turns pagination off, then runs one command at a time:
// types it, answers the questions the dialect lists, and returns the answer cleaned
// (CR and ANSI escapes removed, the echoed command line dropped). Each command's output
// is bounded (Dialect::max_output_bytes) and timed out; an answer holding the dialect's
// failure line is an error quoting (a bounded excerpt of) what the node said.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <re2/re2.h>

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

  // Commands sent so far in this session (pagination included), for the docs' count.
  int commands_sent() const { return commands_; }

 private:
  CliSession(const Dialect& dialect, std::unique_ptr<ssh::Terminal> shell);
  // Waits for the prompt or one of `questions` (answering them); returns the cleaned text.
  Result<std::string> Collect(const std::string& command, std::chrono::seconds timeout,
                              const std::vector<Question>& questions);
  Status Check(const std::string& command, const std::string& answer, const std::string& success) const;

  const Dialect& dialect_;
  std::unique_ptr<ssh::Terminal> shell_;  // an InteractiveShell (ssh/terminal.h)
  RE2 prompt_;
  int commands_ = 0;
};

}  // namespace pkiform::ucm
