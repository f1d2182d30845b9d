// KnownHostsFile: OpenSSH's known_hosts format, read and matched by pkiform
// itself rather than by libssh, because users fill these files the ordinary
// ways and expect OpenSSH's behaviour from all of them:
//   - entries recorded under an address (`ssh-keyscan -p PORT 127.0.1.2` writes
//     "[127.0.1.2]:PORT ssh-ed25519 ..."), under the FQDN, or both on one line;
//   - hashed entries ("|1|salt|hash", HashKnownHosts yes, Debian's default for
//     ~/.ssh/known_hosts), patterns with * and ?, negated patterns (!pattern);
//   - @revoked keys (always refused) and @cert-authority lines (ignored: pkiform
//     does not accept host certificates).
// libssh 0.10 looks a host up under one name only, and cannot say which line
// made a key "changed".
//
// Parsing is pure (no I/O) so that it can be tested and fuzzed on its own.
// Malformed lines are kept as problems with their line number: a connection
// skips them (as OpenSSH does), `validate` reports them.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <string_view>
#include <vector>

#include "reconciler/util/result.h"

namespace pkiform::ssh {

struct KnownHostsEntry {
  enum class Marker { kNone, kCertAuthority, kRevoked };
  Marker marker = Marker::kNone;
  std::vector<std::string> patterns;  // plain host patterns (may hold * ? and a leading !); empty when hashed
  std::string hashed_salt;            // raw bytes of a hashed entry's salt ("|1|salt|hash")
  std::string hashed_name;            // raw bytes of HMAC-SHA1(salt, name)
  std::string key_type;               // "ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa", ...
  std::string key_base64;             // the key blob as written
  int line = 0;
};

struct KnownHostsProblem {
  int line = 0;
  std::string message;
};

struct KnownHosts {
  std::vector<KnownHostsEntry> entries;
  std::vector<KnownHostsProblem> problems;
  bool has_hashed = false;  // the file uses hashed names: new entries are hashed too

  // Which entries may name a host, in file order. ParseKnownHosts indexes the entries whose
  // patterns are all plain names by those names (lower case); the others (hashed names,
  // wildcards, negations) are always candidates. A lookup in a file of a whole fleet then
  // costs its host's lines, not the file's (issue 13: 10,000 hosts made 20,000 lines, read
  // once per connection). Entries added by hand after parsing are all candidates.
  std::vector<size_t> CandidatesFor(const std::string& lower_name) const;
  std::unordered_map<std::string, std::vector<size_t>> by_name;
  std::vector<size_t> others;
  size_t indexed = 0;  // entries [0, indexed) are in by_name or others
};

KnownHosts ParseKnownHosts(std::string_view text);

// Reads and parses `path` (a regular file within limits::kKnownHostsFile, read by util/file_reader.h).
// A file that does not exist is an empty one.
Result<KnownHosts> ReadKnownHosts(const std::string& path);

// ReadKnownHosts, parsed once per process while the file stays the same (device, inode, size and
// modification time, the same before and after the read): every connection of a run looks its
// host up in the same file, and reading it again for each made a run's cost grow with the
// square of the fleet (issue 13). Thread-safe.
Result<std::shared_ptr<const KnownHosts>> ReadKnownHostsShared(const std::string& path);

// The name a host is recorded under: "host" on port 22, else "[host]:port".
std::string KnownHostsName(const std::string& host, int port);

// Whether `entry` names `name` (already in KnownHostsName form), as OpenSSH
// matches it: case-insensitive, wildcards, a matching negated pattern excludes.
bool EntryNames(const KnownHostsEntry& entry, const std::string& name);

// A host key as known_hosts writes it.
struct HostKey {
  std::string type;    // "ssh-ed25519"
  std::string base64;  // "AAAAC3NzaC1lZDI1NTE5AAAA..."
};

struct HostKeyVerdict {
  enum class Kind { kKnown, kUnknown, kChanged, kOtherType, kRevoked };
  Kind kind = Kind::kUnknown;
  std::string name;  // the name whose entry decided (kKnown, kChanged, kOtherType, kRevoked)
  int line = 0;      // the line that decided
};

// The verdict on `presented` for a host recorded under any of `names`. Refusals
// win: a revoked key, or a name whose entries of the key's type all hold another
// key (changed, even if another name knows the key), or entries only of other
// types; else known when any name holds the key; else unknown.
HostKeyVerdict LookUpHostKey(const KnownHosts& known, const std::vector<std::string>& names, const HostKey& presented);

// The key types recorded for any of `names` (in file order, without repeats),
// so that key exchange can prefer them as OpenSSH does.
std::vector<std::string> RecordedKeyTypes(const KnownHosts& known, const std::vector<std::string>& names);

// The lines to append to record `key` under `names`: one line naming them all,
// or, when `hashed`, one hashed line per name (a hashed entry holds one name).
Result<std::vector<std::string>> KnownHostsLinesFor(const std::vector<std::string>& names, const HostKey& key,
                                                   bool hashed);

}  // namespace pkiform::ssh
