// Pure parsers of what the VCS admin shell (the xACLI) answers: `*s` status leaves,
// `*c xConfiguration` leaves and `*r <Name>Result (status=OK|Error)` command results,
// and the typed readings the provider needs (the SystemUnit, the cluster alternates, the
// CRL automatic update settings of V10, the SIP TLS revocation settings of V13).
// Everything here reads untrusted text (already bounded by the session's output limit): a
// line without the expected shape is skipped, a missing, repeated or malformed leaf is an
// error naming it, never a crash.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "providers/vcs/dialect.h"
#include "reconciler/util/result.h"

namespace pkiform::vcs {

// One "<Leaf>: <value>" of a node, the value without its double quotes.
struct Leaf {
  std::string name;
  std::string value;
  bool quoted = false;
};

// The leaves of `prefix` ("*s SystemUnit", "*c xConfiguration Alternates"): every line
// "<prefix> <Leaf words>: <value>", in order. A value is either bare (one word) or a whole
// double-quoted string; a line with anything else after the colon is an error, as is a leaf
// printed twice (which of the two would be the truth?).
Result<std::vector<Leaf>> ParseLeaves(std::string_view answer, std::string_view prefix);

// `xStatus SystemUnit`.
struct SystemUnit {
  std::string product, version, build;
};
Result<SystemUnit> ParseSystemUnit(std::string_view answer, const Dialect& d);

// `xConfiguration Alternates`: the cluster name and the peer addresses that are set, in
// peer order (empty ones left out).
struct Alternates {
  std::string cluster_name;
  std::vector<std::string> peers;
};
Result<Alternates> ParseAlternates(std::string_view answer, const Dialect& d);

// `xConfiguration Certificates CRL Automatic` (V10).
struct CrlAutomatic {
  bool enabled = false;
  std::vector<std::string> distribution_points;  // the value split at spaces
  std::string update_time;                       // "HH:MM", UTC
};
Result<CrlAutomatic> ParseCrlAutomatic(std::string_view answer, const Dialect& d);

// `xConfiguration SIP TLS CertificateRevocationChecking` (V13).
struct SipTlsRevocation {
  bool enabled = false, ocsp = false, crl = false, cdp = false;
  bool fallback_revoked = false;  // FallbackBehavior Revoked; the default is NotRevoked
};
Result<SipTlsRevocation> ParseSipTlsRevocation(std::string_view answer, const Dialect& d);

// `*r <Name> (status=OK|Error):`, its indented "<Leaf>: <value>" lines, `*r/end`.
struct CommandResult {
  std::string name;  // "CertificatesCSRGenerateResult"
  bool ok = false;
  std::vector<Leaf> fields;
  std::string reason;                              // the Reason leaf of a refusal
  std::string Field(std::string_view leaf) const;  // "" when absent
};
// The one result block of `answer`; NotFound when there is none, an error when there are
// several or the block is cut off (no `*r/end`).
Result<CommandResult> ParseCommandResult(std::string_view answer, const Dialect& d);

// Ok for a success named `expected`; else an error quoting the reason, tagged with the seed
// rule the dialect's refusal list gives for it (V4, V8, V9, ...).
Status CheckResult(const CommandResult& result, std::string_view expected, const Dialect& d);

// The seed rule of a refusal reason ("" when the dialect lists none for it).
std::string RuleOfReason(std::string_view reason, const Dialect& d);

// A value typed between double quotes on an xACLI line: an error for a double quote or a
// control byte (the line could not carry it) or more than 2048 bytes.
Status CheckQuotable(std::string_view what, std::string_view value);

}  // namespace pkiform::vcs
