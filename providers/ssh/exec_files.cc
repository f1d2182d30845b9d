#include "providers/ssh/exec_files.h"

#include <sys/stat.h>

#include <cstdio>
#include <sstream>
#include <vector>

#include "providers/ssh/session.h"
#include "providers/ssh/shell_quote.h"

namespace pkiform::ssh {
namespace {

// Exit status of the scripts for "no such file or directory".
constexpr int kExitNotFound = 3;

// Upload: $1 directory, $2 mktemp template in it, $3 target, $4 byte count
// sent on stdin, $5 final mode (octal), $6 chown argument ("" for none).
// The EXIT trap removes the temporary file on every path but success (t is
// emptied after the rename); the signal traps route through it. Just before
// the rename the script writes to stdout: if the client has given up (its
// deadline passed and it closed the channel), that write fails (SIGPIPE) and
// the target is never touched after pkiform reported the upload as failed.
// The hooks (test seams) go where the @...@ lines are. Exit status 3 is
// kExitNotFound.
constexpr std::string_view kUploadScript = R"SH(# pkiform: atomic upload over exec (the host has no SFTP)
umask 077
t=
trap '[ -z "$t" ] || rm -f -- "$t"' EXIT
trap 'exit 1' HUP INT TERM PIPE
fail() { printf 'pkiform: %s\n' "$1" >&2; exit "${2:-1}"; }
[ -d "$1" ] || fail "no such directory: $1" 3
[ ! -d "$3" ] || fail "$3 is a directory"
t=$(mktemp -- "$2") || fail "cannot create a temporary file in $1"
@after-create@
cat >"$t" || fail "cannot write $t"
n=$(wc -c <"$t") || fail "cannot read $t back"
[ "$((n))" -eq "$4" ] || fail "$t holds $((n)) bytes of the $4 sent: the transfer was cut short"
sync -- "$t" || fail "cannot sync $t"
if [ -n "$6" ]; then chown -- "$6" "$t" || fail "cannot change owner to $6 of $t"; fi
chmod -- "$5" "$t" || fail "cannot change mode of $t"
@before-rename@
printf '@@pkiform renaming\n' || exit 1
mv -f -- "$t" "$3" || fail "cannot rename $t to $3"
t=
)SH";

// Download: $1 path, $2 the most bytes to send. Output: a marker line (what
// a noisy login script prints comes before it), then the bytes. Exit status 3
// is kExitNotFound, as in the stat script.
constexpr std::string_view kDownloadScript = R"SH(# pkiform: download over exec (the host has no SFTP)
[ -e "$1" ] || { printf 'pkiform: no such file\n' >&2; exit 3; }
printf '@@pkiform data\n'
exec head -c "$2" -- "$1"
)SH";

// Stat: $1 path. Output: a marker line, then "<mode in hex> <uid> <gid> <size>".
constexpr std::string_view kStatScript = R"SH(# pkiform: stat over exec (the host has no SFTP)
[ -e "$1" ] || exit 3
printf '@@pkiform stat\n'
exec stat -L -c '%f %u %g %s' -- "$1"
)SH";

constexpr std::string_view kDataMarker = "@@pkiform data\n";
constexpr std::string_view kStatMarker = "@@pkiform stat\n";

std::string Replace(std::string text, std::string_view placeholder, const std::string& with) {
  size_t at = text.find(placeholder);
  if (at != std::string::npos) text.replace(at, placeholder.size(), with);
  return text;
}

// A relative path as "./path", so that no path is ever read as an option or as "-" (stdin).
std::string ScriptPath(const std::string& path) { return path.front() == '/' ? path : "./" + path; }

// `sh -c SCRIPT NAME ARGS...`, every word single-quoted.
std::string Command(std::string_view script, std::string_view name, const std::vector<std::string>& args) {
  std::string command = "sh -c " + ShellQuote(script) + " " + std::string(name);
  for (const auto& a : args) command += " " + ShellQuote(a);
  return command;
}

// What follows `marker` in a script's stdout, or nullopt when it is missing.
std::optional<std::string> AfterMarker(const std::string& out, std::string_view marker) {
  size_t at = out.find(marker);
  if (at == std::string::npos) return std::nullopt;
  return out.substr(at + marker.size());
}

// The last lines of stderr, on one line, for error messages.
std::string StderrTail(const std::string& err) {
  std::vector<std::string> lines;
  std::istringstream in(err);
  for (std::string line; std::getline(in, line);) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (!line.empty()) lines.push_back(line);
  }
  constexpr size_t kLines = 3, kMaxChars = 600;
  std::string tail;
  for (size_t i = lines.size() > kLines ? lines.size() - kLines : 0; i < lines.size(); ++i) {
    tail += (tail.empty() ? "" : " | ") + lines[i];
  }
  if (tail.size() > kMaxChars) tail = "..." + tail.substr(tail.size() - kMaxChars);
  return tail.empty() ? "(no message)" : tail;
}

