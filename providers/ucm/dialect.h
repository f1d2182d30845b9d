// The UCM CLI dialect: every command string, prompt, question and answer wording the
// ucm provider uses, read from schema/dialects/ucm-cli.yaml (embedded in the binary).
// Keeping the wording as data means a correction from a real node changes the file,
// not the code. Parsing is strict: an unknown or missing key is an error.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "providers/cli/dialect_text.h"
#include "reconciler/util/result.h"

namespace pkiform::ucm {

// A question the CLI may ask before it acts ("(yes|no)") and what is typed back.
struct Question {
  std::string ask;     // substring of the question line
  std::string answer;
};

// One command: its line (with {placeholders}), the answer line that means success,
// and the questions it may ask.
struct CommandText {
  std::string send;
  std::string success;  // empty: no success line (the absence of `failure` is enough)
  std::vector<Question> questions;
};

struct PasteCommand {
  std::string send;
  std::string paste;    // the invitation to paste the certificate
  std::string success;
};

// The OS Administration settings (schema/platforms/ucm.yaml `settings`; ASSUMED CLI):
// Certificate Revocation / OCSP (U16) and the Certificate Monitor (U17).
struct SettingsDialect {
  std::string enabled_word, disabled_word, hours_word, days_word;
  // OCSP: `show ocsp` and its "<field> : <value>" lines.
  std::string ocsp_show;
  std::string field_ocsp_enabled, field_uri_source, field_configured_uri, field_revocation_check, field_check_every,
      field_common_criteria;
  std::string uri_from_certificate, uri_configured;  // values of field_uri_source
  CommandText ocsp_enable, ocsp_disable, ocsp_use_certificate_uri, ocsp_use_configured_uri;
  CommandText ocsp_responder;  // {uri}
  CommandText ocsp_interval;   // {hours}
  // Certificate monitor: `show cert-monitor`.
  std::string monitor_show;
  std::string field_notify_before, field_frequency, field_email_notification, field_email_ids;
  std::string email_separator;
  CommandText monitor_notify_before;  // {days}
  CommandText monitor_frequency;      // {count} {unit}
  CommandText monitor_email;          // {ids}
  CommandText monitor_email_off;
};

struct Dialect {
  // session
  std::string prompt;
  std::string banner;
  std::string failure;
  int startup_seconds = 0;
  int command_seconds = 0;
  int restart_seconds = 0;
  size_t max_output_bytes = 0;
  int type_ahead_bytes = 0;  // read-only commands typed ahead per write (cli::TypeAheadBytes)
  std::string quit;
  CommandText pagination_off;
  // version
  std::string version_send;
  std::string version_field;
  std::map<std::string, std::string> builds;  // build -> release train
  // cluster
  std::string cluster_send;
  int fqdn_field = 0, role_field = 0, type_field = 0;  // 1-based
  std::string publisher, subscriber, unified_cm, im_and_presence;
  // certificates
  std::string list_own, list_trust, show_own, show_trust, own_file, trust_suffix;
  std::vector<std::string> imported_descriptions;
  PasteCommand import_own, import_trust;
  CommandText delete_trust;
  // csr
  std::string csr_list_own, csr_show_own, csr_file;
  CommandText web_security;
  CommandText csr_generate;
  std::string ou_question;
  // services
  std::string service_list;
  std::string restart_send;
  std::string restart_started;
  std::vector<std::string> restart_failed;
  // OCSP and the certificate monitor
  SettingsDialect settings;
};

// Parses dialect YAML; `file` names it in errors.
Result<Dialect> ParseDialect(std::string_view file, std::string_view text);
// schema/dialects/ucm-cli.yaml from the embedded data, parsed once.
const Result<Dialect>& BuiltinDialect();

// Placeholders are filled by the dialects' shared helper (providers/cli/dialect_text.h).
using cli::Fill;

}  // namespace pkiform::ucm
