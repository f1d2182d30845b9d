// Running the provider's POSIX sh scripts on the host in one SSH round trip.
//
// A script travels on the exec channel's stdin, never in argv: the command is
// always the fixed `sh -s`, and the script is one brace group `{ ...; } </dev/null`.
// sh parses a whole compound command before it runs any of it, so the script is
// read to its end first (a script cut short runs nothing: it is a syntax error),
// no command inside can swallow the rest of it, and every command sees an empty
// stdin. (It was `sh -c 'eval "$(cat)"'`, the same guarantees for one more
// process, `cat`, on every host in every run.) Values from manifests are single-quoted words
// inside the script (shell_quote.h).
//
// kScriptPrelude defines the functions every script uses to print sections in
// the format of script_output.h:
//   mark KIND INDEX STATE     a marker line
//   enc                       encodes stdin (base64, or od hex without base64)
//   dump KIND INDEX PATH      a file: present (with its content), absent, or unreadable
//   finish                    the end marker
#pragma once

#include <string>
#include <string_view>

#include "providers/ssh/session.h"
#include "reconciler/util/result.h"

namespace pkiform::openssh {

extern const std::string_view kScriptPrelude;

// The fixed command that runs a script sent on stdin.
extern const std::string_view kRunScriptCommand;

// Runs kScriptPrelude + `body` on the host. A non-zero exit status is not an
// error here (callers read it); failing to run the script is.
Result<ssh::ExecResult> RunScript(ssh::SshSession& session, std::string_view body);

// The last `maxLines` lines of a command's stderr, trimmed, for error messages.
std::string StderrTail(std::string_view err, size_t maxLines = 5);

}  // namespace pkiform::openssh
