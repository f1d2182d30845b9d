// The answers a CLI session read for commands it typed ahead (ucm CliSession::Prefetch, vcs
// AdminSession::Prefetch), each kept until its command is run. They serve the observation that
// typed them only: the session drops them all as soon as it types anything itself, because a
// command may change what the node would answer (P5 in docs/benchmark.md).
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pkiform::cli {

class TypedAheadAnswers {
 public:
  void Keep(std::string command, std::string answer) { answers_.emplace_back(std::move(command), std::move(answer)); }

  // The first kept answer for `command`, no longer kept; nullopt when there is none. A command
  // typed ahead twice is answered twice, in the order it was typed.
  std::optional<std::string> Take(const std::string& command) {
    auto kept = std::find_if(answers_.begin(), answers_.end(), [&](const auto& a) { return a.first == command; });
    if (kept == answers_.end()) return std::nullopt;
    std::string answer = std::move(kept->second);
    answers_.erase(kept);
    return answer;
  }

  void Clear() { answers_.clear(); }
  bool Empty() const { return answers_.empty(); }

 private:
  std::vector<std::pair<std::string, std::string>> answers_;  // (command, answer) in typed order
};

}  // namespace pkiform::cli
