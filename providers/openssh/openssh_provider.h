// OpensshProvider: the Provider for a Linux TLS host (nginx, Apache, HAProxy,
// Postfix...) reached over SSH. A slot is a set of files the manifest names
// plus the command that reloads the service; a trust store is a bundle file or
// a directory of one PEM file per CA.
//
// Round trips (one session, reused):
//   Observe          one exec (observation.h; with the run's key proofs, key_proofs.h)
//   GenerateCsr      one exec: openssl on the host makes the key and the CSR (csr_script.h)
//   SelfSignPending  one exec: openssl on the host signs the pending CSR with its key (self_sign_script.h)
//   InstallIdentity  one exec (checks, backups, pending key; identity_scripts.h), then one
//                    upload per certificate file (and the key when pkiform made it)
//   RestoreIdentity, DiscardBackup, RemoveLeftoverBackups   one exec each
//   AddTrust         stat, (bundle: download,) upload
//   RemoveTrust      bundle: stat, download, upload; directory: one exec to list, one to remove
//   InstallCrl       one upload of the whole CRL file (revocation.crl.path), 0644
// Uploads, downloads and stat go through the session's file transport
// (SshSession::Files()): SFTP, or one exec each on a host without the SFTP subsystem.
//   Restart          one exec of the command itself
// No private key crosses the connection except the one pkiform generated and
// uploads (key location "generated").
//
// Every error names the slot, store or CRL, the peer's FQDN and the step:
// "nginx on web1.example.com: install certificate: ...".
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "providers/openssh/observation.h"
#include "providers/provider.h"
#include "providers/ssh/session.h"
#include "providers/ssh/remote_files.h"
#include "reconciler/manifest/model.h"

namespace pkiform::openssh {

class OpensshProvider : public Provider {
 public:
  // `session` is borrowed and must outlive the provider; cluster and peer are copied.
  // `key_proofs` (may be null) is shared by the run's providers and outlives them.
  OpensshProvider(ssh::SshSession& session, const Cluster& cluster, const Peer& peer,
                  KeyProofCache* key_proofs = nullptr);

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

 private:
  // "nginx on web1.example.com: <step>"
  std::string Where(const std::string& subject, const std::string& step) const;
  // `cause` with that context; Ok stays Ok.
  Status Fail(const std::string& subject, const std::string& step, const Status& cause) const;
  Result<SlotToObserve> SlotNamed(const std::string& name, const std::string& step) const;
  Status CheckStore(const std::string& store, const std::string& step) const;
  // The trust store's file or directory (nullopt: absent), after CheckStore; fails for
  // anything that is neither a regular file nor a directory.
  Result<std::optional<ssh::FileStat>> StatStore(const std::string& store, const std::string& step);
  // Builds a script for the slot's key file path, runs it and returns the data of its
  // section `kind`; fails for a slot without a key file, a non-zero exit status,
  // output holding private key material, or no such section.
  using KeyScriptBuilder = std::function<Result<std::string>(const std::string& private_key_path)>;
  Result<std::string> RunKeyScript(const std::string& slot, const std::string& step, const KeyScriptBuilder& build,
                                   const std::string& kind);
  // The cluster's CRL settings when they name a CRL file on the host, else null.
  const CrlSettings* CrlFile() const;
  // The session's file transport: SFTP, or exec on a host without the SFTP subsystem.
  Result<ssh::RemoteFiles*> Files(const std::string& subject, const std::string& step);
  // An IdentityBackup split against its slot's files: backups to move back, files to remove.
  struct SavedFiles {
    std::vector<std::pair<std::string, std::string>> restore;  // backup -> target
    std::vector<std::string> created;
  };
  Result<SavedFiles> SavedFilesOf(const IdentityBackup& backup, const std::string& step) const;
  // Puts files back after a failed install (restore: backup -> target; created: removed).
  Status PutBack(const std::vector<std::pair<std::string, std::string>>& restore,
                 const std::vector<std::string>& created);
  Status AddToDirectory(const std::string& store, const std::string& certificatePem, const std::string& fingerprint);
  Status AddToBundle(const std::string& store, const std::string& certificatePem, const std::string& fingerprint,
                     const std::optional<ssh::FileStat>& stat);
  Status RemoveFromDirectory(const std::string& store, const std::string& fingerprint);
  Status RemoveFromBundle(const std::string& store, const std::string& fingerprint, const ssh::FileStat& stat);

  ssh::SshSession& session_;
  // The run's manifests outlive every provider: a copy of the whole cluster per peer made memory
  // grow with the square of a cluster's size (issue 13).
  const Cluster& cluster_;
  Peer peer_;
  KeyProofCache* key_proofs_ = nullptr;
};

}  // namespace pkiform::openssh
