// DmsProvider: the Provider for a Cisco DMS Show and Share 5.2.1 appliance, driven through
// its Appliance Administration Interface (the `admin` login's full-screen menus on a PTY;
// docs/platforms/dms.md, "AAI contract") and the (S)FTP staging server the manifest names
// (spec.staging), which pkiform reaches over SFTP itself and whose coordinates it types
// into the appliance's forms: the appliance moves every file through it (D16).
// Every word typed or read is dialect data (schema/dialects/dms-aai.yaml); the platform's
// facts come from the catalogue (schema/platforms/dms.yaml).
//
// Each step opens a fresh AAI session (a new PTY channel on the admin login) and starts on
// the main menu, so that no step depends on where the previous one left the screen.
//   Observe          VIEW_CERT_CHAIN: the identity and its chain, PEM; the pending CSR
//                    from the peer's staging folder (the AAI shows none)              1 + SFTP
//   GenerateCsr      GENERATE_CSR, delivered to staging as <fqdn>.csr; pkiform collects
//                    it over SFTP and keeps it as the peer's pending.csr              1 + SFTP
//   InstallIdentity  the identity and each CA staged as its own PEM file (D1, D2, D5),
//                    the chain checked complete (D11); EXPORT_KEYSTORE first (D9, D14),
//                    then IMPORT_CERTIFICATE; the staged certificates removed         2 + SFTP
//   RestoreIdentity  IMPORT_KEYSTORE of that backup (D14): the one Cisco platform
//                    here with a real rollback                                         1
//   DiscardBackup    the backup KEYSTORE.DAT removed from staging                      SFTP
//   SelfSignPending  EXPORT_KEYSTORE first (D9, D14), GENERATE_NEW_CERT for the manifest's
//                    whole months (D8), ending with the D15 warning; the appliance makes
//                    its own key and installs at once (catalogue selfSignedValidity.newKey),
//                    so the certificate is read back with VIEW_CERT_CHAIN and the
//                    InstallIdentity that follows only hands over the backup          3
// A DMS has no trust store, CRL, setting or restart of pkiform's to change: those refuse.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "providers/dms/aai_procedures.h"
#include "providers/dms/dialect.h"
#include "providers/provider.h"
#include "providers/ssh/session.h"
#include "reconciler/catalogue/catalogue.h"
#include "reconciler/manifest/model.h"

namespace pkiform::ssh {
class SftpClient;
}

namespace pkiform::dms {

class DmsProvider : public Provider {
 public:
  // `admin_login` (the connection's user) is borrowed and must outlive the provider; cluster
  // and peer are copied. The staging login is opened on first use.
  DmsProvider(ssh::SshSession& admin_login, const Cluster& cluster, const Peer& peer);
  ~DmsProvider() override;

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
  Status Restart(const pkiform::Restart& restart) override;

  // AAI sessions opened so far (one per procedure): the docs' count.
  int sessions_opened() const { return sessions_opened_; }

 private:
  class Aai;  // one AAI session: its PTY channel, navigator and procedures

  std::string Where(const std::string& subject, const std::string& step) const;
  Status Fail(const std::string& subject, const std::string& step, const Status& cause) const;
  Status Ready(const std::string& subject, const std::string& step);
  Status CheckSlot(const std::string& slot, const std::string& step);
  Result<std::unique_ptr<Aai>> OpenAai(const std::string& subject, const std::string& step);
  Result<ssh::SftpClient*> Staging(const std::string& subject, const std::string& step);
  // The (S)FTP form's coordinates, with the password read from where the manifest says.
  Result<StagingLogin> Login(const std::string& subject, const std::string& step);
  Result<pki::SecretString> KeystorePassphrase(const std::string& subject, const std::string& step);
  // The staging folder of this peer (the cluster's path, then the peer's FQDN), made on first use.
  Result<std::string> PeerFolder(const std::string& subject, const std::string& step);
  std::string FolderPath() const;
  std::string PendingCsrPath() const;
  // The copy of the newest CSR GenerateCsr kept in the peer's folder, if any.
  Result<std::optional<std::string>> PendingCsr(const std::string& subject, const std::string& step);
  // EXPORT_KEYSTORE into the peer's folder (D9, D14): the backup of what an import replaces.
  Result<IdentityBackup> Backup(const std::string& slot, const std::string& step);
  Result<std::vector<std::string>> ViewChain(const std::string& subject, const std::string& step);
  Status CheckCommonName(const std::string& slot, const std::string& step, const pki::DistinguishedName& subject) const;

  ssh::SshSession& admin_login_;
  // The run's manifests outlive every provider: a copy of the whole cluster per peer made memory
  // grow with the square of a cluster's size (issue 13).
  const Cluster& cluster_;
  Peer peer_;
  const Dialect* dialect_ = nullptr;
  const catalogue::PlatformCatalogue* catalogue_ = nullptr;
  std::unique_ptr<ssh::SshSession> staging_login_;
  std::optional<pki::SecretString> staging_password_;
  int sessions_opened_ = 0;
  bool folder_made_ = false;  // PeerFolder made the peer's staging folder in this provider's life
  // The identity GENERATE_NEW_CERT installed and the backup made before it, until the
  // executor's InstallIdentity takes the backup.
  struct SelfSigned {
    std::string pem;
    IdentityBackup backup;
  };
  std::optional<SelfSigned> self_signed_;
};

}  // namespace pkiform::dms
