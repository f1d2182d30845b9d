// The Platform Command Line Interface of a simulated Unified CM / IM and Presence node:
// what `pkiform-sim shell` runs on its stdin/stdout (a PTY behind sshd, or a pipe).
// The dialect is the shared contract of docs/platforms/ucm.md ("CLI contract"): the
// start-up banner, the `admin:` prompt, CRLF line ends, and the certificate, CSR and
// service commands with the seed's rules (U4, U6-U13, U15) and faults (faults.h).
#pragma once
#include <filesystem>

namespace pkiform::sim {

// The longest line the CLI reads; a longer one is refused with a message.
inline constexpr size_t kMaxLineLength = 4096;
// The longest a CLI session lives (SIGALRM ends it): far beyond any test or demo session
// (seconds), short enough that a stray one cannot hold a CI machine for long.
inline constexpr unsigned kMaxSessionSeconds = 120;
// The most pasted certificate text one import takes.
inline constexpr size_t kMaxPasteBytes = 256 * 1024;

// Runs one session for the appliance in `dir`; returns the process exit code.
int RunUcmCli(const std::filesystem::path& dir, int inFd, int outFd);

}  // namespace pkiform::sim
