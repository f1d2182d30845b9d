// UcmProvider: the Provider for a Cisco Unified CM or IM and Presence node, driven through
// its platform CLI over one interactive SSH shell (the node offers no exec channel). The
// wording of every command is data (schema/dialects/ucm-cli.yaml, dialect.h); the facts
// of the platform (slots, trust stores, placement, key usages, services) come from the
// catalogue (schema/platforms/ucm.yaml).
//
// Commands (docs/platforms/ucm.md, "Provider", lists them exactly):
//   session start    the banner, `set cli pagination off`                        1
//   Observe          show version active, show network cluster, show cert list own,
//                    show cert list trust, show csr list own, utils service list   6
//                    + one `show cert own` per manifest slot the node lists
//                    + one `show cert trust` per entry of the manifest's stores
//                    + one `show csr own` per pending CSR of a manifest slot
//                    typed ahead in two round trips (the lists, then the shows; more
//                    when the shows pass the dialect's typeAheadBytes)
//   GenerateCsr      set web-security, set csr gen (answers the OU question from 14SU1),
//                    show csr own (+ show cert own when the key must be compared) 3-4
//                    more names than the node FQDN and the cluster FQDN (U15):
//                    set web-security, show cert own tomcat and tomcat-ECDSA (the TLS
//                    trust), then POST /platformcom/api/v1/certmgr/config/csr       3 + 1 API call
//   InstallIdentity  set cert import own (paste), show cert own (re-read: U2)     2
//                    from 14SU2 a multi-SAN certificate (U15): show cert own tomcat and
//                    tomcat-ECDSA, POST .../config/identity/certificates, show cert own  3 + 1 API call
//   AddTrust         set cert import trust (paste), show cert list trust, show cert trust
//                    + show ocsp when the manifest has revocation.ocsp (U16)
//                    + show cert-monitor when it has monitor (U17)               ASSUMED CLI
//   RemoveTrust      set cert delete
//   ApplySetting     one `set ocsp ...` / `set cert-monitor ...` (ucm_settings.cc); choosing
//                    the configured responder sets its URI first when the node has none (U16)
//   Restart          utils service restart, completion read from [STARTED]/[FAILED]
// What neither can do is Status::Unsupported with the reason (multi-server CSRs: U3, IP
// addresses in a CSR, restoring an overwritten identity: U8, CRL upload, self-signing).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "providers/provider.h"
#include "providers/ssh/session.h"
#include "providers/ucm/cli_session.h"
#include "providers/ucm/dialect.h"
#include "providers/ucm/node_observation.h"
#include "providers/ucm/platform_api.h"
#include "reconciler/catalogue/catalogue.h"
#include "reconciler/manifest/model.h"

namespace pkiform::ucm {

class UcmProvider : public Provider {
 public:
  // `session` is borrowed and must outlive the provider; cluster and peer are copied.
  UcmProvider(ssh::SshSession& session, const Cluster& cluster, const Peer& peer);
  ~UcmProvider() override;

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
  // OCSP (U16) and the certificate monitor (U17), by the catalogue's setting names and the
  // planner's spelling of values (ucm_settings.cc; the CLI is ASSUMED, docs/platforms/ucm.md).
  Status ApplySetting(const std::string& name, const std::string& value) override;

  // The last observation (after Observe() or a change), or null.
  const NodeObservation* last_observation() const { return observed_ ? &*observed_ : nullptr; }
  // CLI commands sent in this provider's session so far.
  int commands_sent() const { return cli_ ? cli_->commands_sent() : 0; }
  // Round trips of that session so far (CliSession::round_trips).
  int round_trips() const { return cli_ ? cli_->round_trips() : 0; }

 private:
  std::string Where(const std::string& subject, const std::string& step) const;
  Status Fail(const std::string& subject, const std::string& step, const Status& cause) const;
  // The dialect and the catalogue, or why not (a defect of schema/).
  Status Ready(const std::string& subject, const std::string& step);
  Result<CliSession*> Cli(const std::string& subject, const std::string& step);
  // The observation, made now when there is none yet.
  Result<const NodeObservation*> Observation(const std::string& subject, const std::string& step);
  // The catalogue's slot, refused when the manifest does not name it or the node's type lacks it.
  Result<const catalogue::SlotSpec*> SlotFor(const std::string& slot, const std::string& step);
  Result<const catalogue::TrustStoreSpec*> StoreFor(const std::string& store, const std::string& step);
  // Reads the identity certificate of `unit` ("show cert own").
  Result<std::string> ReadOwn(CliSession& cli, const std::string& unit);
  Result<std::string> ReadCsr(CliSession& cli, const std::string& unit);
  Result<TrustEntry> ReadTrust(CliSession& cli, const std::string& store, const std::string& file,
                               const std::string& description);
  ObservedSlot* CachedSlot(const std::string& slot);
  // Reads OCSP and the certificate monitor into o.actual.settings (only those the manifest
  // sets), and notes Common Criteria mode when the manifest enables OCSP (U16).
  Status ObserveSettings(CliSession& cli, NodeObservation& o);
  // The commands ObserveSettings will send for this manifest (typed ahead with the lists).
  std::vector<std::string> SettingsReads() const;
  // The `show` commands of a slot's certificate, of its pending CSR, and of a trust entry.
  Result<std::string> ShowOwnCommand(const std::string& unit) const;
  Result<std::string> ShowCsrCommand(const std::string& unit) const;
  Result<std::string> ShowTrustCommand(const std::string& store, const std::string& file) const;
  // Sends one settings command of the dialect with its placeholders filled.
  Status SendSetting(CliSession& cli, const CommandText& command, const std::map<std::string, std::string>& values,
                     const std::string& subject);
  void CacheTrust(const TrustEntry& entry);
  // The node's platform REST API (platform_api.h) as the CLI's administrator, trusting
  // exactly the tomcat certificates seen over this host-key-verified session and the
  // manifest's tomcat-trust certificates (ucm_api.cc).
  Result<ApiEndpoint> Api(CliSession& cli, const std::string& subject, const std::string& step);
  // The API's password (the SSH connection's passwordEnv or passwordFile), loaded once;
  // Unsupported naming U15 when the connection has none.
  Status LoadApiPassword(const std::string& subject, const std::string& step);
  // GenerateCsr through the API: the names `set web-security` cannot carry (U15, U5 keys).
  Result<std::string> GenerateCsrThroughApi(const CsrOnPeer& request, CliSession& cli,
                                            const std::vector<std::string>& alt_names);

  ssh::SshSession& session_;
  // The run's manifests outlive every provider: a copy of the whole cluster per peer made memory
  // grow with the square of a cluster's size (issue 13).
  const Cluster& cluster_;
  Peer peer_;
  const Dialect* dialect_ = nullptr;
  const catalogue::PlatformCatalogue* catalogue_ = nullptr;
  std::unique_ptr<CliSession> cli_;
  std::optional<NodeObservation> observed_;
  std::optional<pki::SecretString> api_password_;  // loaded on the first API call
};

}  // namespace pkiform::ucm
