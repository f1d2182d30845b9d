#include "tests/sim/cli_lines.h"

#include <unistd.h>

namespace pkiform::sim {

CliLineReader::Read CliLineReader::Next(std::string& line) {
  line.clear();
  bool tooLong = false;
  for (;;) {
    if (pos_ == buffer_.size()) {
      if (eof_) return Read::kEof;
      if (waitReadable_ && !waitReadable_()) return Read::kStopped;
      char chunk[4096];
      ssize_t n = ::read(fd_, chunk, sizeof(chunk));
      if (n <= 0) {
        eof_ = true;
        if (line.empty() && !tooLong) return Read::kEof;
        return tooLong ? Read::kTooLong : Read::kLine;
      }
      buffer_.assign(chunk, static_cast<size_t>(n));
      pos_ = 0;
    }
    char c = buffer_[pos_++];
    if (c == '\n' && lastWasCr_) {  // CR LF is one line end
      lastWasCr_ = false;
      continue;
    }
    lastWasCr_ = c == '\r';
    if (c == '\r' || c == '\n') return tooLong ? Read::kTooLong : Read::kLine;
    if (line.size() >= maxLength_) {
      tooLong = true;
      line.clear();
      continue;
    }
    if (!tooLong) line += c;
  }
}

std::string ForOutput(const std::string& crlfText, bool outputIsTty) {
  if (!outputIsTty) return crlfText;
  std::string out;
  for (size_t i = 0; i < crlfText.size(); ++i)
    if (!(crlfText[i] == '\r' && i + 1 < crlfText.size() && crlfText[i + 1] == '\n')) out += crlfText[i];
  return out;
}

}  // namespace pkiform::sim
