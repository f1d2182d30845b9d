// Provider: the one narrow interface between the executor and a platform.
//
// A provider drives one peer over one SSH session (reused for every step of a
// run): `Observe` reads what the peer has, the primitives change one thing
// each. Providers never decide what to change or in which order; the planner
// decides what, the executor decides the order (trust before identity,
// restarts after all changes of a peer, one restart per service), and the
// platform catalogue (schema/platforms/) holds the platform's facts.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "reconciler/manifest/model.h"
#include "reconciler/pki/certificate.h"
#include "reconciler/pki/csr.h"
#include "reconciler/pki/key.h"
#include "reconciler/plan/actual.h"
#include "reconciler/plan/plan.h"
#include "reconciler/util/result.h"

namespace pkiform {

// A CSR to make on the peer, whose key never leaves it (key location "appliance").
struct CsrOnPeer {
  std::string slot;
  pki::CsrRequest request;
  pki::KeySpec key;
};

// A self-signed certificate to make on the peer from the CSR the last
// GenerateCsr made for `slot`, signed by that CSR's own pending key (issuer
// selfSigned, key location "appliance"): the key never leaves the peer.
struct SelfSignOnPeer {
  std::string slot;
  std::chrono::seconds validity{0};
  std::string serial_hex;  // pkiform picks it (random), so two renewals never share one
  // The manifest's duration in whole months ("12mo"), for appliances that take months (D8).
  std::optional<int> months;
  // The subject and names asked for: what an appliance that makes its own key (catalogue
  // selfSignedValidity.newKey) types into its form, there being no pending CSR.
  pki::CsrRequest request;
};

struct IdentityInstall {
  std::string slot;
  std::string certificate_pem;          // exactly one certificate, one trailing newline
  std::vector<std::string> chain_pems;  // the issuer first, up to (and including) the root
  // Only for key location "generated": the key pkiform made. Written 0600, never logged.
  const pki::SecretString* private_key_pem = nullptr;
  // Key location "appliance": install the key the last GenerateCsr made for this slot.
  bool use_pending_key = false;
};

// What InstallIdentity replaced, enough to put it back if verification fails.
// It lives on the peer (backup copies next to the originals), so no private
// key ever travels back to pkiform.
struct IdentityBackup {
  std::string slot;
  std::vector<std::string> saved;  // provider-specific handles (paths of the backup copies)
  bool had_identity = false;
};

class Provider {
 public:
  virtual ~Provider() = default;

  virtual Result<Actual> Observe() = 0;
  // Makes a key and CSR on the peer; returns the CSR (PEM).
  virtual Result<std::string> GenerateCsr(const CsrOnPeer& request) = 0;
  // Self-signs the pending CSR on the peer; returns the certificate (PEM). Nothing is installed yet.
  // On platforms whose self-signing makes its own key and installs at once (catalogue
  // selfSignedValidity.newKey: dms), no CSR comes first, the certificate is installed when this
  // returns, and the InstallIdentity that follows only hands back the backup made before it.
  virtual Result<std::string> SelfSignPending(const SelfSignOnPeer& request) = 0;
  virtual Result<IdentityBackup> InstallIdentity(const IdentityInstall& install) = 0;
  virtual Status RestoreIdentity(const IdentityBackup& backup) = 0;
  // Drops the backup copies once the new identity is verified.
  virtual Status DiscardBackup(const IdentityBackup& backup) = 0;
  // Removes backup files an interrupted apply left next to a slot's files (exactly
  // `files`, as Observe reported them in ObservedSlot::leftover_backups); refuses
  // any path that is not the name of such a backup of that slot.
  virtual Status RemoveLeftoverBackups(const std::string& slot, const std::vector<std::string>& files) = 0;
  virtual Status AddTrust(const std::string& store, const std::string& certificate_pem) = 0;
  virtual Status RemoveTrust(const std::string& store, const std::string& fingerprint_sha256) = 0;
  virtual Status InstallCrl(const std::string& location, const std::string& crl_pem) = 0;
  // Removes the uploaded CRL at `location` (planned only on platforms whose catalogue names
  // one place for it, vcs: V11). Not pure, as ApplySetting: the default refuses.
  virtual Status RemoveCrl(const std::string& location) {
    return Status::Unsupported("this provider cannot remove the CRL at '" + location + "'");
  }
  // Restarts a service, the appliance, or runs a command. `restart` carries the
  // catalogue's expected duration and timeout (0: unknown) and whether the session drops.
  virtual Status Restart(const Restart& restart) = 0;
  // Sets one node setting the catalogue lists (ChangeKind::kSetting). Not pure, so that
  // providers written before it stay source-compatible: the default refuses.
  virtual Status ApplySetting(const std::string& name, const std::string& value) {
    return Status::Unsupported("this provider cannot set '" + name + "' (to '" + value + "')");
  }
};

}  // namespace pkiform
