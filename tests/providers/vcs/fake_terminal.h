// Scripted stand-ins for the two VCS channels, so that the vcs sessions' framing is tested
// without a network: FakeTerminal plays an admin PTY (the banner, the PTY's echo of each
// line typed, then the scripted answer), FakeRootChannel an exec channel (recording each
// command line and its stdin, answering from a script).
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "providers/ssh/terminal.h"
#include "providers/vcs/root_shell.h"

namespace pkiform::vcstest {

class FakeTerminal : public ssh::Terminal {
 public:
  // `answers`: what the shell prints after the echo of each line typed (by the line, without
  // its "\n"); a line with no answer gets nothing (the session then times out).
  FakeTerminal(std::string banner, std::map<std::string, std::string> answers, std::vector<std::string>* typed)
      : buffer_(std::move(banner)), answers_(std::move(answers)), typed_(typed) {}

  // Lines typed ahead in one write are answered in turn, each after its echo (as a shell
  // that echoes what it reads prints them); `writes` counts the calls.
  Status Send(std::string_view text) override {
    if (closed_) return Status::IoError("the shell closed");
    ++writes;
    std::string all(text);
    if (!all.empty() && all.back() == '\n') all.pop_back();
    size_t start = 0;
    for (;;) {
      size_t end = all.find('\n', start);
      std::string line = all.substr(start, end == std::string::npos ? std::string::npos : end - start);
      if (typed_) typed_->push_back(line);
      Absorb(line + "\r\n");  // the PTY's echo
      auto it = answers_.find(line);
      if (it != answers_.end()) Absorb(it->second);
      if (end == std::string::npos) break;
      start = end + 1;
    }
    return Status::Ok();
  }
  int writes = 0;

  Result<std::string> Expect(const RE2& pattern, std::chrono::milliseconds, size_t max_output,
                             std::string* matched) override {
    re2::StringPiece match;
    if (!pattern.Match(buffer_, 0, buffer_.size(), RE2::UNANCHORED, &match, 1)) {
      bool overflow = buffer_.size() > max_output;
      buffer_.clear();
      return Status::IoError(overflow
                                 ? "more than " + std::to_string(max_output) + " bytes of output without the prompt"
                                 : std::string("timed out"));
    }
    const size_t start = static_cast<size_t>(match.data() - buffer_.data());
    if (start > max_output) {
      buffer_.clear();
      return Status::IoError("more than " + std::to_string(max_output) + " bytes of output without the prompt");
    }
    std::string before = buffer_.substr(0, start);
    if (matched) matched->assign(match.data(), match.size());
    buffer_.erase(0, start + match.size());
    return before;
  }

  void Close() { closed_ = true; }

 private:
  void Absorb(const std::string& text) {  // InteractiveShell drops carriage returns
    for (char c : text)
      if (c != '\r') buffer_ += c;
  }
  std::string buffer_;
  std::map<std::string, std::string> answers_;
  std::vector<std::string>* typed_;
  bool closed_ = false;
};

struct ExecCall {
  std::string command;
  std::string stdin_data;
};

class FakeRootChannel : public vcs::RootChannel {
 public:
  // `answer` gives the result of each command (default: exit 0, no output).
  std::function<Result<ssh::ExecResult>(const std::string&)> answer =
      [](const std::string&) -> Result<ssh::ExecResult> {
    return ssh::ExecResult{0, "", ""};
  };
  std::vector<ExecCall> calls;

  Result<ssh::ExecResult> Exec(const std::string& command, std::string_view stdin_data) override {
    calls.push_back({command, std::string(stdin_data)});
    return answer(command);
  }
  const std::string& peer() const override { return peer_; }

 private:
  std::string peer_ = "vcs1.example.com (127.0.0.1:22)";
};

}  // namespace pkiform::vcstest
