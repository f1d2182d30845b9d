#include "providers/dms/aai_procedures.h"

namespace pkiform::dms {
namespace {

constexpr std::string_view kBegin = "-----BEGIN CERTIFICATE-----";
constexpr std::string_view kEnd = "-----END CERTIFICATE-----";
constexpr size_t kMaxMessageBoxes = 16;  // a procedure ends with a few; more is a loop

}  // namespace

Status AaiProcedures::Navigate(std::initializer_list<const std::string*> items) {
  auto first = s_.Current();
  if (!first.ok()) return first.status();
  if (first->kind != ScreenKind::kMenu || first->title != d_.session.main_menu)
    return Status::Failed("AAI: expected the main menu " + Quoted(d_.session.main_menu) + " at login, the appliance shows the " +
                          first->Describe());
  for (const std::string* item : items)
    if (Status s = s_.Choose(*item); !s.ok()) return s;
  return Status::Ok();
}

Status AaiProcedures::Outcome(const std::string& procedure, const std::string* success) {
  std::string said;
  bool worked = false;
  for (size_t boxes = 0;; ++boxes) {
    auto screen = s_.Current();
    if (!screen.ok()) return screen.status().WithContext(procedure);
    if (screen->kind != ScreenKind::kMessage) break;
    if (boxes == kMaxMessageBoxes)
      return Status::Failed(procedure + ": the appliance keeps showing message boxes (" + said + ")");
    std::string box;
    for (const auto& line : screen->lines) box += (box.empty() ? "" : " ") + line;
    if (success && !screen->lines.empty() && screen->lines.front().rfind(*success, 0) == 0) worked = true;
    else said += (said.empty() ? "" : "; ") + Quoted(box);
    if (Status s = s_.Press(d_.buttons.ok); !s.ok()) return s.WithContext(procedure);
  }
  if (worked && said.empty()) return Status::Ok();
  if (said.empty()) {
    auto now = s_.Current();
    return Status::Failed(procedure + ": the appliance said nothing and shows the " +
                          (now.ok() ? now->Describe() : now.status().message()));
  }
  return Status::Failed(procedure + ": the appliance says " + said);
}

Result<std::vector<std::string>> AaiProcedures::ViewChain() {
  const std::string& item = d_.menus.view_cert_chain;
  if (Status s = Navigate({&d_.menus.certificate_management, &item}); !s.ok()) return s;
  auto view = s_.Current();
  if (!view.ok()) return view.status();
  if (view->kind != ScreenKind::kText)
    return Status::Failed("AAI: " + item + " shows the " + view->Describe() + " (" +
                          (view->lines.empty() ? std::string("no text") : Quoted(view->lines.front())) + ")");
  std::vector<std::string> pems;
  std::string block;
  bool inside = false;
  for (const auto& line : view->lines) {
    if (line == kBegin) {
      if (inside) return Status::Failed("AAI: " + item + " shows a certificate that does not end");
      inside = true;
      block.clear();
    }
    if (inside) block += line + "\n";
    if (inside && line == kEnd) {
      inside = false;
      pems.push_back(block);
    }
  }
  if (inside) return Status::Failed("AAI: " + item + " shows a certificate that does not end");
  if (Status s = s_.Press(d_.buttons.exit); !s.ok()) return s;
  return pems;
}

Status AaiProcedures::FillSubject(const pki::DistinguishedName& subject, const std::string& months) {
  const auto& f = d_.fields;
  for (const auto& [label, value] : {std::pair{&f.department, &subject.organizationalUnit},
                                     std::pair{&f.organization, &subject.organization},
                                     std::pair{&f.location, &subject.locality}, std::pair{&f.state, &subject.state},
                                     std::pair{&f.country, &subject.country}, std::pair{&f.months, &months}})
    if (Status s = s_.Fill(*label, *value); !s.ok()) return s;
  return s_.Press(d_.buttons.ok);
}

Status AaiProcedures::EnterLogin(const StagingLogin& login) {
  if (!login.password) return Status::InvalidInput("no staging password to type");
  if (Status s = s_.Fill(d_.fields.server, login.server); !s.ok()) return s;
  if (Status s = s_.Fill(d_.fields.user, login.user); !s.ok()) return s;
  if (Status s = s_.Press(d_.buttons.ok); !s.ok()) return s;
  // A refused server or user name is a message box here, not the password form.
  if (auto now = s_.Current(); now.ok() && now->kind == ScreenKind::kMessage)
    return Outcome("the (S)FTP server credentials", nullptr);
  if (Status s = s_.Fill(d_.fields.password, login.password->str()); !s.ok()) return s;
  return s_.Press(d_.buttons.ok);
}

Status AaiProcedures::GenerateCsr(const pki::DistinguishedName& subject, const StagingLogin& login) {
  const std::string& item = d_.menus.generate_csr;
  if (Status s = Navigate({&d_.menus.certificate_management, &d_.menus.manage_signed, &item}); !s.ok()) return s;
  // The months are "not useful in this procedure" (seed): left empty.
  if (Status s = FillSubject(subject, ""); !s.ok()) return s.WithContext(item);
  if (auto now = s_.Current(); now.ok() && now->kind == ScreenKind::kMessage) return Outcome(item, nullptr);
  if (Status s = EnterLogin(login); !s.ok()) return s.WithContext(item);
  return Outcome(item, &d_.success.csr_transferred);
}

Status AaiProcedures::GenerateSelfSigned(const pki::DistinguishedName& subject, int months) {
  const std::string& item = d_.menus.generate_new_cert;
  if (Status s = Navigate({&d_.menus.certificate_management, &d_.menus.manage_self_signed, &item}); !s.ok()) return s;
  if (Status s = FillSubject(subject, std::to_string(months)); !s.ok()) return s.WithContext(item);
  // Rule D15: the appliance ends GENERATE_NEW_CERT with its warning; that is the success.
  return Outcome(item, &d_.success.self_signed_warning);
}

Status AaiProcedures::ImportCertificate(const StagingLogin& login, const std::string& pem_path,
                                        const std::string& chain_paths) {
  const std::string& item = d_.menus.import_certificate;
  if (Status s = Navigate({&d_.menus.certificate_management, &d_.menus.manage_signed, &item}); !s.ok()) return s;
  // "Choose Yes at the prompt to overwrite your active identity certificates" (seed).
  if (Status s = s_.Press(d_.buttons.yes); !s.ok()) return s.WithContext(item);
  if (Status s = EnterLogin(login); !s.ok()) return s.WithContext(item);
  if (Status s = s_.Fill(d_.fields.pem_path, pem_path); !s.ok()) return s.WithContext(item);
  if (Status s = s_.Fill(d_.fields.chain_paths, chain_paths); !s.ok()) return s.WithContext(item);
  if (Status s = s_.Press(d_.buttons.ok); !s.ok()) return s.WithContext(item);
  return Outcome(item, &d_.success.certificate_imported);
}

Status AaiProcedures::Keystore(const std::string& item, const pki::SecretString& passphrase, const StagingLogin& login,
                               const std::string& path, const std::string& success) {
  if (Status s = Navigate({&d_.menus.certificate_management, &item}); !s.ok()) return s;
  if (Status s = s_.Fill(d_.fields.passphrase, passphrase.str()); !s.ok()) return s.WithContext(item);
  if (Status s = s_.Press(d_.buttons.ok); !s.ok()) return s.WithContext(item);
  if (auto now = s_.Current(); now.ok() && now->kind == ScreenKind::kMessage) return Outcome(item, nullptr);
  if (Status s = EnterLogin(login); !s.ok()) return s.WithContext(item);
  if (Status s = s_.Fill(d_.fields.keystore_path, path); !s.ok()) return s.WithContext(item);
  if (Status s = s_.Press(d_.buttons.ok); !s.ok()) return s.WithContext(item);
  return Outcome(item, &success);
}

Status AaiProcedures::ExportKeystore(const pki::SecretString& passphrase, const StagingLogin& login,
                                     const std::string& path) {
  // Rules D9 and D14: the backup an import needs first, through the staging server.
  return Keystore(d_.menus.export_keystore, passphrase, login, path, d_.success.keystore_exported);
}

Status AaiProcedures::ImportKeystore(const pki::SecretString& passphrase, const StagingLogin& login,
                                     const std::string& path) {
  return Keystore(d_.menus.import_keystore, passphrase, login, path, d_.success.keystore_imported);
}

}  // namespace pkiform::dms
