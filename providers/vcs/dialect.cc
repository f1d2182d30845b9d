// ParseDialect: schema/dialects/vcs-cli.yaml into a Dialect with the catalogue's strict YAML
// reader (reconciler/catalogue/strict_yaml.h): unknown keys, missing keys and wrong types
// are errors that name the file, line and key path.
#include "providers/vcs/dialect.h"

#include "reconciler/catalogue/strict_yaml.h"

namespace pkiform::vcs {
namespace {

namespace strict = catalogue::strict;

constexpr std::string_view kDialectFile = "schema/dialects/vcs-cli.yaml";

// A string that must not be empty: an empty marker would match every line.
std::string NonEmpty(strict::Map& m, std::string_view key) {
  std::string v = m.String(key);
  if (v.empty() && m.Knows(key) && m.Has(key)) m.errors().Add(m.node()[std::string(key)], m.PathOf(key), "must not be empty");
  return v;
}

void ReadAdmin(strict::Map& top, AdminDialect& a) {
  strict::Map m(top.errors(), top.Child("admin"), "admin");
  a.banner = NonEmpty(m, "banner");
  a.echo_off = NonEmpty(m, "echoOff");
  a.answer_end = NonEmpty(m, "answerEnd");
  a.quit = NonEmpty(m, "quit");
  a.startup_seconds = cli::PositiveInt(m, "startupSeconds");
  a.command_seconds = cli::PositiveInt(m, "commandSeconds");
  a.max_output_bytes = static_cast<size_t>(cli::PositiveInt(m, "maxOutputBytes"));
  m.Finish();
}

void ReadAnswers(strict::Map& top, AnswerDialect& a) {
  strict::Map m(top.errors(), top.Child("answers"), "answers");
  a.status_prefix = NonEmpty(m, "statusPrefix");
  a.status_end = NonEmpty(m, "statusEnd");
  a.configuration_prefix = NonEmpty(m, "configurationPrefix");
  a.result_prefix = NonEmpty(m, "resultPrefix");
  a.result_end = NonEmpty(m, "resultEnd");
  a.status_ok = NonEmpty(m, "statusOk");
  a.status_error = NonEmpty(m, "statusError");
  a.reason_leaf = NonEmpty(m, "reasonLeaf");
  a.unknown_command = NonEmpty(m, "unknownCommand");
  m.Finish();
}

void ReadStatus(strict::Map& top, SystemUnitDialect& s) {
  strict::Map m(top.errors(), top.Child("status"), "status");
  strict::Map u(m.errors(), m.Child("systemUnit"), "status.systemUnit");
  s.send = NonEmpty(u, "send");
  s.path = NonEmpty(u, "path");
  s.product = NonEmpty(u, "product");
  s.version = NonEmpty(u, "version");
  s.build = NonEmpty(u, "build");
  u.Finish();
  m.Finish();
}

void ReadConfiguration(strict::Map& top, ConfigurationDialect& c) {
  strict::Map m(top.errors(), top.Child("configuration"), "configuration");
  c.on_word = NonEmpty(m, "onWord");
  c.off_word = NonEmpty(m, "offWord");
  c.write = NonEmpty(m, "write");
  {
    strict::Map a(m.errors(), m.Child("alternates"), "configuration.alternates");
    c.alternates.read = NonEmpty(a, "read");
    c.alternates.path = NonEmpty(a, "path");
    c.alternates.cluster_name = NonEmpty(a, "clusterName");
    c.alternates.peer_address = NonEmpty(a, "peerAddress");
    c.alternates.peers = cli::PositiveInt(a, "peers");
    a.Finish();
  }
  {
    strict::Map a(m.errors(), m.Child("crlAutomatic"), "configuration.crlAutomatic");
    c.crl_automatic.read = NonEmpty(a, "read");
    c.crl_automatic.path = NonEmpty(a, "path");
    c.crl_automatic.mode = NonEmpty(a, "mode");
    c.crl_automatic.distribution_points = NonEmpty(a, "distributionPoints");
    c.crl_automatic.update_time = NonEmpty(a, "updateTime");
    a.Finish();
  }
  {
    strict::Map a(m.errors(), m.Child("sipTlsRevocation"), "configuration.sipTlsRevocation");
    c.sip_tls.read = NonEmpty(a, "read");
    c.sip_tls.path = NonEmpty(a, "path");
    c.sip_tls.mode = NonEmpty(a, "mode");
    c.sip_tls.ocsp = NonEmpty(a, "ocsp");
    c.sip_tls.crl = NonEmpty(a, "crl");
    c.sip_tls.cdp = NonEmpty(a, "cdp");
    c.sip_tls.fallback = NonEmpty(a, "fallback");
    c.sip_tls.revoked = NonEmpty(a, "revoked");
    c.sip_tls.not_revoked = NonEmpty(a, "notRevoked");
    a.Finish();
  }
  m.Finish();
}

XCommand ReadCommand(strict::Map& parent, std::string_view key) {
  strict::Map m(parent.errors(), parent.Child(key), parent.PathOf(key));
  XCommand c{NonEmpty(m, "send"), NonEmpty(m, "result")};
  m.Finish();
  return c;
}

void ReadCommands(strict::Map& top, CommandsDialect& c) {
  strict::Map m(top.errors(), top.Child("commands"), "commands");
  c.csr_generate = ReadCommand(m, "csrGenerate");
  c.csr_discard = ReadCommand(m, "csrDiscard");
  c.server_upload = ReadCommand(m, "serverUpload");
  c.server_upload_with_key = ReadCommand(m, "serverUploadWithKey");
  c.server_reset = ReadCommand(m, "serverReset");
  c.ca_append = ReadCommand(m, "caAppend");
  c.ca_delete = ReadCommand(m, "caDelete");
  c.ca_reset = ReadCommand(m, "caReset");
  c.crl_upload = ReadCommand(m, "crlUpload");
  c.crl_remove = ReadCommand(m, "crlRemove");
  c.restart = ReadCommand(m, "restart");
  m.Finish();
}

void ReadRefusals(strict::Map& top, std::vector<Refusal>& out) {
  strict::ForEach(top.errors(), top.Child("refusals"), "refusals", [&](const YAML::Node& n, const std::string& path) {
    strict::Map r(top.errors(), n, path);
    Refusal refusal{NonEmpty(r, "reason"), NonEmpty(r, "rule")};
    r.Finish();
    out.push_back(std::move(refusal));
  });
}

void ReadRoot(strict::Map& top, RootDialect& r) {
  strict::Map m(top.errors(), top.Child("root"), "root");
  {
    strict::Map f(m.errors(), m.Child("files"), "root.files");
    r.server_file = NonEmpty(f, "server");
    r.ca_file = NonEmpty(f, "ca");
    r.csr_file = NonEmpty(f, "csr");
    r.crl_file = NonEmpty(f, "crl");
    f.Finish();
  }
  r.read = NonEmpty(m, "read");
  r.header = NonEmpty(m, "header");
  r.missing = NonEmpty(m, "missing");
  r.denied = NonEmpty(m, "denied");
  r.staging_dir = NonEmpty(m, "stagingDir");
  r.make_staging_dir = NonEmpty(m, "makeStagingDir");
  r.write = NonEmpty(m, "write");
  r.remove = NonEmpty(m, "remove");
  r.max_staged_bytes = static_cast<size_t>(cli::PositiveInt(m, "maxStagedBytes"));
  r.max_read_bytes = static_cast<size_t>(cli::PositiveInt(m, "maxReadBytes"));
  m.Finish();
  if (!r.staging_dir.empty() && (r.staging_dir.front() != '/' || r.staging_dir.back() == '/'))
    top.errors().Add(top.node()["root"], "root.stagingDir", "must be an absolute path without a trailing '/'");
}

}  // namespace

Result<Dialect> ParseDialect(std::string_view file, std::string_view text) {
  Dialect d;
  Status read = cli::ReadDialectFile(file, text, "vcs-cli", [&](strict::Map& top) {
    ReadAdmin(top, d.admin);
    ReadAnswers(top, d.answers);
    ReadStatus(top, d.system_unit);
    ReadConfiguration(top, d.configuration);
    ReadCommands(top, d.commands);
    ReadRefusals(top, d.refusals);
    ReadRoot(top, d.root);
    strict::Map t(top.errors(), top.Child("temporaryIdentity"), "temporaryIdentity");
    d.temporary_ca_prefix = NonEmpty(t, "issuerCnPrefix");
    t.Finish();
  });
  if (!read.ok()) return read;
  return d;
}

const Result<Dialect>& BuiltinDialect() { return cli::ParseEmbeddedOnce<Dialect>(kDialectFile, ParseDialect); }

}  // namespace pkiform::vcs
