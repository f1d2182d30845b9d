// The limits pkiform enforces on what a repository may hand it. Manifests and
// the files they name arrive through merge requests, so every byte is untrusted:
// each limit turns what would be a crash, a hang or a flood of output into one
// located error, and is far above anything a real repository needs.
// docs/security.md lists them; change both together.
#pragma once

#include <cstddef>

namespace pkiform::limits {

// The most pkiform reads of one kind of file, and how messages name that kind.
struct FileLimit {
  size_t bytes;
  const char* what;
};

// Files, read with ReadBoundedFile (util/file_reader.h).
inline constexpr FileLimit kManifestFile{4u << 20, "a manifest"};               // 1,000 peers take ~100 KB
inline constexpr FileLimit kCertificateFile{1u << 20, "a certificate file"};    // ~150 CA roots take ~220 KB
inline constexpr FileLimit kPrivateKeyFile{64u << 10, "a private key file"};    // RSA 16384 in PEM is ~13 KB
inline constexpr FileLimit kCrlFile{64u << 20, "a CRL file"};                 // large public CAs: tens of MB
inline constexpr FileLimit kKnownHostsFile{16u << 20, "a known_hosts file"};  // a line per host; far beyond any fleet
// The manifest repository's own git metadata (HEAD, refs, packed-refs), read to name
// the commit a run applied; packed-refs of a large monorepo is a few MB.
inline constexpr FileLimit kGitRefFile{64u << 20, "a git ref file"};
// A system time zone file (/usr/share/zoneinfo); the largest is ~4 KB.
inline constexpr FileLimit kZoneFile{256u << 10, "a time zone file"};
inline constexpr size_t kManifestFiles = 20000;  // *.yaml files one run reads

// YAML, checked on every document before the schema (manifest/yaml_limits.h).
inline constexpr size_t kScalarBytes = 4096;            // one value or key; a long reload command is ~300
inline constexpr int kNestingDepth = 32;                // mappings and sequences; the schema needs 7
inline constexpr size_t kDocumentsPerFile = 10000;      // `---` documents in one file

// Durations (lifetimes, renewBefore, timeouts): at most 100y. Expiry is computed
// on clocks that count nanoseconds and end in 2262; 240y from today passed that
// and wrapped around, which silenced the "cut short" warning.
inline constexpr long long kDurationSeconds = 100LL * 365 * 86400;
inline constexpr const char* kDurationText = "100y";

}  // namespace pkiform::limits
