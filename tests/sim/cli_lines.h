// The line discipline the simulated appliances' CLIs share (ucm_cli.cc, vcs_admin_shell.cc):
// reading bounded command lines from a pipe or a PTY (CR, LF and CR LF each end one line;
// a line over the limit is reported once and dropped), and turning an answer's CRLF line
// ends into what the output wants (on a PTY, ONLCR adds the CR itself).
#pragma once
#include <functional>
#include <string>

namespace pkiform::sim {

class CliLineReader {
 public:
  enum class Read { kLine, kEof, kTooLong, kStopped };
  // `waitReadable` (optional) is called before each read(2); false stops the reader (kStopped).
  CliLineReader(int fd, size_t maxLength, std::function<bool()> waitReadable = nullptr)
      : fd_(fd), maxLength_(maxLength), waitReadable_(std::move(waitReadable)) {}
  Read Next(std::string& line);

 private:
  int fd_;
  size_t maxLength_;
  std::function<bool()> waitReadable_;
  std::string buffer_;
  size_t pos_ = 0;
  bool lastWasCr_ = false;
  bool eof_ = false;
};

// `crlfText` with every CR LF turned into LF when `outputIsTty`, else unchanged.
std::string ForOutput(const std::string& crlfText, bool outputIsTty);

}  // namespace pkiform::sim
