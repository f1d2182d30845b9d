// CliSession (cli_session.h).
#include "providers/ucm/cli_session.h"

#include <algorithm>

#include "providers/ucm/cli_text.h"
#include "reconciler/util/excerpt.h"

namespace pkiform::ucm {
namespace {

// The prompt, the last thing the CLI printed.
std::string PromptPattern(const std::string& prompt) { return cli::LinePattern(prompt, false, "$"); }

}  // namespace

CliSession::CliSession(const Dialect& dialect, std::unique_ptr<ssh::Terminal> shell)
    : dialect_(dialect),
      shell_(std::move(shell)),
      prompt_(PromptPattern(dialect.prompt)),
      prompt_anywhere_(cli::LinePattern(dialect.prompt, false, "")) {}

Result<std::unique_ptr<CliSession>> CliSession::Open(ssh::SshSession& session, const Dialect& dialect) {
  auto shell = session.OpenShell();
  if (!shell.ok()) return shell.status();
  std::unique_ptr<CliSession> cli(new CliSession(dialect, std::move(shell).value()));
  if (!cli->prompt_.ok() || !cli->prompt_anywhere_.ok())
    return Status::InvalidInput("ucm dialect: bad prompt: " + cli->prompt_.error() + cli->prompt_anywhere_.error());
  // The start-up banner, then the first prompt (seconds on a real node).
  auto banner = cli->Collect("", std::chrono::seconds(dialect.startup_seconds), {});
  if (!banner.ok()) return banner.status().WithContext(session.peer() + ": waiting for the CLI to start");
  auto off = cli->Run(dialect.pagination_off.send, std::chrono::seconds(dialect.command_seconds), {},
                      dialect.pagination_off.success);
  if (!off.ok()) return off.status();
  return cli;
}

Result<std::string> CliSession::Collect(const std::string& command, std::chrono::seconds timeout,
                                        const std::vector<Question>& questions) {
  std::string pattern = "(" + PromptPattern(dialect_.prompt) + ")";
  for (const auto& q : questions) pattern += "|(" + RE2::QuoteMeta(q.ask) + ")";
  RE2 re(pattern);
  if (!re.ok()) return Status::InvalidInput("ucm dialect: bad question pattern: " + re.error());
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string text;
  // Each question is answered at most once per command: a node that keeps asking is an error.
  std::vector<bool> answered(questions.size(), false);
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) left = std::chrono::milliseconds(1);
    std::string matched;
    size_t budget = dialect_.max_output_bytes > text.size() ? dialect_.max_output_bytes - text.size() : 0;
    auto part = shell_->Expect(re, left, budget, &matched);
    if (!part.ok()) {
      return part.status().WithContext(command.empty() ? std::string("start-up")
                                                       : "\"" + Excerpt(command) + "\"");
    }
    text += *part + matched;
    size_t which = questions.size();
    for (size_t i = 0; i < questions.size(); ++i)
      if (matched.find(questions[i].ask) != std::string::npos) which = i;
    if (which == questions.size()) {  // the prompt: the command is done
      text.resize(text.size() - matched.size());
      return StripEcho(CleanOutput(text), command);
    }
    if (answered[which])
      return Status::Failed("\"" + Excerpt(command) + "\": the node asked \"" + questions[which].ask + "\" again");
    answered[which] = true;
    ++round_trips_;
    Status sent = shell_->Send(questions[which].answer + "\n");
    if (!sent.ok()) return sent;
  }
}

Status CliSession::Check(const std::string& command, const std::string& answer, const std::string& success) const {
  const bool refused = answer.find(dialect_.failure) != std::string::npos;
  const bool missing = !success.empty() && answer.find(success) == std::string::npos;
  if (!refused && !missing) return Status::Ok();
  std::string said = answer.empty() ? "(nothing)" : Excerpt(answer, 600);
  return Status::Failed("\"" + Excerpt(command) + "\": " + (refused ? "the node refused" : "no \"" + success + "\"") +
                        "; it said: " + said);
}

