// ParseDialect: schema/dialects/ucm-cli.yaml into a Dialect, with the catalogue's strict
// YAML reader (reconciler/catalogue/strict_yaml.h): unknown keys, missing keys and wrong
// types are errors that name the file, line and key path.
#include "providers/ucm/dialect.h"

#include "providers/cli/dialect_text.h"
#include "reconciler/catalogue/strict_yaml.h"

namespace pkiform::ucm {
namespace {

namespace strict = catalogue::strict;

constexpr std::string_view kDialectFile = "schema/dialects/ucm-cli.yaml";

std::vector<Question> ReadQuestions(strict::Map& m) {
  std::vector<Question> out;
  strict::ForEach(m.errors(), m.Child("questions"), m.PathOf("questions"),
                  [&](const YAML::Node& n, const std::string& path) {
                    strict::Map q(m.errors(), n, path);
                    Question question{q.String("ask"), q.String("answer")};
                    q.Finish();
                    out.push_back(std::move(question));
                  });
  return out;
}

CommandText ReadCommand(strict::Map& parent, std::string_view key, bool needs_success) {
  strict::Map m(parent.errors(), parent.Child(key), parent.PathOf(key));
  CommandText c;
  c.send = m.String("send");
  c.success = needs_success ? m.String("success") : m.String("success", "");
  c.questions = ReadQuestions(m);
  m.Finish();
  return c;
}

PasteCommand ReadPaste(strict::Map& parent, std::string_view key) {
  strict::Map m(parent.errors(), parent.Child(key), parent.PathOf(key));
  PasteCommand c{m.String("send"), m.String("paste"), m.String("success")};
  m.Finish();
  return c;
}

int Positive(strict::Map& m, std::string_view key) { return cli::PositiveInt(m, key); }

void ReadSession(strict::Map& top, Dialect& d) {
  strict::Map m(top.errors(), top.Child("session"), "session");
  d.prompt = m.String("prompt");
  d.banner = m.String("banner");
  d.failure = m.String("failure");
  d.startup_seconds = Positive(m, "startupSeconds");
  d.command_seconds = Positive(m, "commandSeconds");
  d.restart_seconds = Positive(m, "restartSeconds");
  d.max_output_bytes = static_cast<size_t>(Positive(m, "maxOutputBytes"));
  d.type_ahead_bytes = cli::TypeAheadBytes(m);
  d.quit = m.String("quit");
  d.pagination_off = ReadCommand(m, "paginationOff", true);
  m.Finish();
  if (d.prompt.empty()) top.errors().Add(top.node()["session"], "session.prompt", "must not be empty");
}

void ReadVersion(strict::Map& top, Dialect& d) {
  strict::Map m(top.errors(), top.Child("version"), "version");
  d.version_send = m.String("send");
  d.version_field = m.String("field");
  strict::ForEach(m.errors(), m.Child("builds"), "version.builds", [&](const YAML::Node& n, const std::string& path) {
    strict::Map b(m.errors(), n, path);
    std::string build = b.String("build");
    std::string release = b.String("release");
    b.Finish();
    if (!d.builds.emplace(build, release).second) m.errors().Add(n, path, "build '" + build + "' listed twice");
  });
  m.Finish();
}

void ReadCluster(strict::Map& top, Dialect& d) {
  strict::Map m(top.errors(), top.Child("cluster"), "cluster");
  d.cluster_send = m.String("send");
  d.fqdn_field = Positive(m, "fqdnField");
  d.role_field = Positive(m, "roleField");
  d.type_field = Positive(m, "typeField");
  d.publisher = m.String("publisher");
  d.subscriber = m.String("subscriber");
  d.unified_cm = m.String("unifiedCM");
  d.im_and_presence = m.String("imAndPresence");
  m.Finish();
}

void ReadCertificates(strict::Map& top, Dialect& d) {
  strict::Map m(top.errors(), top.Child("certificates"), "certificates");
  d.list_own = m.String("listOwn");
  d.list_trust = m.String("listTrust");
  d.show_own = m.String("showOwn");
  d.show_trust = m.String("showTrust");
  d.own_file = m.String("ownFile");
  d.trust_suffix = m.String("trustSuffix");
  d.imported_descriptions = m.Strings("importedDescriptions");
  d.import_own = ReadPaste(m, "importOwn");
  d.import_trust = ReadPaste(m, "importTrust");
  d.delete_trust = ReadCommand(m, "delete", true);
  m.Finish();
}

void ReadCsr(strict::Map& top, Dialect& d) {
  strict::Map m(top.errors(), top.Child("csr"), "csr");
  d.csr_list_own = m.String("listOwn");
  d.csr_show_own = m.String("showOwn");
  d.csr_file = m.String("ownFile");
  d.web_security = ReadCommand(m, "webSecurity", true);
  {
    strict::Map g(m.errors(), m.Child("generate"), "csr.generate");
    d.csr_generate.send = g.String("send");
    d.csr_generate.success = g.String("success");
    d.ou_question = g.String("ouQuestion");
    g.Finish();
  }
  m.Finish();
}

void ReadServices(strict::Map& top, Dialect& d) {
  strict::Map m(top.errors(), top.Child("services"), "services");
  d.service_list = m.String("list");
  strict::Map r(m.errors(), m.Child("restart"), "services.restart");
  d.restart_send = r.String("send");
  d.restart_started = r.String("started");
  d.restart_failed = r.Strings("failed");
  r.Finish();
  m.Finish();
}

void ReadSettings(strict::Map& top, Dialect& d) {
  SettingsDialect& s = d.settings;
  strict::Map m(top.errors(), top.Child("settings"), "settings");
  s.enabled_word = m.String("enabledWord");
  s.disabled_word = m.String("disabledWord");
  s.hours_word = m.String("hoursWord");
  s.days_word = m.String("daysWord");
  {
    strict::Map o(m.errors(), m.Child("ocsp"), "settings.ocsp");
    s.ocsp_show = o.String("show");
    strict::Map f(o.errors(), o.Child("fields"), "settings.ocsp.fields");
    s.field_ocsp_enabled = f.String("enabled");
    s.field_uri_source = f.String("uriSource");
    s.field_configured_uri = f.String("configuredUri");
    s.field_revocation_check = f.String("revocationCheck");
    s.field_check_every = f.String("checkEvery");
    s.field_common_criteria = f.String("commonCriteria");
    f.Finish();
    s.uri_from_certificate = o.String("uriFromCertificate");
    s.uri_configured = o.String("uriConfigured");
    s.ocsp_enable = ReadCommand(o, "enable", true);
    s.ocsp_disable = ReadCommand(o, "disable", true);
    s.ocsp_use_certificate_uri = ReadCommand(o, "useCertificateUri", true);
    s.ocsp_use_configured_uri = ReadCommand(o, "useConfiguredUri", true);
    s.ocsp_responder = ReadCommand(o, "responder", true);
    s.ocsp_interval = ReadCommand(o, "interval", true);
    o.Finish();
  }
  {
    strict::Map c(m.errors(), m.Child("certificateMonitor"), "settings.certificateMonitor");
    s.monitor_show = c.String("show");
    strict::Map f(c.errors(), c.Child("fields"), "settings.certificateMonitor.fields");
    s.field_notify_before = f.String("notifyBefore");
    s.field_frequency = f.String("frequency");
    s.field_email_notification = f.String("emailNotification");
    s.field_email_ids = f.String("emailIds");
    f.Finish();
    s.email_separator = c.String("emailSeparator");
    s.monitor_notify_before = ReadCommand(c, "notifyBefore", true);
    s.monitor_frequency = ReadCommand(c, "frequency", true);
    s.monitor_email = ReadCommand(c, "email", true);
    s.monitor_email_off = ReadCommand(c, "emailOff", true);
    c.Finish();
  }
  m.Finish();
  if (s.email_separator.size() != 1)
    top.errors().Add(top.node()["settings"], "settings.certificateMonitor.emailSeparator", "must be one character");
}

}  // namespace

Result<Dialect> ParseDialect(std::string_view file, std::string_view text) {
  Dialect d;
  Status read = cli::ReadDialectFile(file, text, "ucm-cli", [&](strict::Map& top) {
    ReadSession(top, d);
    ReadVersion(top, d);
    ReadCluster(top, d);
    ReadCertificates(top, d);
    ReadCsr(top, d);
    ReadServices(top, d);
    ReadSettings(top, d);
  });
  if (!read.ok()) return read;
  return d;
}

const Result<Dialect>& BuiltinDialect() { return cli::ParseEmbeddedOnce<Dialect>(kDialectFile, ParseDialect); }

}  // namespace pkiform::ucm
