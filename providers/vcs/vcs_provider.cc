// VcsProvider: construction, the two sessions, Observe, Restart and what a VCS cannot do.
// The changes are in vcs_changes.cc, the settings table in vcs_settings.cc.
#include "providers/vcs/vcs_provider.h"

#include <algorithm>
#include <thread>

#include "providers/platform_data.h"
#include "providers/vcs/vcs_settings.h"
#include "reconciler/pki/certificate.h"
#include "reconciler/util/excerpt.h"

namespace pkiform::vcs {
namespace {

constexpr char kServerSlot[] = "server";
constexpr char kCaStore[] = "default";

}  // namespace

VcsProvider::VcsProvider(ssh::SshSession& admin_login, const Cluster& cluster, const Peer& peer)
    : admin_login_(admin_login), cluster_(cluster), peer_(peer) {}

VcsProvider::~VcsProvider() = default;

int VcsProvider::commands_sent() const {
  return closed_commands_ + (admin_ ? admin_->commands_sent() : 0) + (root_ ? root_->commands_sent() : 0);
}

int VcsProvider::round_trips() const {
  return closed_round_trips_ + (admin_ ? admin_->round_trips() : 0) + (root_ ? root_->commands_sent() : 0);
}

std::string VcsProvider::Where(const std::string& subject, const std::string& step) const {
  return StepWhere(subject, peer_.fqdn, step);
}

Status VcsProvider::Fail(const std::string& subject, const std::string& step, const Status& cause) const {
  return cause.WithContext(Where(subject, step));
}

Status VcsProvider::Ready(const std::string& subject, const std::string& step) {
  Status loaded = LoadPlatformData(BuiltinDialect(), "vcs", dialect_, catalogue_);
  return loaded.ok() ? loaded : Fail(subject, step, loaded);
}

Result<AdminSession*> VcsProvider::Admin(const std::string& subject, const std::string& step) {
  if (Status s = Ready(subject, step); !s.ok()) return s;
  if (!admin_) {
    auto admin = AdminSession::Open(admin_login_, *dialect_);
    if (!admin.ok()) return Fail(subject, step, admin.status());
    admin_ = std::move(admin).value();
  }
  return admin_.get();
}

Result<ssh::SshTarget> VcsProvider::RootTarget() const {
  const std::optional<RootLogin>& root = cluster_.connection.root;
  // validate refuses a vcs cluster without it; a plan file made by hand may still lack it.
  if (!root)
    return Status::InvalidInput("cluster " + cluster_.name +
                                " names no root login (connection.root): a vcs's certificate files are read "
                                "and its uploads staged through it");
  ssh::SshTarget t = admin_login_.target();
  t.user = root->user;
  // The root account takes its own password (rootaccess --ssh on); no key, no agent.
  t.identityFile.clear();
  t.identityPassphraseEnv.clear();
  t.useAgent = false;
  t.passwordEnv = root->password_env;
  t.passwordFile = root->password_file ? root->password_file->path : "";
  return t;
}

Result<RootShell*> VcsProvider::Root(const std::string& subject, const std::string& step) {
  if (Status s = Ready(subject, step); !s.ok()) return s;
  if (!root_) {
    auto target = RootTarget();
    if (!target.ok()) return Fail(subject, step, target.status());
    auto login = ssh::SshSession::Connect(*target);
    if (!login.ok()) return Fail(subject, step, login.status().WithContext("root login " + target->user));
    root_login_ = std::move(login).value();
    root_channel_ = std::make_unique<SshRootChannel>(*root_login_);
    root_ = std::make_unique<RootShell>(*root_channel_, *dialect_);
  }
  return root_.get();
}

Result<CertFiles*> VcsProvider::Files(const std::string& subject, const std::string& step, bool fresh) {
  if (files_ && !fresh) return &*files_;
  auto root = Root(subject, step);
  if (!root.ok()) return root.status();
  auto read = (*root)->ReadFiles();
  if (!read.ok()) return Fail(subject, step, read.status());
  auto files = InterpretCertFiles(*read, *dialect_);
  if (!files.ok()) return Fail(subject, step, files.status().WithContext(admin_login_.peer()));
  files_ = std::move(files).value();
  return &*files_;
}

Status VcsProvider::CheckSlot(const std::string& slot, const std::string& step) {
  if (Status s = Ready(slot, step); !s.ok()) return s;
  if (!catalogue_->FindSlot(slot))
    return Status::NotFound(Where(slot, step) + ": a VCS has one identity, the server certificate (slot \"" +
                            std::string(kServerSlot) + "\")");
  return Status::Ok();
}

Status VcsProvider::CheckStore(const std::string& store, const std::string& step) {
  const std::string subject = "trust store " + store;
  if (Status s = Ready(subject, step); !s.ok()) return s;
  if (!catalogue_->FindTrustStore(store))
    return Status::NotFound(Where(subject, step) + ": a VCS has one trust store, the trusted CA list (store \"" +
                            std::string(kCaStore) + "\")");
  return Status::Ok();
}

Result<Actual> VcsProvider::Observe() {
  const std::string subject = "peer", step = "observe";
  auto files = Files(subject, step, /*fresh=*/true);
  if (!files.ok()) return files.status();
  auto admin = Admin(subject, step);
  if (!admin.ok()) return admin.status();
  AdminSession& a = **admin;
  // Every read in one round trip (P5: a peer in 3, with the root exec and `echo off`).
  // What is typed ahead serves this observation only: an answer kept past it could be stale.
  struct DropOnExit {
    AdminSession& a;
    ~DropOnExit() { a.DropPrefetched(); }
  } drop{a};
  std::vector<std::string> reads = {dialect_->system_unit.send, dialect_->configuration.alternates.read};
  for (auto& read : SettingsReads(*dialect_, cluster_)) reads.push_back(std::move(read));
  if (Status typed = a.Prefetch(reads); !typed.ok()) return Fail(subject, step, typed);

  Actual actual;
  actual.cluster = cluster_.name;
  actual.peer = peer_.fqdn;
  auto unit = a.ReadSystemUnit();
  if (!unit.ok()) return Fail(subject, step, unit.status());
  // platformVersion "X8.1" covers "X8.1.1"; another train is worth a warning, not a stop.
  const std::string& want = cluster_.platform_version;
  if (!want.empty() && unit->version != want && unit->version.rfind(want + ".", 0) != 0)
    actual.notes.push_back("warning: platformVersion is " + want + " but " + peer_.fqdn + " runs " +
                           Excerpt(unit->version) + " (build " + Excerpt(unit->build) + "); correct platformVersion");
  auto alternates = a.ReadAlternates();
  if (!alternates.ok()) return Fail(subject, step, alternates.status());
  // V1: the cluster FQDN in every certificate is the peers' cluster name; a peer that
  // belongs to another cluster would carry a name its clients do not ask for.
  if (!cluster_.fqdn.empty() && !alternates->cluster_name.empty() && alternates->cluster_name != cluster_.fqdn)
    actual.notes.push_back("warning: " + peer_.fqdn + " says its cluster name is " + Excerpt(alternates->cluster_name) +
                           ", the manifest's cluster fqdn is " + cluster_.fqdn + " (V1)");

  CertFiles& f = **files;
  ObservedSlot slot;
  slot.slot = kServerSlot;
  if (f.server) {
    slot.certificate_pem = f.server->ToPem();
    // The VCS refuses a certificate that does not match its key (V5), so the installed
    // certificate's key is the key on the peer; the key itself is never read.
    slot.key_public_digest = f.server->PublicKeyDigest();
    // rule V17: the factory's temporary identity is always replaced.
    if (IsTemporaryIdentity(*f.server, f.ca_list, *dialect_))
      slot.must_replace = "the factory's temporary identity (issued by " + Excerpt(f.server->Issuer().commonName) +
                          "): always replaced (V17)";
  }
  slot.pending_csr_pem = f.pending_csr;
  actual.slots.push_back(std::move(slot));

  ObservedTrustStore store;
  store.store = kCaStore;
  for (const auto& ca : f.ca_list) store.certificate_pems.push_back(ca.ToPem());
  actual.trust.push_back(std::move(store));

  if (catalogue_->crl_file && !catalogue_->crl_file->location.empty())
    actual.crls.push_back({catalogue_->crl_file->location, f.crl});

  auto settings = ObserveSettings(a, cluster_);
  if (!settings.ok()) return Fail(subject, step, settings.status());
  actual.settings = std::move(settings).value();
  return actual;
}

Result<std::string> VcsProvider::SelfSignPending(const SelfSignOnPeer& request) {
  return Status::Unsupported(Where(request.slot, "self-sign the pending CSR") +
                             ": a VCS cannot self-sign its pending CSR; its only self-made identity is the factory's "
                             "temporary one (V17), which pkiform replaces");
}

Status VcsProvider::RestoreIdentity(const IdentityBackup& backup) {
  return Status::Unsupported(Where(backup.slot, "restore the previous identity") +
                             ": the VCS documentation names no way to put a replaced server certificate back (its "
                             "key is gone with the upload); fix the cause and apply again");
}

Status VcsProvider::DiscardBackup(const IdentityBackup&) { return Status::Ok(); }  // nothing was saved

Status VcsProvider::RemoveLeftoverBackups(const std::string& slot, const std::vector<std::string>&) {
  return Status::Unsupported(Where(slot, "remove leftover backups") +
                             ": a VCS keeps no backup files of pkiform's (staged files go at each restart)");
}

Status VcsProvider::Restart(const pkiform::Restart& restart) {
  const std::string subject = "restart " + restart.target, step = "restart";
  auto admin = Admin(subject, step);
  if (!admin.ok()) return admin.status();
  // rule V7: a new server certificate takes effect only after the appliance restarts.
  auto result = (*admin)->Command(dialect_->commands.restart);
  if (!result.ok()) return Fail(subject, step, result.status());
  return AwaitRestart(restart);
}

Status VcsProvider::AwaitRestart(const pkiform::Restart& restart) {
  const std::string subject = "restart " + restart.target, step = "waiting for the peer";
  const auto timeout = std::chrono::seconds(restart.timeout_seconds > 0 ? restart.timeout_seconds : 1200);
  const auto give_up = std::chrono::steady_clock::now() + timeout;
  // The restart ends every session within seconds: wait for the admin shell to close, so
  // that a login made before the restart began is not taken for the peer being back.
  Status closed = admin_->AwaitClose(std::chrono::seconds(std::min<long long>(120, timeout.count())));
  closed_commands_ += admin_->commands_sent() + (root_ ? root_->commands_sent() : 0);
  closed_round_trips_ += admin_->round_trips() + (root_ ? root_->commands_sent() : 0);
  admin_.reset();
  root_.reset();
  root_channel_.reset();
  root_login_.reset();
  files_.reset();
  if (!closed.ok()) return Fail(subject, step, closed);
  // Back when a new root login runs the staging `mkdir` (harmless, and one the simulator
  // and a real root shell both answer). The run reconnects the admin login itself after.
  Status last = Status::Failed("no attempt made");
  for (int attempt = 0; std::chrono::steady_clock::now() < give_up; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(attempt == 0 ? 200 : 1000));
    auto root = Root(subject, step);
    if (root.ok()) {
      last = (*root)->MakeStagingDir();
      if (last.ok()) return Status::Ok();
    } else {
      last = root.status();
    }
    if (root_) closed_commands_ += root_->commands_sent();
    if (root_) closed_round_trips_ += root_->commands_sent();
    root_.reset();
    root_channel_.reset();
    root_login_.reset();
  }
  return Status::Failed(Where(subject, step) + ": not back after " + std::to_string(timeout.count()) +
                        " s (catalogue restartTimes); last attempt: " + last.message());
}

}  // namespace pkiform::vcs
