// DmsProvider: sessions, staging, Observe and the identity steps (dms_provider.h).
#include "providers/dms/dms_provider.h"

#include "providers/cli/dialect_text.h"
#include "providers/dms/aai_session.h"
#include "providers/dms/import_files.h"
#include "providers/platform_data.h"
#include "providers/ssh/auth.h"
#include "providers/ssh/sftp.h"
#include "providers/ssh/shell.h"
#include "reconciler/pki/certificate.h"
#include "reconciler/pki/csr.h"
#include "reconciler/util/excerpt.h"

namespace pkiform::dms {
namespace {

constexpr char kSlot[] = "identity";
constexpr int kFolderMode = 0700;  // the staging folder holds the keystore backup
constexpr int kFileMode = 0644;

// `cause`, and what a clean-up after it could not do (a staged file left behind is worth saying).
Status AndCleanUp(const Status& cause, const Status& cleanup) {
  return cleanup.ok() ? cause : Status::Failed(cause.message() + " (and the clean-up failed: " + cleanup.message() + ")");
}

// A Dialect loader shaped for LoadPlatformData.
const Result<Dialect>& Builtin() { return BuiltinDialect(); }

}  // namespace

class DmsProvider::Aai {
 public:
  Aai(std::unique_ptr<ssh::InteractiveShell> shell, const Dialect& d)
      : shell_(std::move(shell)),
        session_(*shell_, AaiLimits{std::chrono::seconds(d.session.frame_seconds), d.session.max_frame_bytes}),
        procedures_(session_, d) {}
  AaiProcedures& procedures() { return procedures_; }

