#include "providers/ssh/shell.h"

#include <algorithm>

#include "providers/ssh/channel_io.h"
#include "providers/ssh/session.h"

namespace pkiform::ssh {
namespace {

// The end of the output, for error messages: what the appliance said last.
std::string Tail(const std::string& text) {
  constexpr size_t kMax = 200;
  std::string tail = text.size() > kMax ? "..." + text.substr(text.size() - kMax) : text;
  return tail.empty() ? "(nothing)" : "\"" + tail + "\"";
}

}  // namespace

InteractiveShell::InteractiveShell(SshSession& session, SshChannelPtr channel)
    : session_(session), channel_(std::move(channel)) {}

InteractiveShell::~InteractiveShell() = default;

Result<std::unique_ptr<InteractiveShell>> InteractiveShell::Open(SshSession& session) {
  const std::string what = session.peer() + ": opening an interactive shell";
  ssh_session s = session.raw();
  Deadline deadline = session.NewDeadline();
  auto channel = OpenSessionChannel(s, deadline);
  if (!channel.ok()) return channel.status().WithContext(what);
  auto timedOut = [&] {
    return Status::IoError(what + ": timed out after " + std::to_string(deadline.budget().count()) + " ms");
  };
  int rc = DriveNonBlocking(s, deadline, [&] { return ssh_channel_request_pty_size(channel->get(), "vt100", 512, 200); });
  if (rc == SSH_AGAIN) return timedOut();
  if (rc != SSH_OK) return Status::IoError(what + ": the server refused a PTY: " + session.LastError());
  rc = DriveNonBlocking(s, deadline, [&] { return ssh_channel_request_shell(channel->get()); });
  if (rc == SSH_AGAIN) return timedOut();
  if (rc != SSH_OK) return Status::IoError(what + ": the server refused a shell: " + session.LastError());
  return std::unique_ptr<InteractiveShell>(new InteractiveShell(session, std::move(channel).value()));
}

void InteractiveShell::Absorb() {
  raw_.erase(std::remove(raw_.begin(), raw_.end(), '\r'), raw_.end());
  buffer_ += raw_;
  raw_.clear();
}

Status InteractiveShell::Send(std::string_view text) {
  Deadline deadline = session_.NewDeadline();
  ChannelPump io;
  io.input = text;
  io.out = &raw_;
  auto outcome = Pump(session_.raw(), channel_.get(), io, deadline, [&io] { return io.input.empty(); });
  Absorb();
  const std::string what = session_.peer() + ": sending to the interactive shell";
  if (!outcome.ok()) return outcome.status().WithContext(what);
  if (*outcome == PumpOutcome::kTimedOut) {
    return Status::IoError(what + ": timed out after " + std::to_string(deadline.budget().count()) + " ms");
  }
  if (!io.input.empty()) return Status::IoError(what + ": the shell closed; last output: " + Tail(buffer_));
  return Status::Ok();
}

Result<std::string> InteractiveShell::Expect(const RE2& prompt, std::chrono::milliseconds timeout,
                                             size_t max_output, std::string* matched) {
  const std::string what = session_.peer() + ": waiting for the shell's prompt";
  if (!prompt.ok()) return Status::InvalidInput(what + ": bad prompt pattern: " + prompt.error());
  const size_t limit = std::min(max_output, kMaxPending);
  Deadline deadline(timeout);
  re2::StringPiece match;
  bool found = false;
  bool overflow = false;
  ChannelPump io;
  io.out = &raw_;
  auto outcome = Pump(session_.raw(), channel_.get(), io, deadline, [&] {
    Absorb();
    found = prompt.Match(buffer_, 0, buffer_.size(), RE2::UNANCHORED, &match, 1);
    overflow = !found && buffer_.size() > limit;
    return found || overflow;
  });
  if (!outcome.ok()) return outcome.status().WithContext(what);
  if (overflow) {
    buffer_.clear();  // the flood is dropped: the shell is no longer in a known state
    return Status::IoError(what + ": more than " + std::to_string(limit) + " bytes of output without the prompt");
  }
  if (!found) {
    if (*outcome == PumpOutcome::kTimedOut) {
      return Status::IoError(what + ": timed out after " + std::to_string(timeout.count()) +
                             " ms; last output: " + Tail(buffer_));
    }
    return Status::IoError(what + ": the shell closed; last output: " + Tail(buffer_));
  }
  const size_t start = static_cast<size_t>(match.data() - buffer_.data());
  std::string before = buffer_.substr(0, start);
  if (matched) matched->assign(match.data(), match.size());
  buffer_.erase(0, start + match.size());
  return before;
}

}  // namespace pkiform::ssh
