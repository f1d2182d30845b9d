// OpensshProvider: InstallIdentity, RestoreIdentity and DiscardBackup.
//
// IdentityBackup::saved holds, for each file InstallIdentity replaced, either
// `<file>.pkiform-backup` (the file existed and was copied there) or `<file>`
// itself (it did not exist: restoring removes it). Files InstallIdentity did
// not touch (the key, when it stays) are not listed.
#include <algorithm>

#include "providers/openssh/identity_scripts.h"
#include "providers/openssh/openssh_provider.h"
#include "providers/openssh/pem_text.h"
#include "providers/openssh/remote_script.h"
#include "providers/openssh/slot_contents.h"
#include "providers/openssh/script_output.h"
#include "providers/ssh/remote_files.h"
#include "reconciler/pki/certificate.h"
#include "reconciler/pki/key.h"

namespace pkiform::openssh {
namespace {

struct Upload {
  std::string step;
  std::string path;
  const std::string* data;
  int mode;
};

// Splits IdentityBackup::saved against the slot's files; InvalidInput for an
// entry that is not one of them (a backup handle from elsewhere is never acted on).
Status SplitSaved(const SlotFileSet& files, const std::vector<std::string>& saved,
                  std::vector<std::pair<std::string, std::string>>& restore, std::vector<std::string>& created) {
  const std::vector<std::string> all = files.All();
  for (const auto& entry : saved) {
    bool known = false;
    for (const auto& f : all) {
      if (entry == BackupPathOf(f)) {
        restore.emplace_back(entry, f);
        known = true;
      } else if (entry == f) {
        created.push_back(f);
        known = true;
      }
      if (known) break;
    }
    if (!known) return Status::InvalidInput("'" + entry + "' is not a backup of this slot's files");
  }
  return Status::Ok();
}

}  // namespace

Result<IdentityBackup> OpensshProvider::InstallIdentity(const IdentityInstall& install) {
  const std::string& name = install.slot;
  auto slot = SlotNamed(name, "install identity");
  if (!slot.ok()) return slot.status();
  const SlotFileSet& files = slot->files;

  auto leaf = pki::Certificate::FromPem(install.certificate_pem);
  if (!leaf.ok()) return Fail(name, "install identity: read the certificate", leaf.status());
  std::vector<pki::Certificate> issuer_certificates;
  for (const auto& pem : install.chain_pems) {
    auto c = pki::Certificate::FromPem(pem);
    if (!c.ok()) return Fail(name, "install identity: read the chain", c.status());
    issuer_certificates.push_back(std::move(c).value());
  }
  // What goes in which file, the root never among them: slot_contents.h.
  const SlotContents contents = ContentsOf(files, *leaf, issuer_certificates);

  PrepareRequest prepare;
  prepare.files = files;
  prepare.certificate_key_digest = leaf->PublicKeyDigest();
  if (install.private_key_pem && install.use_pending_key)
    return Status::InvalidInput(Where(name, "install identity") + ": both a generated key and the pending key given");
  pki::SecretString key;
  if (install.private_key_pem || install.use_pending_key) {
    if (files.private_key.empty())
      return Status::InvalidInput(Where(name, "install identity") + ": the slot names no privateKey file");
    prepare.key = install.use_pending_key ? KeySource::kPending : KeySource::kUpload;
  }
  if (install.private_key_pem) {
    auto parsed = pki::PrivateKey::FromPem(install.private_key_pem->view(), nullptr);
    if (!parsed.ok()) return Fail(name, "install identity: read the private key", parsed.status());
    if (parsed->PublicKeyDigest() != prepare.certificate_key_digest)
      return Status::InvalidInput(Where(name, "install identity") +
                                  ": the generated private key does not belong to the certificate");
    key = pki::SecretString(WithOneTrailingNewline(install.private_key_pem->view()));
  }

  prepare.replaced.push_back(files.certificate);
  if (!files.chain.empty()) prepare.replaced.push_back(files.chain);
  if (!files.fullchain.empty()) prepare.replaced.push_back(files.fullchain);
  if (prepare.key != KeySource::kKeep) prepare.replaced.push_back(files.private_key);

  const std::string prepareStep = "install identity: back up the current files";
  auto run = RunScript(session_, BuildPrepareScript(prepare));
  if (!run.ok()) return Fail(name, prepareStep, run.status());
  auto outcome = ReadPrepareOutput(prepare, run->exitStatus, run->out, run->err);
  if (!outcome.ok()) return Fail(name, prepareStep, outcome.status());
  if (!outcome->refusal.empty())
    return Status::Failed(Where(name, "install identity") + ": " + RefusalMessage(prepare, outcome->refusal));

  IdentityBackup backup;
  backup.slot = name;
  std::vector<std::pair<std::string, std::string>> restore;
  std::vector<std::string> created;
  for (size_t i = 0; i < prepare.replaced.size(); ++i) {
    const std::string& f = prepare.replaced[i];
    if (outcome->existed[i]) {
      backup.saved.push_back(BackupPathOf(f));
      restore.emplace_back(BackupPathOf(f), f);
    } else {
      backup.saved.push_back(f);
      created.push_back(f);
    }
  }
  backup.had_identity = outcome->existed[0];

  std::vector<Upload> uploads;
  uploads.push_back({"install certificate", files.certificate, &contents.certificate, files.certificate_mode});
  if (!files.chain.empty())
    uploads.push_back({"install chain", files.chain, &contents.chain, files.certificate_mode});
  if (!files.fullchain.empty())
    uploads.push_back({"install fullchain", files.fullchain, &contents.fullchain, files.certificate_mode});
  if (prepare.key == KeySource::kUpload)
    uploads.push_back({"install private key", files.private_key, &key.str(), kPrivateKeyMode});

  auto transport = Files(name, "install identity");
  Status failed = transport.status();
  std::string failedStep = "install identity";
  if (transport.ok()) {
    for (const auto& u : uploads) {
      failed = (*transport)->Upload(u.path, *u.data, u.mode, outcome->uid, outcome->gid);
      if (!failed.ok()) {
        failedStep = u.step;
        break;
      }
    }
  }
  if (failed.ok()) return backup;

  // Half-installed: put the previous files back before reporting.
  Status putBack = PutBack(restore, created);
  std::string message = failed.WithContext(Where(name, failedStep)).message();
  message += putBack.ok() ? "; the previous files were put back" : "; putting the previous files back failed too: " +
                                                                        putBack.message();
  return Status::Failed(message);
}

Status OpensshProvider::PutBack(const std::vector<std::pair<std::string, std::string>>& restore,
                                const std::vector<std::string>& created) {
  auto run = RunScript(session_, BuildRestoreScript(restore, created));
  if (!run.ok()) return run.status();
  if (run->exitStatus != 0)
    return Status::Failed("exit status " + std::to_string(run->exitStatus) + ": " + StderrTail(run->err));
  auto sections = ParseScriptOutput(run->out);
  if (!sections.ok()) return sections.status();
  std::vector<std::string> problems;
  size_t reported = 0;
  for (const auto& s : *sections) {
    if (s.kind == "restored" && s.index >= 0 && static_cast<size_t>(s.index) < restore.size()) {
      ++reported;
      if (s.state == "missing") problems.push_back("backup " + restore[s.index].first + " is missing");
      if (s.state == "failed") problems.push_back("cannot move " + restore[s.index].first + " back");
    } else if (s.kind == "removed" && s.index >= 0 && static_cast<size_t>(s.index) < created.size()) {
      ++reported;
      if (s.state != "ok") problems.push_back("cannot remove " + created[s.index]);
    }
  }
  if (reported != restore.size() + created.size()) problems.push_back("the host did not report on every file");
  if (problems.empty()) return Status::Ok();
  std::string message;
  for (const auto& p : problems) message += (message.empty() ? "" : "; ") + p;
  return Status::Failed(message);
}

Result<OpensshProvider::SavedFiles> OpensshProvider::SavedFilesOf(const IdentityBackup& backup,
                                                                 const std::string& step) const {
  auto slot = SlotNamed(backup.slot, step);
  if (!slot.ok()) return slot.status();
  SavedFiles saved;
  Status split = SplitSaved(slot->files, backup.saved, saved.restore, saved.created);
  if (!split.ok()) return Fail(backup.slot, step, split);
  return saved;
}

Status OpensshProvider::RestoreIdentity(const IdentityBackup& backup) {
  const std::string step = "restore identity";
  auto saved = SavedFilesOf(backup, step);
  if (!saved.ok()) return saved.status();
  return Fail(backup.slot, step, PutBack(saved->restore, saved->created));
}

Status OpensshProvider::DiscardBackup(const IdentityBackup& backup) {
  const std::string step = "discard backup";
  auto saved = SavedFilesOf(backup, step);
  if (!saved.ok()) return saved.status();
  if (saved->restore.empty()) return Status::Ok();
  std::vector<std::string> backups;
  for (const auto& r : saved->restore) backups.push_back(r.first);
  auto run = RunScript(session_, BuildDiscardScript(backups));
  if (!run.ok()) return Fail(backup.slot, step, run.status());
  if (run->exitStatus != 0) {
    return Status::Failed(Where(backup.slot, step) + ": exit status " + std::to_string(run->exitStatus) + ": " +
                          StderrTail(run->err));
  }
  return Status::Ok();
}

}  // namespace pkiform::openssh
