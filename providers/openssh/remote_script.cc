#include "providers/openssh/remote_script.h"

#include <vector>

namespace pkiform::openssh {

const std::string_view kScriptPrelude = R"SH(
mark() { printf '\n@@pkiform %s %s %s\n' "$1" "$2" "$3"; }
if command -v base64 >/dev/null 2>&1; then
  enc() { base64; }
  mark encoding 0 b64
else
  enc() { od -An -v -tx1; }
  mark encoding 0 hex
fi
dump() {
  if [ -f "$3" ] && [ -r "$3" ]; then mark "$1" "$2" present; enc <"$3"
  elif [ -e "$3" ] || [ -L "$3" ]; then mark "$1" "$2" unreadable
  else mark "$1" "$2" absent
  fi
}
finish() { mark end 0 0; }
)SH";

const std::string_view kRunScriptCommand = "sh -s";

Result<ssh::ExecResult> RunScript(ssh::SshSession& session, std::string_view body) {
  std::string script = "{\n";
  script.append(kScriptPrelude);
  script.append(body);
  script.append("\n} </dev/null\n");
  return session.Exec(std::string(kRunScriptCommand), script);
}

std::string StderrTail(std::string_view err, size_t maxLines) {
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos < err.size()) {
    size_t eol = err.find('\n', pos);
    if (eol == std::string_view::npos) eol = err.size();
    std::string_view line = err.substr(pos, eol - pos);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    if (!line.empty()) lines.push_back(line);
    pos = eol + 1;
  }
  std::string tail;
  size_t first = lines.size() > maxLines ? lines.size() - maxLines : 0;
  for (size_t i = first; i < lines.size(); ++i) {
    if (!tail.empty()) tail += " | ";
    tail += lines[i];
  }
  constexpr size_t kMaxChars = 600;
  if (tail.size() > kMaxChars) tail = "..." + tail.substr(tail.size() - kMaxChars);
  return tail;
}

}  // namespace pkiform::openssh