std::string Octal(int mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%o", static_cast<unsigned>(mode));
  return buf;
}

}  // namespace

Status ExecFiles::ExecFailed(const Status& cause, const std::string& doing) const {
  // Exec's message is "<peer>: exec `<start of the command>...`: <why>"; the
  // command is one of the fixed scripts above (no backquote in their first
  // 120 characters), which tells a reader nothing: keep <why>.
  std::string why = cause.message();
  const std::string prefix = session_.peer() + ": ";
  if (why.rfind(prefix, 0) == 0) why.erase(0, prefix.size());
  size_t quoteEnd = why.find("`: ");
  if (why.rfind("exec `", 0) == 0 && quoteEnd != std::string::npos) why.erase(0, quoteEnd + 3);
  return Status::IoError(prefix + doing + " over exec: " + why);
}

Status ExecFiles::ScriptFailed(const std::string& doing, int exitStatus, const std::string& err) const {
  std::string how = exitStatus < 0 ? "ended without an exit status" : "exit status " + std::to_string(exitStatus);
  std::string message = session_.peer() + ": " + doing + " over exec: " + StderrTail(err) + " (" + how + ")";
  if (exitStatus == kExitNotFound) return Status::NotFound(message);
  return Status::IoError(message);
}

Status ExecFiles::Upload(const std::string& remotePath, std::string_view data, int mode, std::optional<uint32_t> uid,
                         std::optional<uint32_t> gid) {
  Status valid = CheckUploadArguments(session_.peer(), remotePath, mode);
  if (!valid.ok()) return valid;
  const std::string target = ScriptPath(remotePath);
  const size_t slash = target.rfind('/');
  const std::string dir = slash == 0 ? "/" : target.substr(0, slash);
  const std::string temp = UploadTempPrefixOf(target) + "XXXXXXXXXX";  // mktemp's template
  std::string owner;
  if (uid) owner = std::to_string(*uid);
  if (gid) owner += ":" + std::to_string(*gid);

  std::string script = Replace(std::string(kUploadScript), "@after-create@", hooks_.afterCreate);
  script = Replace(std::move(script), "@before-rename@", hooks_.beforeRename);
  const std::string doing = "uploading " + remotePath;
  auto run = session_.Exec(Command(script, "pkiform-upload",
                                   {dir, temp, target, std::to_string(data.size()), Octal(mode), owner}),
                           data);
  if (!run.ok()) return ExecFailed(run.status(), doing);
  if (run->exitStatus != 0) return ScriptFailed(doing, run->exitStatus, run->err);
  return Status::Ok();
}

Result<std::string> ExecFiles::Download(const std::string& remotePath) {
  const std::string doing = "downloading " + remotePath;
  if (remotePath.empty() || !IsShellSafe(remotePath)) {
    return Status::InvalidInput(session_.peer() + ": " + doing + ": not a file path");
  }
  auto run = session_.Exec(
      Command(kDownloadScript, "pkiform-download", {ScriptPath(remotePath), std::to_string(downloadLimit() + 1)}));
  if (!run.ok()) return ExecFailed(run.status(), doing);
  if (run->exitStatus != 0) return ScriptFailed(doing, run->exitStatus, run->err);
  auto content = AfterMarker(run->out, kDataMarker);
  if (!content) {
    return Status::IoError(session_.peer() + ": " + doing + " over exec: the script printed no data marker");
  }
  if (content->size() > downloadLimit()) return TooLarge(session_.peer(), remotePath);
  return std::move(*content);
}

Result<std::optional<FileStat>> ExecFiles::Stat(const std::string& remotePath) {
  const std::string doing = "stat " + remotePath;
  if (remotePath.empty() || !IsShellSafe(remotePath)) {
    return Status::InvalidInput(session_.peer() + ": " + doing + ": not a file path");
  }
  auto run = session_.Exec(Command(kStatScript, "pkiform-stat", {ScriptPath(remotePath)}));
  if (!run.ok()) return ExecFailed(run.status(), doing);
  if (run->exitStatus == kExitNotFound) return std::optional<FileStat>();
  if (run->exitStatus != 0) return ScriptFailed(doing, run->exitStatus, run->err);
  auto line = AfterMarker(run->out, kStatMarker);
  std::istringstream fields(line.value_or(""));
  unsigned long rawMode = 0;
  FileStat st;
  if (!(fields >> std::hex >> rawMode >> std::dec >> st.uid >> st.gid >> st.size)) {
    return Status::IoError(session_.peer() + ": " + doing + " over exec: unexpected output of stat: " +
                           StderrTail(line.value_or(run->out)));
  }
  st.mode = static_cast<uint32_t>(rawMode & 07777);
  st.isDirectory = (rawMode & S_IFMT) == S_IFDIR;
  st.isRegular = (rawMode & S_IFMT) == S_IFREG;
  return std::optional<FileStat>(st);
}

}  // namespace pkiform::ssh
