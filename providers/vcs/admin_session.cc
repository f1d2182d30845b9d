// AdminSession (admin_session.h).
#include "providers/vcs/admin_session.h"

#include <algorithm>

#include "providers/cli/terminal_text.h"
#include "providers/ssh/shell.h"
#include "reconciler/util/excerpt.h"

namespace pkiform::vcs {
namespace {

// The answer's last line: exactly the marker (with escapes or blanks around it, which a
// PTY may add), at the start of the output or after a newline, and its own newline.
std::string AnswerEndPattern(const std::string& marker) { return cli::LinePattern(marker, true, "\\n"); }

}  // namespace

AdminSession::AdminSession(std::unique_ptr<ssh::Terminal> terminal, const Dialect& dialect, std::string peer)
    : terminal_(std::move(terminal)),
      dialect_(dialect),
      peer_(std::move(peer)),
      answer_end_(AnswerEndPattern(dialect.admin.answer_end)) {}

Result<std::unique_ptr<AdminSession>> AdminSession::Open(ssh::SshSession& session, const Dialect& dialect) {
  auto shell = session.OpenShell();
  if (!shell.ok()) return shell.status();
  return Start(std::move(shell).value(), dialect, session.peer());
}

Result<std::unique_ptr<AdminSession>> AdminSession::Start(std::unique_ptr<ssh::Terminal> terminal,
                                                          const Dialect& dialect, std::string peer) {
  std::unique_ptr<AdminSession> admin(new AdminSession(std::move(terminal), dialect, std::move(peer)));
  if (!admin->answer_end_.ok())
    return Status::InvalidInput("vcs dialect: bad answerEnd: " + admin->answer_end_.error());
  // No prompt to wait for: `echo off` is typed at once, and its `OK` ends the banner too.
  const std::string& echo_off = dialect.admin.echo_off;
  ++admin->commands_;
  ++admin->round_trips_;
  Status sent = admin->terminal_->Send(echo_off + "\n");
  if (!sent.ok()) return sent.WithContext(admin->peer_ + ": starting the admin shell");
  auto banner = admin->Collect(echo_off, std::chrono::seconds(dialect.admin.startup_seconds));
  if (!banner.ok()) return banner.status().WithContext(admin->peer_ + ": waiting for the admin shell to start");
  if (banner->find(dialect.admin.banner) == std::string::npos)
    return Status::Failed(admin->peer_ + ": not a VCS admin shell: no \"" + dialect.admin.banner +
                          "\" banner; it said: " + (banner->empty() ? "(nothing)" : Excerpt(*banner, 300)));
  return admin;
}

Result<std::string> AdminSession::Collect(const std::string& command, std::chrono::seconds timeout) {
  return Collect(std::vector<std::string>{command}, 0, timeout);
}

Result<std::string> AdminSession::Collect(const std::vector<std::string>& typed, size_t index,
                                          std::chrono::seconds timeout) {
  std::string matched;
  auto text = terminal_->Expect(answer_end_, std::chrono::duration_cast<std::chrono::milliseconds>(timeout),
                                dialect_.admin.max_output_bytes, &matched);
  if (!text.ok()) return text.status().WithContext("\"" + Excerpt(typed[index]) + "\"");
  // A match that starts with the newline ending the last answer line: keep that line whole.
  if (!matched.empty() && matched.front() == '\n') *text += "\n";
  return cli::StripEchoes(cli::CleanOutput(*text), typed, index);
}

Status AdminSession::Prefetch(const std::vector<std::string>& commands) {
  if (dialect_.admin.type_ahead_bytes <= 0) return Status::Ok();
  for (const auto& batch : cli::TypeAheadBatches(commands, static_cast<size_t>(dialect_.admin.type_ahead_bytes)))
    if (Status s = TypeAhead(batch); !s.ok()) return s;
  return Status::Ok();
}

Status AdminSession::TypeAhead(const std::vector<std::string>& batch) {
  std::string text;
  for (const auto& command : batch) text += command + "\n";
  commands_ += static_cast<int>(batch.size());
  ++round_trips_;
  Status sent = terminal_->Send(text);
  if (!sent.ok()) return sent.WithContext(peer_ + ": \"" + Excerpt(batch.front()) + "\" and what was typed after it");
  for (size_t i = 0; i < batch.size(); ++i) {
    auto answer = Collect(batch, i, std::chrono::seconds(dialect_.admin.command_seconds));
    if (!answer.ok()) return answer.status().WithContext(peer_ + " (typed ahead)");
    prefetched_.Keep(batch[i], std::move(answer).value());
  }
  return Status::Ok();
}

Result<std::string> AdminSession::Run(const std::string& command) {
  if (auto answer = prefetched_.Take(command)) return Checked(command, std::move(*answer));
  prefetched_.Clear();
  ++commands_;
  ++round_trips_;
  Status sent = terminal_->Send(command + "\n");
  if (!sent.ok()) return sent.WithContext(peer_ + ": \"" + Excerpt(command) + "\"");
  auto answer = Collect(command, std::chrono::seconds(dialect_.admin.command_seconds));
  if (!answer.ok()) return answer.status().WithContext(peer_);
  return Checked(command, std::move(answer).value());
}

Result<std::string> AdminSession::Checked(const std::string& command, std::string answer) {
  // Any command may be refused (an unknown one too): the result block says so.
  auto result = ParseCommandResult(answer, dialect_);
  if (result.ok() && !result->ok) {
    Status refused = CheckResult(*result, "", dialect_);
    return refused.WithContext(peer_ + ": \"" + Excerpt(command) + "\"");
  }
  if (!result.ok() && result.status().code() != Status::Code::kNotFound)
    return result.status().WithContext(peer_ + ": \"" + Excerpt(command) + "\"");
  return answer;
}

Result<CommandResult> AdminSession::Command(const XCommand& command, const std::map<std::string, std::string>& values) {
  for (const auto& [name, value] : values) {
    Status quotable = CheckQuotable(name, value);
    if (!quotable.ok()) return quotable.WithContext(peer_);
  }
  auto line = cli::Fill(command.send, values);
  if (!line.ok()) return line.status();
  auto answer = Run(*line);
  if (!answer.ok()) return answer.status();
  auto result = ParseCommandResult(*answer, dialect_);
  if (!result.ok()) return result.status().WithContext(peer_ + ": \"" + Excerpt(*line) + "\"");
  Status checked = CheckResult(*result, command.result, dialect_);
  if (!checked.ok()) return checked.WithContext(peer_ + ": \"" + Excerpt(*line) + "\"");
  return result;
}

Status AdminSession::AwaitClose(std::chrono::seconds timeout) {
  static const RE2 never("[^\\s\\S]");  // matches nothing: only the close (or the time) ends the wait
  auto text = terminal_->Expect(never, std::chrono::duration_cast<std::chrono::milliseconds>(timeout),
                                dialect_.admin.max_output_bytes, nullptr);
  if (text.ok()) return Status::Failed(peer_ + ": the admin shell printed where it should have closed");
  // The terminal reports a close and a timeout alike as an I/O error; its message tells them apart.
  if (text.status().message().find("closed") != std::string::npos) return Status::Ok();
  return text.status().WithContext(peer_ + ": the restart did not end the admin session");
}

template <typename T>
Result<T> AdminSession::Read(const std::string& command, Result<T> (*parse)(std::string_view, const Dialect&),
                             const char* rule) {
  auto answer = Run(command);
  if (!answer.ok()) return answer.status();
  auto parsed = parse(*answer, dialect_);
  if (!parsed.ok()) {
    Status s = parsed.status().WithContext(peer_ + ": \"" + command + "\"");
    return *rule ? s.WithRule(rule) : s;
  }
  return parsed;
}

Result<SystemUnit> AdminSession::ReadSystemUnit() { return Read(dialect_.system_unit.send, ParseSystemUnit, ""); }

Result<Alternates> AdminSession::ReadAlternates() {
  return Read(dialect_.configuration.alternates.read, ParseAlternates, "");
}

Result<CrlAutomatic> AdminSession::ReadCrlAutomatic() {
  return Read(dialect_.configuration.crl_automatic.read, ParseCrlAutomatic, "V10");
}

Result<SipTlsRevocation> AdminSession::ReadSipTlsRevocation() {
  return Read(dialect_.configuration.sip_tls.read, ParseSipTlsRevocation, "V13");
}

Status AdminSession::Configure(const std::string& path, const std::string& leaf, const std::string& value,
                               bool quoted) {
  Status quotable = CheckQuotable(leaf, value);
  if (!quotable.ok()) return quotable.WithContext(peer_);
  if (!quoted && (value.empty() || value.find(' ') != std::string::npos))
    return Status::InvalidInput(peer_ + ": " + leaf + ": a bare value must be one word");
  auto line = cli::Fill(dialect_.configuration.write,
                        {{"path", path}, {"leaf", leaf}, {"value", quoted ? "\"" + value + "\"" : value}});
  if (!line.ok()) return line.status();
  auto answer = Run(*line);
  if (!answer.ok()) return answer.status();
  // A write answers `OK` alone; anything else is not what the contract promises.
  if (!answer->empty())
    return Status::Failed(peer_ + ": \"" + Excerpt(*line) + "\": unexpected answer: " + Excerpt(*answer, 300));
  return Status::Ok();
}

}  // namespace pkiform::vcs
