// ParseDialect: schema/dialects/vcs-cli.yaml into a Dialect with the catalogue's strict YAML
// reader (reconciler/catalogue/strict_yaml.h): unknown keys, missing keys and wrong types
// are errors that name the file, line and key path.
#include "providers/vcs/dialect.h"

#include <functional>

#include "reconciler/catalogue/strict_yaml.h"

namespace pkiform::vcs {
namespace {

namespace strict = catalogue::strict;

constexpr std::string_view kDialectFile = "schema/dialects/vcs-cli.yaml";

// A string that must not be empty: an empty marker would match every line.
std::string NonEmpty(strict::Map& m, std::string_view key) {
  std::string v = m.String(key);
  if (v.empty() && m.Has(key)) m.errors().Add(m.node()[std::string(key)], m.PathOf(key), "must not be empty");
  return v;
}

// Each key of `fields`, a string that must not be empty, into its member.
using Fields = std::initializer_list<std::pair<std::string_view, std::string*>>;
void NonEmpty(strict::Map& m, Fields fields) {
  for (const auto& [key, out] : fields) *out = NonEmpty(m, key);
}

// The mapping at `key` of `parent`, read by `read`, then checked for unknown keys.
void Sub(strict::Map& parent, std::string_view key, const std::function<void(strict::Map&)>& read) {
  strict::Map m(parent.errors(), parent.Child(key), parent.path().empty() ? std::string(key) : parent.PathOf(key));
  read(m);
  m.Finish();
}

void ReadAdmin(strict::Map& m, AdminDialect& a) {
  NonEmpty(m, {{"banner", &a.banner}, {"echoOff", &a.echo_off}, {"answerEnd", &a.answer_end}, {"quit", &a.quit}});
  a.startup_seconds = cli::PositiveInt(m, "startupSeconds");
  a.command_seconds = cli::PositiveInt(m, "commandSeconds");
  a.max_output_bytes = static_cast<size_t>(cli::PositiveInt(m, "maxOutputBytes"));
  a.type_ahead_bytes = cli::TypeAheadBytes(m);
}

void ReadAnswers(strict::Map& m, AnswerDialect& a) {
  NonEmpty(m, {{"statusPrefix", &a.status_prefix},
               {"statusEnd", &a.status_end},
               {"configurationPrefix", &a.configuration_prefix},
               {"resultPrefix", &a.result_prefix},
               {"resultEnd", &a.result_end},
               {"statusOk", &a.status_ok},
               {"statusError", &a.status_error},
               {"reasonLeaf", &a.reason_leaf},
               {"unknownCommand", &a.unknown_command}});
}

void ReadStatus(strict::Map& m, SystemUnitDialect& s) {
  Sub(m, "systemUnit", [&](strict::Map& u) {
    NonEmpty(
        u,
        {{"send", &s.send}, {"path", &s.path}, {"product", &s.product}, {"version", &s.version}, {"build", &s.build}});
  });
}

void ReadConfiguration(strict::Map& m, ConfigurationDialect& c) {
  NonEmpty(m, {{"onWord", &c.on_word}, {"offWord", &c.off_word}, {"write", &c.write}});
  Sub(m, "alternates", [&](strict::Map& a) {
    auto& t = c.alternates;
    NonEmpty(
        a, {{"read", &t.read}, {"path", &t.path}, {"clusterName", &t.cluster_name}, {"peerAddress", &t.peer_address}});
    t.peers = cli::PositiveInt(a, "peers");
  });
  Sub(m, "crlAutomatic", [&](strict::Map& a) {
    auto& t = c.crl_automatic;
    NonEmpty(a, {{"read", &t.read},
                 {"path", &t.path},
                 {"mode", &t.mode},
                 {"distributionPoints", &t.distribution_points},
                 {"updateTime", &t.update_time}});
  });
  Sub(m, "sipTlsRevocation", [&](strict::Map& a) {
    auto& t = c.sip_tls;
    NonEmpty(a, {{"read", &t.read},
                 {"path", &t.path},
                 {"mode", &t.mode},
                 {"ocsp", &t.ocsp},
                 {"crl", &t.crl},
                 {"cdp", &t.cdp},
                 {"fallback", &t.fallback},
                 {"revoked", &t.revoked},
                 {"notRevoked", &t.not_revoked}});
  });
}

XCommand ReadCommand(strict::Map& parent, std::string_view key) {
  strict::Map m(parent.errors(), parent.Child(key), parent.PathOf(key));
  XCommand c{NonEmpty(m, "send"), NonEmpty(m, "result")};
  m.Finish();
  return c;
}

void ReadCommands(strict::Map& m, CommandsDialect& c) {
  for (auto [key, out] :
       {std::pair{"csrGenerate", &c.csr_generate}, std::pair{"csrDiscard", &c.csr_discard},
        std::pair{"serverUpload", &c.server_upload}, std::pair{"serverUploadWithKey", &c.server_upload_with_key},
        std::pair{"serverReset", &c.server_reset}, std::pair{"caAppend", &c.ca_append},
        std::pair{"caDelete", &c.ca_delete}, std::pair{"caReset", &c.ca_reset}, std::pair{"crlUpload", &c.crl_upload},
        std::pair{"crlRemove", &c.crl_remove}, std::pair{"restart", &c.restart}})
    *out = ReadCommand(m, key);
}

void ReadRefusals(strict::Map& top, std::vector<Refusal>& out) {
  strict::ForEach(top.errors(), top.Child("refusals"), "refusals", [&](const YAML::Node& n, const std::string& path) {
    strict::Map r(top.errors(), n, path);
    Refusal refusal{NonEmpty(r, "reason"), NonEmpty(r, "rule")};
    r.Finish();
    out.push_back(std::move(refusal));
  });
}

void ReadRoot(strict::Map& m, RootDialect& r) {
  Sub(m, "files", [&](strict::Map& f) {
    NonEmpty(f, {{"server", &r.server_file}, {"ca", &r.ca_file}, {"csr", &r.csr_file}, {"crl", &r.crl_file}});
  });
  NonEmpty(m, {{"read", &r.read},
               {"header", &r.header},
               {"missing", &r.missing},
               {"denied", &r.denied},
               {"stagingDir", &r.staging_dir},
               {"makeStagingDir", &r.make_staging_dir},
               {"write", &r.write},
               {"remove", &r.remove}});
  r.max_staged_bytes = static_cast<size_t>(cli::PositiveInt(m, "maxStagedBytes"));
  r.max_read_bytes = static_cast<size_t>(cli::PositiveInt(m, "maxReadBytes"));
  if (!r.staging_dir.empty() && (r.staging_dir.front() != '/' || r.staging_dir.back() == '/'))
    m.errors().Add(m.node()["stagingDir"], m.PathOf("stagingDir"), "must be an absolute path without a trailing '/'");
}

}  // namespace

Result<Dialect> ParseDialect(std::string_view file, std::string_view text) {
  Dialect d;
  Status read = cli::ReadDialectFile(file, text, "vcs-cli", [&](strict::Map& top) {
    Sub(top, "admin", [&](strict::Map& m) { ReadAdmin(m, d.admin); });
    Sub(top, "answers", [&](strict::Map& m) { ReadAnswers(m, d.answers); });
    Sub(top, "status", [&](strict::Map& m) { ReadStatus(m, d.system_unit); });
    Sub(top, "configuration", [&](strict::Map& m) { ReadConfiguration(m, d.configuration); });
    Sub(top, "commands", [&](strict::Map& m) { ReadCommands(m, d.commands); });
    ReadRefusals(top, d.refusals);
    Sub(top, "root", [&](strict::Map& m) { ReadRoot(m, d.root); });
    Sub(top, "temporaryIdentity", [&](strict::Map& m) { d.temporary_ca_prefix = NonEmpty(m, "issuerCnPrefix"); });
  });
  if (!read.ok()) return read;
  return d;
}

const Result<Dialect>& BuiltinDialect() { return cli::ParseEmbeddedOnce<Dialect>(kDialectFile, ParseDialect); }

}  // namespace pkiform::vcs
