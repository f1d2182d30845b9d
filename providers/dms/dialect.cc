// ParseDialect: schema/dialects/dms-aai.yaml into a Dialect with the catalogue's strict YAML
// reader: unknown keys, missing keys and wrong types are errors that name the file, line and
// key path.
#include "providers/dms/dialect.h"

#include <functional>
#include <initializer_list>
#include <utility>

#include "providers/cli/dialect_text.h"
#include "reconciler/catalogue/strict_yaml.h"

namespace pkiform::dms {
namespace {

namespace strict = catalogue::strict;

constexpr std::string_view kDialectFile = "schema/dialects/dms-aai.yaml";

using Fields = std::initializer_list<std::pair<std::string_view, std::string*>>;

// The mapping at `key` of `top`: each key of `fields` a string that must not be empty (an
// empty label would match any field), then `more`, then no unknown key.
void Section(strict::Map& top, std::string_view key, Fields fields,
             const std::function<void(strict::Map&)>& more = nullptr) {
  strict::Map m(top.errors(), top.Child(key), std::string(key));
  for (const auto& [name, out] : fields) {
    *out = m.String(name);
    if (out->empty() && m.Has(name)) m.errors().Add(m.node()[std::string(name)], m.PathOf(name), "must not be empty");
  }
  if (more) more(m);
  m.Finish();
}

}  // namespace

Result<Dialect> ParseDialect(std::string_view file, std::string_view text) {
  Dialect d;
  Status read = cli::ReadDialectFile(file, text, "dms-aai", [&](strict::Map& top) {
    Section(top, "session", {{"mainMenu", &d.session.main_menu}}, [&](strict::Map& m) {
      d.session.frame_seconds = cli::PositiveInt(m, "frameSeconds");
      d.session.max_frame_bytes = static_cast<size_t>(cli::PositiveInt(m, "maxFrameBytes"));
    });
    auto& mn = d.menus;
    Section(top, "menus",
            {{"certificateManagement", &mn.certificate_management},
             {"manageSigned", &mn.manage_signed},
             {"manageSelfSigned", &mn.manage_self_signed},
             {"generateCsr", &mn.generate_csr},
             {"importCertificate", &mn.import_certificate},
             {"generateNewCert", &mn.generate_new_cert},
             {"viewCertChain", &mn.view_cert_chain},
             {"exportKeystore", &mn.export_keystore},
             {"importKeystore", &mn.import_keystore}});
    auto& f = d.fields;
    Section(top, "fields",
            {{"department", &f.department},
             {"organization", &f.organization},
             {"location", &f.location},
             {"state", &f.state},
             {"country", &f.country},
             {"months", &f.months},
             {"server", &f.server},
             {"user", &f.user},
             {"password", &f.password},
             {"pemPath", &f.pem_path},
             {"chainPaths", &f.chain_paths},
             {"passphrase", &f.passphrase},
             {"keystorePath", &f.keystore_path}});
    Section(top, "buttons", {{"ok", &d.buttons.ok}, {"yes", &d.buttons.yes}, {"exit", &d.buttons.exit}});
    auto& s = d.success;
    Section(top, "success",
            {{"csrTransferred", &s.csr_transferred},
             {"certificateImported", &s.certificate_imported},
             {"keystoreExported", &s.keystore_exported},
             {"keystoreImported", &s.keystore_imported},
             {"selfSignedWarning", &s.self_signed_warning}});
    Section(top, "staging",
            {{"csrFile", &d.staging.csr_file},
             {"keystoreFile", &d.staging.keystore_file},
             {"serverWithPort", &d.staging.server_with_port}},
            [&](strict::Map& m) { d.staging.max_csr_bytes = static_cast<size_t>(cli::PositiveInt(m, "maxCsrBytes")); });
  });
  if (!read.ok()) return read;
  return d;
}

const Result<Dialect>& BuiltinDialect() { return cli::ParseEmbeddedOnce<Dialect>(kDialectFile, ParseDialect); }

}  // namespace pkiform::dms
