// VcsProvider: the Provider for a Cisco TelePresence VCS / Expressway peer (X8.1), driven
// through its two SSH doors (docs/platforms/vcs.md, "CLI contract"):
//   - the admin account's xACLI on a PTY shell (AdminSession): status, settings, the checked
//     certificate actions (xCommand Certificates ...) and the restart;
//   - the root account's exec channel (RootShell), a second SSH login to the same peer made
//     from the admin login's target with the manifest's connection.root: one read of the
//     four certificate files, and the staging of every file an xCommand then takes.
// Every word typed or read is dialect data (schema/dialects/vcs-cli.yaml); the platform's
// facts come from the catalogue (schema/platforms/vcs.yaml).
//
// Round trips:
//   Observe          root: tail of the four files                                    1
//                    admin: echo off (once per session), xStatus SystemUnit,
//                    xConfiguration Alternates                                       3
//                    + CRL Automatic when the manifest sets revocation.crl's
//                      automatic updates (V10), + SIP TLS revocation with sipTls (V13)
//   GenerateCsr      CSR Discard when one is pending (V4), CSR Generate, root read   2-3
//   InstallIdentity  root: mkdir, cat > (certificate; a generated key too), rm;
//                    admin: Server Upload                                            4-5
//   AddTrust         CA Delete of an entry with the same issuer and subject (V9),
//                    root: mkdir, cat >, rm; admin: CA Append                        4-5
//   RemoveTrust      CA Delete                                                       1
//   InstallCrl       root: mkdir, cat >, rm; admin: CRL Upload (V11)                 4
//   RemoveCrl        CRL Remove (V11)                                                1
//   ApplySetting     one xConfiguration write (V10, V13)                             1
//   Restart          xCommand Restart, then new root logins until the peer answers (V7)
// Rollback: the seed names no way to put a replaced server certificate back (catalogue
// `rollback`), so RestoreIdentity is Unsupported and the plan says so beforehand.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "providers/provider.h"
#include "providers/ssh/session.h"
#include "providers/vcs/admin_session.h"
#include "providers/vcs/cert_files.h"
#include "providers/vcs/dialect.h"
#include "providers/vcs/root_shell.h"
#include "reconciler/catalogue/catalogue.h"
#include "reconciler/manifest/model.h"

namespace pkiform::vcs {

class VcsProvider : public Provider {
 public:
  // `admin_login` (the connection's user) is borrowed and must outlive the provider; cluster
  // and peer are copied. The root login is opened on first use.
  VcsProvider(ssh::SshSession& admin_login, const Cluster& cluster, const Peer& peer);
  ~VcsProvider() override;

  Result<Actual> Observe() override;
  Result<std::string> GenerateCsr(const CsrOnPeer& request) override;
  Result<std::string> SelfSignPending(const SelfSignOnPeer& request) override;
  Result<IdentityBackup> InstallIdentity(const IdentityInstall& install) override;
  Status RestoreIdentity(const IdentityBackup& backup) override;
  Status DiscardBackup(const IdentityBackup& backup) override;
  Status RemoveLeftoverBackups(const std::string& slot, const std::vector<std::string>& files) override;
  Status AddTrust(const std::string& store, const std::string& certificate_pem) override;
  Status RemoveTrust(const std::string& store, const std::string& fingerprint_sha256) override;
  Status InstallCrl(const std::string& location, const std::string& crl_pem) override;
  Status RemoveCrl(const std::string& location) override;
  Status Restart(const pkiform::Restart& restart) override;
  Status ApplySetting(const std::string& name, const std::string& value) override;

  // Commands sent so far on both doors (`echo off` included): the docs' count.
  int commands_sent() const;
  // Round trips so far on both doors: a root exec is one, and so is an admin write waited
  // on (reads typed ahead together share one).
  int round_trips() const;

 private:
  std::string Where(const std::string& subject, const std::string& step) const;
  Status Fail(const std::string& subject, const std::string& step, const Status& cause) const;
  // The dialect and the catalogue, or why not (a defect of schema/).
  Status Ready(const std::string& subject, const std::string& step);
  Result<AdminSession*> Admin(const std::string& subject, const std::string& step);
  Result<RootShell*> Root(const std::string& subject, const std::string& step);
  // The SSH target of the root login: the admin login's, with connection.root's user and password.
  Result<ssh::SshTarget> RootTarget() const;
  // The certificate files: the last read, or a new one when there is none (or `fresh`).
  Result<CertFiles*> Files(const std::string& subject, const std::string& step, bool fresh = false);
  Status CheckSlot(const std::string& slot, const std::string& step);
  Status CheckStore(const std::string& store, const std::string& step);
  // Stages `bytes` (and `key`, when given) as the files `command`'s placeholder `placeholder`
  // (and {keyFile}) name, runs it, and removes the staged files whatever the outcome (a
  // staged file, a key least of all, is never left behind on purpose).
  Result<CommandResult> StagedCommand(const std::string& subject, const std::string& step,
                                      const std::string& placeholder, const std::string& bytes,
                                      const pki::SecretString* key, const XCommand& command);
  // After `xCommand Restart`: the admin shell ends (the restart began), then new root logins
  // are tried until one answers, within the restart's timeout.
  Status AwaitRestart(const pkiform::Restart& restart);

  ssh::SshSession& admin_login_;
  // The run's manifests outlive every provider: a copy of the whole cluster per peer made memory
  // grow with the square of a cluster's size (issue 13).
  const Cluster& cluster_;
  Peer peer_;
  const Dialect* dialect_ = nullptr;
  const catalogue::PlatformCatalogue* catalogue_ = nullptr;
  std::unique_ptr<AdminSession> admin_;
  std::unique_ptr<ssh::SshSession> root_login_;
  std::unique_ptr<SshRootChannel> root_channel_;
  std::unique_ptr<RootShell> root_;
  std::optional<CertFiles> files_;
  int closed_commands_ = 0;  // commands of sessions a restart ended
  int closed_round_trips_ = 0;  // and their round trips
};

}  // namespace pkiform::vcs
