// InteractiveShell: a PTY shell on an SshSession, for appliance admin CLIs that
// have no exec channel (they only run as the login shell and talk in prompts).
//
// Send() types text; Expect() waits until the output matches a prompt regex and
// returns what came before it. The regex is RE2: the output is the remote side's
// and untrusted, and RE2 matches in linear time without recursion (std::regex
// recursed per character, so a long answer could overflow the stack). Output
// that is not yet consumed is bounded (kMaxPending): an appliance that floods
// without ever printing its prompt is an error, not unbounded memory. Output is normalised before matching: carriage
// returns are removed, so lines end in "\n". What follows the prompt stays
// buffered for the next Expect(). The PTY echoes what is sent, so the text
// returned by Expect() normally begins with the echoed command line.
//
// One thread at a time; must not outlive its SshSession.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include <re2/re2.h>

#include "providers/ssh/handles.h"
#include "providers/ssh/terminal.h"
#include "reconciler/util/result.h"

namespace pkiform::ssh {

class SshSession;

class InteractiveShell : public Terminal {
 public:
  // Opens a channel with a PTY (vt100, 512x200, so that long lines are not
  // wrapped) and starts the login shell.
  static Result<std::unique_ptr<InteractiveShell>> Open(SshSession& session);

  ~InteractiveShell() override;
  InteractiveShell(const InteractiveShell&) = delete;
  InteractiveShell& operator=(const InteractiveShell&) = delete;

  // Writes `text` as typed (include "\n" to press Enter), within the session's timeout.
  Status Send(std::string_view text) override;

  // The most output Expect() holds while waiting for its prompt.
  static constexpr size_t kMaxPending = 4 * 1024 * 1024;

  // Waits up to `timeout` for output matching `prompt`; returns the text before
  // the match and consumes the match. Fails when more than `max_output` bytes
  // (at most kMaxPending) arrive without the prompt. `matched`, when given, receives
  // the text that matched (to tell which alternative of the pattern came).
  Result<std::string> Expect(const RE2& prompt, std::chrono::milliseconds timeout,
                             size_t max_output = kMaxPending, std::string* matched = nullptr) override;

  // Output received but not yet consumed by Expect().
  const std::string& pending() const { return buffer_; }

 private:
  InteractiveShell(SshSession& session, SshChannelPtr channel);
  void Absorb();  // moves raw_ into buffer_, dropping carriage returns

  SshSession& session_;
  SshChannelPtr channel_;
  std::string raw_;
  std::string buffer_;
};

}  // namespace pkiform::ssh