 private:
  std::unique_ptr<ssh::InteractiveShell> shell_;
  AaiSession session_;
  AaiProcedures procedures_;
};

DmsProvider::DmsProvider(ssh::SshSession& admin_login, const Cluster& cluster, const Peer& peer)
    : admin_login_(admin_login), cluster_(cluster), peer_(peer) {}

DmsProvider::~DmsProvider() = default;

std::string DmsProvider::Where(const std::string& subject, const std::string& step) const {
  return StepWhere(subject, peer_.fqdn, step);
}

Status DmsProvider::Fail(const std::string& subject, const std::string& step, const Status& cause) const {
  return cause.WithContext(Where(subject, step));
}

Status DmsProvider::Ready(const std::string& subject, const std::string& step) {
  Status loaded = LoadPlatformData(Builtin(), "dms", dialect_, catalogue_);
  return loaded.ok() ? loaded : Fail(subject, step, loaded);
}

Status DmsProvider::CheckSlot(const std::string& slot, const std::string& step) {
  if (Status s = Ready(slot, step); !s.ok()) return s;
  if (!catalogue_->FindSlot(slot))
    return Status::NotFound(Where(slot, step) + ": a DMS appliance has one identity (slot \"" + std::string(kSlot) +
                            "\")");
  return Status::Ok();
}

Result<std::unique_ptr<DmsProvider::Aai>> DmsProvider::OpenAai(const std::string& subject, const std::string& step) {
  if (Status s = Ready(subject, step); !s.ok()) return s;
  auto shell = ssh::InteractiveShell::Open(admin_login_);
  if (!shell.ok()) return Fail(subject, step, shell.status().WithContext("the AAI login"));
  ++sessions_opened_;
  return std::make_unique<Aai>(std::move(shell).value(), *dialect_);
}

Result<StagingLogin> DmsProvider::Login(const std::string& subject, const std::string& step) {
  // The dialect spells the server field; DiscardBackup may be this provider's first step.
  if (Status s = Ready(subject, step); !s.ok()) return s;
  if (!cluster_.staging)  // validate requires it (D16); a plan file made by hand may lack it
    return Status::InvalidInput(Where(subject, step) + ": cluster " + cluster_.name +
                                " names no staging server (spec.staging): a DMS moves every file through one [rule:D16]");
  const StagingServer& st = *cluster_.staging;
  if (!staging_password_) {
    auto password = pki::ReadPassphrase(st.password_env, st.password_file ? st.password_file->path : "");
    if (!password.ok()) return Fail(subject, step, password.status().WithContext("the staging password"));
    staging_password_ = std::move(password).value();
  }
  StagingLogin login;
  login.user = st.user;
  login.password = &*staging_password_;
  if (st.port == 22) {
    login.server = st.host;
  } else {
    auto server = cli::Fill(dialect_->staging.server_with_port, {{"host", st.host}, {"port", std::to_string(st.port)}});
    if (!server.ok()) return Fail(subject, step, server.status());
    login.server = *server;
  }
  return login;
}

Result<pki::SecretString> DmsProvider::KeystorePassphrase(const std::string& subject, const std::string& step) {
  const StagingServer& st = *cluster_.staging;
  auto passphrase = pki::ReadPassphrase(st.keystore_passphrase_env,
                                        st.keystore_passphrase_file ? st.keystore_passphrase_file->path : "");
  if (!passphrase.ok()) return Fail(subject, step, passphrase.status().WithContext("the keystore passphrase [rule:D14]"));
  return passphrase;
}

Result<ssh::SftpClient*> DmsProvider::Staging(const std::string& subject, const std::string& step) {
  if (auto login = Login(subject, step); !login.ok()) return login.status();
  if (!staging_login_) {
    const StagingServer& st = *cluster_.staging;
    ssh::SshTarget t;
    t.host = st.host;
    t.port = st.port;
    t.hostKeyAlias = st.host;
    t.user = st.user;
    // The same password the appliance types (D16: no key, the forms take none).
    t.passwordEnv = st.password_env;
    if (st.password_file) t.passwordFile = st.password_file->path;
    t.knownHostsFile = st.known_hosts ? st.known_hosts->path : admin_login_.target().knownHostsFile;
    t.acceptNewHostKeys = admin_login_.target().acceptNewHostKeys;
    t.timeout = admin_login_.target().timeout;
    auto session = ssh::SshSession::Connect(t);
    if (!session.ok()) return Fail(subject, step, session.status().WithContext("the staging server " + st.host));
    staging_login_ = std::move(session).value();
  }
  auto sftp = staging_login_->Sftp();
  if (!sftp.ok()) return Fail(subject, step, sftp.status().WithContext("SFTP on the staging server"));
  return *sftp;
}

std::string DmsProvider::FolderPath() const {
  std::string base = cluster_.staging ? cluster_.staging->path : "";
  while (base.size() > 1 && base.back() == '/') base.pop_back();
  return (base == "/" ? "" : base) + "/" + peer_.fqdn;
}

std::string DmsProvider::PendingCsrPath() const { return FolderPath() + "/" + dialect_->staging.pending_csr_file; }

Result<std::string> DmsProvider::PeerFolder(const std::string& subject, const std::string& step) {
  // Made once per provider: MakeDirectory of an existing folder costs two SFTP round trips.
  if (folder_made_) return FolderPath();
  auto sftp = Staging(subject, step);
  if (!sftp.ok()) return sftp.status();
  const std::string folder = FolderPath();
  if (Status s = (*sftp)->MakeDirectory(folder, kFolderMode); !s.ok()) return Fail(subject, step, s);
  folder_made_ = true;
  return folder;
}

Result<std::optional<std::string>> DmsProvider::PendingCsr(const std::string& subject, const std::string& step) {
  auto sftp = Staging(subject, step);
  if (!sftp.ok()) return sftp.status();
  (*sftp)->SetDownloadLimit(dialect_->staging.max_csr_bytes);
  auto pem = (*sftp)->Download(PendingCsrPath());
  if (!pem.ok() && pem.status().code() == Status::Code::kNotFound) return std::optional<std::string>();
  if (!pem.ok()) return Fail(subject, step, pem.status());
  auto csr = pki::Csr::FromPem(*pem);
  if (!csr.ok()) return Fail(subject, step, csr.status().WithContext(PendingCsrPath()));
  return std::optional<std::string>(csr->ToPem());
}

Result<std::vector<std::string>> DmsProvider::ViewChain(const std::string& subject, const std::string& step) {
  auto aai = OpenAai(subject, step);
  if (!aai.ok()) return aai.status();
  auto pems = (*aai)->procedures().ViewChain();
  if (!pems.ok()) return Fail(subject, step, pems.status());
  return pems;
}

Result<Actual> DmsProvider::Observe() {
  const std::string subject = "peer", step = "observe";
  auto pems = ViewChain(subject, step);
  if (!pems.ok()) return pems.status();
  Actual actual;
  actual.cluster = cluster_.name;
  actual.peer = peer_.fqdn;
  ObservedSlot slot;
  slot.slot = kSlot;
  if (!pems->empty()) {
    auto identity = pki::Certificate::FromPem(pems->front());
    if (!identity.ok()) return Fail(subject, step, identity.status().WithContext("VIEW_CERT_CHAIN's identity"));
    slot.certificate_pem = identity->ToPem();
    // The keystore holds the identity with its own key (the appliance refuses any other,
    // D10), so the certificate's key is the key on the appliance; the key itself is never read.
    slot.key_public_digest = identity->PublicKeyDigest();
    for (size_t i = 1; i < pems->size(); ++i) {
      auto ca = pki::Certificate::FromPem((*pems)[i]);
      if (!ca.ok()) return Fail(subject, step, ca.status().WithContext("VIEW_CERT_CHAIN's CA " + std::to_string(i)));
      slot.chain_pems.push_back(ca->ToPem());
    }
  }
  // The AAI shows no CSR: the newest one is the copy GenerateCsr kept on staging (an
  // external CA's answer is matched against it).
  auto pending = PendingCsr(subject, step);
  if (!pending.ok()) return pending.status();
  slot.pending_csr_pem = std::move(pending).value();
  actual.slots.push_back(std::move(slot));
  return actual;
}

Result<std::string> DmsProvider::GenerateCsr(const CsrOnPeer& request) {
  const std::string step = "generate a CSR";
  if (Status s = CheckSlot(request.slot, step); !s.ok()) return s;
  if (Status s = CheckCommonName(request.slot, step, request.request.subject); !s.ok()) return s;
  auto login = Login(request.slot, step);
  if (!login.ok()) return login.status();
  auto sftp = Staging(request.slot, step);
  if (!sftp.ok()) return sftp.status();
  auto csr_file = cli::Fill(dialect_->staging.csr_file, {{"fqdn", peer_.fqdn}});
  if (!csr_file.ok()) return Fail(request.slot, step, csr_file.status());
  // GENERATE_CSR delivers <fqdn>.csr to the staging login's home: an old one must not pass
  // for the new one if the delivery fails.
  if (Status s = (*sftp)->Remove(*csr_file); !s.ok()) return Fail(request.slot, step, s);
  auto aai = OpenAai(request.slot, step);
  if (!aai.ok()) return aai.status();
  if (Status s = (*aai)->procedures().GenerateCsr(request.request.subject, *login); !s.ok())
    return Fail(request.slot, step, s);
  (*sftp)->SetDownloadLimit(dialect_->staging.max_csr_bytes);
  auto pem = (*sftp)->Download(*csr_file);
  Status removed = (*sftp)->Remove(*csr_file);
  if (!pem.ok()) return Fail(request.slot, step, pem.status().WithContext("collecting the CSR from staging [rule:D16]"));
  if (!removed.ok()) return Fail(request.slot, step, removed);
  auto csr = pki::Csr::FromPem(*pem);
  if (!csr.ok()) return Fail(request.slot, step, csr.status().WithContext("the CSR collected from staging"));
  if (csr->Subject().commonName != peer_.fqdn)
    return Status::Failed(Where(request.slot, step) + ": the CSR collected from staging is for " +
                          Excerpt(csr->Subject().commonName) + ", not " + peer_.fqdn);
  // Kept in the peer's folder as the newest CSR, which Observe reports (the AAI shows none).
  auto folder = PeerFolder(request.slot, step);
  if (!folder.ok()) return folder.status();
  if (Status s = (*sftp)->Upload(PendingCsrPath(), csr->ToPem(), kFileMode); !s.ok()) return Fail(request.slot, step, s);
  return csr->ToPem();
}

Status DmsProvider::CheckCommonName(const std::string& slot, const std::string& step,
                                    const pki::DistinguishedName& subject) const {
  // The forms have no CN: the appliance puts its FQDN there (docs, "Forms and prompts").
  if (!subject.commonName.empty() && subject.commonName != peer_.fqdn)
    return Status::InvalidInput(Where(slot, step) + ": the subject's CN " + Excerpt(subject.commonName) +
                                " is not the appliance's FQDN, which is the only CN it puts in a certificate "
                                "[rule:D10]");
  return Status::Ok();
}

Result<std::string> DmsProvider::SelfSignPending(const SelfSignOnPeer& request) {
  const std::string step = "make a self-signed identity";
  if (Status s = CheckSlot(request.slot, step); !s.ok()) return s;
  if (Status s = CheckCommonName(request.slot, step, request.request.subject); !s.ok()) return s;
  // Rule D8: "Months Before Expiration", whole months from the catalogue's range.
  const auto& limits = catalogue_->limits;
  if (!request.months || *request.months < limits.self_signed_validity_min ||
      *request.months > limits.self_signed_validity_max)
    return Status::InvalidInput(Where(request.slot, step) + ": a self-signed DMS identity lasts whole months, " +
                                std::to_string(limits.self_signed_validity_min) + " to " +
                                std::to_string(limits.self_signed_validity_max) + ": set duration in months, e.g. 12mo [rule:D8]");
  // GENERATE_NEW_CERT replaces the identity at once, as an import does: back up first (D9).
  auto backup = Backup(request.slot, step);
  if (!backup.ok()) return backup.status();
  auto aai = OpenAai(request.slot, step);
  Status made = aai.ok() ? (*aai)->procedures().GenerateSelfSigned(request.request.subject, *request.months)
                         : aai.status();
  if (!made.ok()) return Fail(request.slot, step, AndCleanUp(made, DiscardBackup(*backup)));
  // The appliance installed it; what it shows is what the executor checks and verifies. From
  // here on the identity has changed: the backup goes with it to InstallIdentity.
  auto pems = ViewChain(request.slot, step);
  if (!pems.ok()) return pems.status();
  if (pems->empty()) return Status::Failed(Where(request.slot, step) + ": VIEW_CERT_CHAIN shows no identity");
  auto cert = pki::Certificate::FromPem(pems->front());
  if (!cert.ok()) return Fail(request.slot, step, cert.status().WithContext("VIEW_CERT_CHAIN's identity"));
  self_signed_ = SelfSigned{cert->ToPem(), std::move(backup).value()};
  return self_signed_->pem;
}

Result<IdentityBackup> DmsProvider::Backup(const std::string& slot, const std::string& step) {
  auto login = Login(slot, step);
  if (!login.ok()) return login.status();
  auto passphrase = KeystorePassphrase(slot, step);
  if (!passphrase.ok()) return passphrase.status();
  auto folder = PeerFolder(slot, step);
  if (!folder.ok()) return folder.status();
  const std::string keystore = *folder + "/" + dialect_->staging.keystore_file;
  auto sftp = Staging(slot, step);
  if (!sftp.ok()) return sftp.status();
  // An old backup must not pass for this one if the export fails.
  if (Status s = (*sftp)->Remove(keystore); !s.ok()) return Fail(slot, step, s);
  auto aai = OpenAai(slot, step);
  if (!aai.ok()) return aai.status();
  // Rules D9 and D14: importing overwrites the identity; the keystore goes to staging first.
  if (Status s = (*aai)->procedures().ExportKeystore(*passphrase, *login, keystore); !s.ok())
    return Fail(slot, step, s.WithContext("the keystore backup before the import [rule:D9]"));
  auto st = (*sftp)->Stat(keystore);
  if (!st.ok()) return Fail(slot, step, st.status());
  if (!*st || !(*st)->isRegular || (*st)->size == 0)
    return Status::Failed(Where(slot, step) + ": the appliance says it exported its keystore, but " + keystore +
                          " is not on the staging server: nothing was imported [rule:D9]");
  IdentityBackup backup;
  backup.slot = slot;
  backup.saved = {keystore};
  backup.had_identity = true;
  return backup;
}

Result<IdentityBackup> DmsProvider::InstallIdentity(const IdentityInstall& install) {
  const std::string step = "install the identity";
  if (Status s = CheckSlot(install.slot, step); !s.ok()) return s;
  // After GENERATE_NEW_CERT the appliance already holds this certificate (SelfSignPending).
  if (self_signed_ && install.certificate_pem == self_signed_->pem && install.use_pending_key) {
    IdentityBackup backup = std::move(self_signed_->backup);
    self_signed_.reset();
    return backup;
  }
  if (install.private_key_pem)
    return Status::Unsupported(Where(install.slot, step) +
                               ": a DMS takes no private key; it makes its own with the CSR (key.location: appliance)");
  // D1, D2, D5, D11: one clean PEM per file and the whole chain, or nothing is staged.
  auto files = PrepareImportFiles(install.certificate_pem, install.chain_pems);
  if (!files.ok()) return Fail(install.slot, step, files.status());
  auto login = Login(install.slot, step);
  if (!login.ok()) return login.status();
  auto folder = PeerFolder(install.slot, step);
  if (!folder.ok()) return folder.status();
  auto sftp = Staging(install.slot, step);
  if (!sftp.ok()) return sftp.status();

  std::vector<std::string> staged;
  auto remove_staged = [&]() {
    Status all = Status::Ok();
    for (const auto& path : staged)
      if (Status s = (*sftp)->Remove(path); !s.ok() && all.ok()) all = s;
    return all;
  };
  auto stage = [&](const std::string& name, const std::string& pem) -> Status {
    const std::string path = *folder + "/" + name;
    staged.push_back(path);
    return (*sftp)->Upload(path, pem, kFileMode);
  };
  // Rule D16: the appliance pulls the files from staging.
  Status up = stage("identity.pem", files->identity_pem);
  std::string chain_paths;
  for (size_t i = 0; up.ok() && i < files->ca_pems.size(); ++i) {
    const std::string name = "ca-" + std::to_string(i + 1) + ".pem";
    up = stage(name, files->ca_pems[i]);
    chain_paths += (chain_paths.empty() ? "" : ",") + *folder + "/" + name;
  }
  if (!up.ok()) return Fail(install.slot, step, AndCleanUp(up.WithContext("staging the certificates [rule:D16]"), remove_staged()));
  auto backup = Backup(install.slot, step);
  if (!backup.ok()) return AndCleanUp(backup.status(), remove_staged());
  auto aai = OpenAai(install.slot, step);
  Status imported = aai.ok() ? (*aai)->procedures().ImportCertificate(*login, staged.front(), chain_paths)
                             : aai.status();
  Status cleaned = remove_staged();
  if (!imported.ok()) {
    // Nothing was imported: the backup is of the identity still in place.
    return Fail(install.slot, step, AndCleanUp(AndCleanUp(imported, cleaned), (*sftp)->Remove(backup->saved.front())));
  }
  if (!cleaned.ok()) return Fail(install.slot, step, cleaned.WithContext("removing the staged certificates"));
  // The import answered the newest CSR (the appliance checks that, D10): none is pending now.
  if (Status s = (*sftp)->Remove(PendingCsrPath()); !s.ok()) return Fail(install.slot, step, s);
  return backup;
}

Status DmsProvider::RestoreIdentity(const IdentityBackup& backup) {
  const std::string step = "restore the previous identity";
  if (Status s = CheckSlot(backup.slot, step); !s.ok()) return s;
  if (backup.saved.size() != 1)
    return Status::InvalidInput(Where(backup.slot, step) + ": no keystore backup was made");
  auto login = Login(backup.slot, step);
  if (!login.ok()) return login.status();
  auto passphrase = KeystorePassphrase(backup.slot, step);
  if (!passphrase.ok()) return passphrase.status();
  auto aai = OpenAai(backup.slot, step);
  if (!aai.ok()) return aai.status();
  // Rule D14: the keystore exported before the import goes back with its passphrase.
  if (Status s = (*aai)->procedures().ImportKeystore(*passphrase, *login, backup.saved.front()); !s.ok())
    return Fail(backup.slot, step, s.WithContext("the backup stays on the staging server at " + backup.saved.front()));
  return DiscardBackup(backup);
}

Status DmsProvider::DiscardBackup(const IdentityBackup& backup) {
  const std::string step = "remove the keystore backup";
  auto sftp = Staging(backup.slot, step);
  if (!sftp.ok()) return sftp.status();
  for (const auto& path : backup.saved)
    if (Status s = (*sftp)->Remove(path); !s.ok()) return Fail(backup.slot, step, s);
  return Status::Ok();
}

Status DmsProvider::RemoveLeftoverBackups(const std::string& slot, const std::vector<std::string>&) {
  return Status::Unsupported(Where(slot, "remove leftover backups") +
                             ": a DMS keeps no backup files of pkiform's on the appliance (the keystore backup is on "
                             "the staging server, replaced by the next one)");
}

Status DmsProvider::AddTrust(const std::string& store, const std::string&) {
  return Status::Unsupported(Where("trust store " + store, "add a CA") +
                             ": a DMS has no trust store; its CA chain is imported with the identity (D5, D11)");
}

Status DmsProvider::RemoveTrust(const std::string& store, const std::string&) {
  return Status::Unsupported(Where("trust store " + store, "remove a CA") + ": a DMS has no trust store");
}

Status DmsProvider::InstallCrl(const std::string& location, const std::string&) {
  return Status::Unsupported(Where("CRL " + location, "install") + ": the DMS documentation names no CRL upload");
}

Status DmsProvider::Restart(const pkiform::Restart& restart) {
  return Status::Unsupported(Where("restart " + restart.target, "restart") +
                             ": the DMS procedures end without a restart; the catalogue names none");
}

}  // namespace pkiform::dms
