// The VCS / Expressway CLI dialect: every command word, setting path, field name, answer
// marker, file path and refusal wording the vcs provider uses, read from
// schema/dialects/vcs-cli.yaml (embedded in the binary). Keeping the wording as data means
// a correction from a real VCS changes the file, not the code. Parsing is strict: an
// unknown or missing key is an error naming its path.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "providers/cli/dialect_text.h"
#include "reconciler/util/result.h"

namespace pkiform::vcs {

struct AdminDialect {
  std::string banner, echo_off, answer_end, quit;
  int startup_seconds = 0, command_seconds = 0;
  size_t max_output_bytes = 0;
  int type_ahead_bytes = 0;  // read-only commands typed ahead per write (cli::TypeAheadBytes)
};

struct AnswerDialect {
  std::string status_prefix, status_end, configuration_prefix, result_prefix, result_end;
  std::string status_ok, status_error, reason_leaf, unknown_command;
};

struct SystemUnitDialect {
  std::string send, path, product, version, build;
};

struct AlternatesDialect {
  std::string read, path, cluster_name, peer_address;  // peer_address holds {n}
  int peers = 0;
};

struct CrlAutomaticDialect {
  std::string read, path, mode, distribution_points, update_time;
};

struct SipTlsRevocationDialect {
  std::string read, path, mode, ocsp, crl, cdp, fallback, revoked, not_revoked;
};

struct ConfigurationDialect {
  std::string on_word, off_word, write;
  AlternatesDialect alternates;
  CrlAutomaticDialect crl_automatic;
  SipTlsRevocationDialect sip_tls;
};

// An xCommand: the line typed ({placeholders}) and the <Name>Result its answer carries.
struct XCommand {
  std::string send, result;
};

struct CommandsDialect {
  XCommand csr_generate, csr_discard, server_upload, server_upload_with_key, server_reset, ca_append, ca_delete,
      ca_reset, crl_upload, crl_remove, restart;
};

// A refusal the provider names by its seed rule: the start of the Reason line.
struct Refusal {
  std::string reason, rule;
};

struct RootDialect {
  std::string server_file, ca_file, csr_file, crl_file;
  std::string read, header, missing, denied;
  std::string staging_dir, make_staging_dir, write, remove;
  size_t max_staged_bytes = 0, max_read_bytes = 0;  // each exec is timed by the SSH session (SshTarget::timeout)
  // The four files in the order `read` lists them.
  std::vector<std::string> Files() const { return {server_file, ca_file, csr_file, crl_file}; }
};

struct Dialect {
  AdminDialect admin;
  AnswerDialect answers;
  SystemUnitDialect system_unit;
  ConfigurationDialect configuration;
  CommandsDialect commands;
  std::vector<Refusal> refusals;
  RootDialect root;
  std::string temporary_ca_prefix;  // V17
};

// Parses dialect YAML; `file` names it in errors.
Result<Dialect> ParseDialect(std::string_view file, std::string_view text);
// schema/dialects/vcs-cli.yaml from the embedded data, parsed once.
const Result<Dialect>& BuiltinDialect();

}  // namespace pkiform::vcs
