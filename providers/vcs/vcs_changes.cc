// VcsProvider: the changes (the seed's buttons as the admin shell's xCommands, their files
// staged through the root login) and the settings writes.
#include <algorithm>

#include "providers/vcs/vcs_provider.h"
#include "providers/vcs/vcs_settings.h"
#include "reconciler/pki/certificate.h"
#include "reconciler/pki/csr.h"
#include "reconciler/pki/digest.h"
#include "reconciler/util/excerpt.h"

namespace pkiform::vcs {
namespace {

std::string Join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : separator) + i;
  return out;
}

// "AB:CD:..." or "abcd...": 64 lower-case hex digits, as the CA Delete command takes them.
std::string PlainFingerprint(const std::string& fingerprint) {
  std::string out;
  for (char c : fingerprint)
    if (c != ':') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

Result<CommandResult> VcsProvider::StagedCommand(const std::string& subject, const std::string& step,
                                                 const std::string& placeholder, const std::string& bytes,
                                                 const pki::SecretString* key, const XCommand& command) {
  auto root = Root(subject, step);
  if (!root.ok()) return root.status();
  RootShell& r = **root;
  if (Status s = r.MakeStagingDir(); !s.ok()) return Fail(subject, step, s);
  std::map<std::string, std::string> values;
  std::vector<std::string> names;
  auto cleanup = [&](Status outcome) -> Status {
    // A staged key must not stay on the peer: removal is tried even after a refusal.
    Status removed = r.Remove(names);
    if (outcome.ok() && !removed.ok()) return Fail(subject, step, removed);
    return outcome;
  };
  const std::string name = "pkiform-" + placeholder + ".pem";
  auto path = r.Stage(name, bytes);
  names.push_back(name);
  if (!path.ok()) return cleanup(Fail(subject, step, path.status()));
  values[placeholder] = *path;
  if (key) {
    auto key_path = r.StageKey("pkiform-keyFile.pem", *key);  // V8 (unencrypted), V15 (one final newline)
    names.push_back("pkiform-keyFile.pem");
    if (!key_path.ok()) return cleanup(Fail(subject, step, key_path.status()));
    values["keyFile"] = *key_path;
  }
  auto admin = Admin(subject, step);
  if (!admin.ok()) return cleanup(admin.status());
  auto result = (*admin)->Command(command, values);
  if (!result.ok()) return cleanup(Fail(subject, step, result.status()));
  if (Status s = cleanup(Status::Ok()); !s.ok()) return s;
  return result;
}

Result<std::string> VcsProvider::GenerateCsr(const CsrOnPeer& request) {
  const std::string step = "generate a CSR";
  if (Status s = CheckSlot(request.slot, step); !s.ok()) return s;
  const pki::CsrRequest& csr = request.request;
  if (!csr.ipAddresses.empty())
    return Status::Unsupported(Where(request.slot, step) + ": the VCS's CSR carries DNS names only, not the IP "
                               "addresses the manifest asks for");
  // V14: the seed's CSR makes RSA keys; KeyLength takes 2048, 3072 or 4096.
  if (request.key.algorithm != pki::KeySpec::kRsa)
    return Status::Unsupported(Where(request.slot, step) + ": a VCS makes RSA keys only").WithRule("V14");
  auto files = Files(request.slot, step);
  if (!files.ok()) return files.status();
  auto admin = Admin(request.slot, step);
  if (!admin.ok()) return admin.status();
  // rule V4: one request at a time; a pending one is discarded first (the seed's Discard CSR).
  if ((*files)->pending_csr) {
    auto discarded = (*admin)->Command(dialect_->commands.csr_discard);
    if (!discarded.ok()) return Fail(request.slot, step, discarded.status());
    (*files)->pending_csr.reset();
  }
  const pki::DistinguishedName& dn = csr.subject;
  auto made = (*admin)->Command(dialect_->commands.csr_generate,
                                {{"commonName", dn.commonName},
                                 {"alternativeNames", Join(csr.dnsNames, ",")},
                                 {"organization", dn.organization},
                                 {"organizationalUnit", dn.organizationalUnit},
                                 {"locality", dn.locality},
                                 {"state", dn.state},
                                 {"country", dn.country},
                                 {"keyLength", std::to_string(request.key.bits)}});
  if (!made.ok()) return Fail(request.slot, step, made.status());
  auto reread = Files(request.slot, step, /*fresh=*/true);
  if (!reread.ok()) return reread.status();
  if (!(*reread)->pending_csr)
    return Status::Failed(Where(request.slot, step) + ": the VCS answered OK but shows no pending CSR");
  auto parsed = pki::Csr::FromPem(*(*reread)->pending_csr);
  if (!parsed.ok()) return Fail(request.slot, step, parsed.status().WithContext("the pending CSR"));
  return parsed->ToPem();
}

Result<IdentityBackup> VcsProvider::InstallIdentity(const IdentityInstall& install) {
  const std::string step = "upload the server certificate";
  const std::string& slot = install.slot;
  if (Status s = CheckSlot(slot, step); !s.ok()) return s;
  auto certificate = pki::Certificate::FromPem(install.certificate_pem);
  if (!certificate.ok()) return Fail(slot, step, certificate.status());
  auto files = Files(slot, step);
  if (!files.ok()) return files.status();
  CertFiles& f = **files;
  auto admin = Admin(slot, step);
  if (!admin.ok()) return admin.status();
  const XCommand* command = &dialect_->commands.server_upload;
  if (install.private_key_pem) {
    // rule V8: no key upload while a CSR is in progress; the manifest's key replaces it.
    if (f.pending_csr) {
      auto discarded = (*admin)->Command(dialect_->commands.csr_discard);
      if (!discarded.ok()) return Fail(slot, step, discarded.status().WithRule("V8"));
      f.pending_csr.reset();
    }
    command = &dialect_->commands.server_upload_with_key;
  } else {
    // rule V5: the certificate must answer the CSR made on this peer (its key stays here).
    if (!f.pending_csr)
      return Status::Failed(Where(slot, step) + ": the peer has no pending CSR; the certificate can only answer "
                            "one made on it")
          .WithRule("V4");
    auto pending = pki::Csr::FromPem(*f.pending_csr);
    if (!pending.ok()) return Fail(slot, step, pending.status().WithContext("the pending CSR"));
    if (pending->PublicKeyDigest() != certificate->PublicKeyDigest())
      return Status::Failed(Where(slot, step) + ": the certificate does not answer this peer's pending CSR (another "
                            "key: each peer has its own)")
          .WithRule("V5");
  }
  auto uploaded = StagedCommand(slot, step, "certificateFile", install.certificate_pem, install.private_key_pem,
                                *command);
  files_.reset();  // the certificate, the CSR and the key changed
  if (!uploaded.ok()) return uploaded.status();
  IdentityBackup backup;
  backup.slot = slot;
  backup.had_identity = true;  // nothing saved: the catalogue's rollback is undocumented
  return backup;
}

Status VcsProvider::AddTrust(const std::string& store, const std::string& certificate_pem) {
  const std::string step = "append a CA", subject = "trust store " + store;
  if (Status s = CheckStore(store, step); !s.ok()) return s;
  auto ca = pki::Certificate::FromPem(certificate_pem);
  if (!ca.ok()) return Fail(subject, step, ca.status());
  auto files = Files(subject, step);
  if (!files.ok()) return files.status();
  std::vector<pki::Certificate>& list = (*files)->ca_list;
  const std::string fingerprint = ca->FingerprintSha256();
  if (std::any_of(list.begin(), list.end(), [&](const pki::Certificate& c) { return c.FingerprintSha256() == fingerprint; }))
    return Status::Ok();
  // rule V9: the VCS refuses a CA whose issuer and subject an entry already has; that entry
  // is the one this CA replaces, so it is deleted first, as the seed tells administrators.
  for (auto it = list.begin(); it != list.end();) {
    if (it->Subject().ToString() == ca->Subject().ToString() && it->Issuer().ToString() == ca->Issuer().ToString()) {
      auto admin = Admin(subject, step);
      if (!admin.ok()) return admin.status();
      auto deleted = (*admin)->Command(dialect_->commands.ca_delete,
                                       {{"fingerprint", PlainFingerprint(it->FingerprintSha256())}});
      if (!deleted.ok()) return Fail(subject, step, deleted.status().WithRule("V9"));
      it = list.erase(it);
    } else {
      ++it;
    }
  }
  auto appended = StagedCommand(subject, step, "file", certificate_pem, nullptr, dialect_->commands.ca_append);
  if (!appended.ok()) {
    files_.reset();
    return appended.status();
  }
  list.push_back(std::move(ca).value());
  return Status::Ok();
}

Status VcsProvider::RemoveTrust(const std::string& store, const std::string& fingerprint_sha256) {
  const std::string step = "delete a CA", subject = "trust store " + store;
  if (Status s = CheckStore(store, step); !s.ok()) return s;
  const std::string plain = PlainFingerprint(fingerprint_sha256);
  auto files = Files(subject, step);
  if (!files.ok()) return files.status();
  const auto& list = (*files)->ca_list;
  // Gone already: AddTrust deleted it to append its successor of the same issuer and subject (V9).
  if (std::none_of(list.begin(), list.end(),
                   [&](const pki::Certificate& c) { return PlainFingerprint(c.FingerprintSha256()) == plain; }))
    return Status::Ok();
  auto admin = Admin(subject, step);
  if (!admin.ok()) return admin.status();
  auto deleted = (*admin)->Command(dialect_->commands.ca_delete, {{"fingerprint", plain}});
  if (!deleted.ok()) {
    files_.reset();
    return Fail(subject, step, deleted.status());
  }
  if (files_) {
    auto& list = files_->ca_list;
    list.erase(std::remove_if(list.begin(), list.end(),
                              [&](const pki::Certificate& c) { return PlainFingerprint(c.FingerprintSha256()) == plain; }),
               list.end());
  }
  return Status::Ok();
}

Status VcsProvider::InstallCrl(const std::string& location, const std::string& crl_pem) {
  const std::string step = "upload the CRL", subject = "CRL " + location;
  if (Status s = Ready(subject, step); !s.ok()) return s;
  if (!catalogue_->crl_file || catalogue_->crl_file->location != location)
    return Status::NotFound(Where(subject, step) + ": a VCS keeps one uploaded CRL, \"" +
                            (catalogue_->crl_file ? catalogue_->crl_file->location : std::string()) + "\"");
  // rule V11: the upload replaces the previous CRL, so the file holds every CRL wanted.
  auto uploaded = StagedCommand(subject, step, "file", crl_pem, nullptr, dialect_->commands.crl_upload);
  if (!uploaded.ok()) {
    files_.reset();
    return uploaded.status().WithRule("V11");
  }
  if (files_) files_->crl = crl_pem;
  return Status::Ok();
}

Status VcsProvider::RemoveCrl(const std::string& location) {
  const std::string step = "remove the CRL", subject = "CRL " + location;
  if (Status s = Ready(subject, step); !s.ok()) return s;
  if (!catalogue_->crl_file || catalogue_->crl_file->location != location)
    return Status::NotFound(Where(subject, step) + ": a VCS keeps one uploaded CRL, \"" +
                            (catalogue_->crl_file ? catalogue_->crl_file->location : std::string()) + "\"");
  auto admin = Admin(subject, step);
  if (!admin.ok()) return admin.status();
  // rule V11: "Remove revocation list".
  auto removed = (*admin)->Command(dialect_->commands.crl_remove);
  if (!removed.ok()) {
    files_.reset();
    return Fail(subject, step, removed.status().WithRule("V11"));
  }
  if (files_) files_->crl.reset();
  return Status::Ok();
}

Status VcsProvider::ApplySetting(const std::string& name, const std::string& value) {
  const std::string step = "set " + name, subject = "setting " + name;
  if (Status s = Ready(subject, step); !s.ok()) return s;
  auto write = SettingToWrite(name, value, *dialect_);
  if (!write.ok()) return Fail(subject, step, write.status());
  auto admin = Admin(subject, step);
  if (!admin.ok()) return admin.status();
  Status s = (*admin)->Configure(write->path, write->leaf, write->value, write->quoted);
  if (!s.ok()) return Fail(subject, step, s);
  return Status::Ok();
}

}  // namespace pkiform::vcs