Result<std::string> CliSession::Run(const std::string& command, std::chrono::seconds timeout,
                                    const std::vector<Question>& questions, const std::string& success) {
  if (questions.empty()) {
    if (auto answer = prefetched_.Take(command)) {
      Status checked = Check(command, *answer, success);
      if (!checked.ok()) return checked;
      return std::move(*answer);
    }
  }
  prefetched_.Clear();
  ++commands_;
  ++round_trips_;
  Status sent = shell_->Send(command + "\n");
  if (!sent.ok()) return sent.WithContext("\"" + Excerpt(command) + "\"");
  auto answer = Collect(command, timeout, questions);
  if (!answer.ok()) return answer.status();
  Status checked = Check(command, *answer, success);
  if (!checked.ok()) return checked;
  return answer;
}

Result<std::string> CliSession::Paste(const std::string& command, const PasteCommand& paste, const std::string& pem) {
  prefetched_.Clear();
  ++commands_;
  round_trips_ += 2;  // the command to its invitation, the certificate to the answer
  Status sent = shell_->Send(command + "\n");
  if (!sent.ok()) return sent.WithContext("\"" + Excerpt(command) + "\"");
  // The invitation to paste, or the prompt when the node refuses at once.
  RE2 re("(" + PromptPattern(dialect_.prompt) + ")|(" + RE2::QuoteMeta(paste.paste) + ")");
  std::string matched;
  auto before = shell_->Expect(re, std::chrono::seconds(dialect_.command_seconds), dialect_.max_output_bytes, &matched);
  if (!before.ok()) return before.status().WithContext("\"" + Excerpt(command) + "\"");
  if (matched.find(paste.paste) == std::string::npos) {
    Status checked = Check(command, StripEcho(CleanOutput(*before), command), paste.paste);
    return checked.ok() ? Status::Failed("\"" + command + "\": the node did not ask for the certificate") : checked;
  }
  // The certificate lines, then an empty line: the end of the paste.
  std::string text = pem;
  if (!text.empty() && text.back() != '\n') text += '\n';
  sent = shell_->Send(text + "\n");
  if (!sent.ok()) return sent.WithContext("\"" + Excerpt(command) + "\": pasting the certificate");
  auto answer = Collect(command, std::chrono::seconds(dialect_.command_seconds), {});
  if (!answer.ok()) return answer.status();
  Status checked = Check(command, *answer, paste.success);
  if (!checked.ok()) return checked;
  return answer;
}

Status CliSession::Prefetch(const std::vector<std::string>& commands) {
  if (dialect_.type_ahead_bytes <= 0) return Status::Ok();
  for (const auto& batch : cli::TypeAheadBatches(commands, static_cast<size_t>(dialect_.type_ahead_bytes)))
    if (Status s = TypeAhead(batch); !s.ok()) return s;
  return Status::Ok();
}

Status CliSession::TypeAhead(const std::vector<std::string>& batch) {
  std::string text;
  for (const auto& command : batch) text += command + "\n";
  commands_ += static_cast<int>(batch.size());
  ++round_trips_;
  Status sent = shell_->Send(text);
  if (!sent.ok()) return sent.WithContext("\"" + Excerpt(batch.front()) + "\" and what was typed after it");
  for (size_t i = 0; i < batch.size(); ++i) {
    // Each answer ends at the next prompt; the last prompt is the last thing printed, the
    // others may already be followed by the next answer (the node reads typed lines at once).
    const RE2& end = i + 1 == batch.size() ? prompt_ : prompt_anywhere_;
    auto part = shell_->Expect(end, std::chrono::seconds(dialect_.command_seconds), dialect_.max_output_bytes, nullptr);
    if (!part.ok()) return part.status().WithContext("\"" + Excerpt(batch[i]) + "\" (typed ahead)");
    prefetched_.Keep(batch[i], cli::StripEchoes(CleanOutput(*part), batch, i));
  }
  return Status::Ok();
}

}  // namespace pkiform::ucm
