// Fault injection for one simulated appliance: the file DIR/faults, key=value lines,
// re-read before every command so that a test can change it mid-session.
//
//   drop-at-command=N          the Nth command line of a session (counted from 1)
//                              closes the connection abruptly: the shell exits
//                              without an answer or a prompt
//   fail-restart=<Service>     `utils service restart <Service>` ends with
//                              `<Service>[FAILED]`; the service stays STOPPED (its
//                              TLS endpoint refuses connections) and the running
//                              identities are not refreshed (ASSUMED behaviour).
//                              On a vcs peer (any value): a restart begun while it is
//                              set never comes back (logins refused, TLS down) until
//                              the fault is removed (ASSUMED; docs/platforms/vcs.md)
//   slow-ms=N                  every answer (and the start-up banner) is delayed N ms
//   no-prompt=1                after the start-up banner the prompt never comes; input
//                              is read and ignored until the client goes away
// Unknown keys and malformed values are ignored (a fault file is test input).
#pragma once
#include <filesystem>
#include <string>

namespace pkiform::sim {

struct Faults {
  int dropAtCommand = 0;  // 0: never
  std::string failRestart;
  int slowMs = 0;
  bool noPrompt = false;
};

Faults LoadFaults(const std::filesystem::path& applianceDir);

}  // namespace pkiform::sim
