// Host key verification against an explicit known_hosts file.
//
// Only the target's file is read, by pkiform's own parser (known_hosts_file.h);
// libssh is given /dev/null for both of its files, so the user's ~/.ssh files
// are never consulted implicitly. A key is looked up under the name pkiform
// connects to (the peer's address when one is given) and under the FQDN, each
// with the port ("[name]:port" when it is not 22): OpenSSH records the address
// when `HostName` is one, ssh-keyscan writes whatever it was given, and people
// write the FQDN. Plain, wildcard and hashed entries all count.
//
// An unknown key is refused with its SHA-256 fingerprint and the fix, or
// recorded under both names when the user accepts new keys (hashed when the file
// already holds hashed entries). A changed key under either name (or a key of
// another type than the recorded ones, or a @revoked key) is always refused and
// never recorded; the message names the file and line to look at.
#pragma once

#include <string>
#include <vector>

#include "providers/ssh/known_hosts_file.h"
#include "providers/ssh/session.h"
#include "reconciler/util/result.h"

namespace pkiform::ssh {

// The names the target's key may be recorded under: the FQDN (host key alias) and the address.
std::vector<std::string> HostKeyNames(const SshTarget& target);

// Host key algorithms for key exchange, those of `recordedTypes` first (so that a
// host recorded with its RSA key is not asked for its Ed25519 key), then the rest.
std::string HostKeyAlgorithms(const std::vector<std::string>& recordedTypes, bool legacy);

// Checks the server key of the connected (key-exchanged) `session` against
// `known`, the target's known_hosts file as read before connecting.
Status VerifyHostKey(ssh_session session, const SshTarget& target, const std::string& peer, const KnownHosts& known);

// Appends one line to a known_hosts file atomically: the new content is written
// to a temporary file in the same directory, synced, given mode 0644 and renamed
// over the file. A file that does not exist is created. Appends from different
// threads of this process are serialised, so none is lost.
Status AppendKnownHostsLine(const std::string& path, const std::string& line);

}  // namespace pkiform::ssh
