// Host key verification against an explicit known_hosts file.
//
// The session is connected with SSH_OPTIONS_KNOWNHOSTS set to the target's file
// and SSH_OPTIONS_GLOBAL_KNOWNHOSTS set to /dev/null, so the user's ~/.ssh files
// are never consulted implicitly. Keys are looked up under the host key alias
// (the peer's FQDN) and port, like OpenSSH's HostKeyAlias: "[fqdn]:port" when
// the port is not 22.
//
// An unknown key is refused with its SHA-256 fingerprint and the fix, or
// recorded when the user accepts new keys. A changed key (or a key of another
// type than the recorded one) is always refused and never recorded.
#pragma once

#include <string>

#include "providers/ssh/session.h"
#include "reconciler/util/result.h"

namespace pkiform::ssh {

// Checks the server key of the connected (key-exchanged) `session`.
Status VerifyHostKey(ssh_session session, const SshTarget& target, const std::string& peer);

// Appends one line to a known_hosts file atomically: the new content is written
// to a temporary file in the same directory, synced, given mode 0644 and renamed
// over the file. A file that does not exist is created. Appends from different
// threads of this process are serialised, so none is lost.
Status AppendKnownHostsLine(const std::string& path, const std::string& line);

}  // namespace pkiform::ssh
