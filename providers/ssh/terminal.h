// Terminal: what a line-oriented appliance CLI driver needs of its channel (type text,
// wait for a pattern), so that the driver's framing can be tested on scripted
// transcripts without a network. InteractiveShell (shell.h) is the SSH implementation.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include <re2/re2.h>

#include "reconciler/util/result.h"

namespace pkiform::ssh {

class Terminal {
 public:
  virtual ~Terminal() = default;
  // Writes `text` as typed (include "\n" to press Enter).
  virtual Status Send(std::string_view text) = 0;
  // Waits up to `timeout` for output matching `pattern`; returns the text before the match
  // and consumes the match. Fails when more than `max_output` bytes arrive without it, on a
  // timeout and when the channel closes. `matched` receives the matching text.
  virtual Result<std::string> Expect(const RE2& pattern, std::chrono::milliseconds timeout, size_t max_output,
                                     std::string* matched) = 0;
};

}  // namespace pkiform::ssh
