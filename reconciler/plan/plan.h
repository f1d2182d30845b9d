// The plan: plain data that `plan` builds, prints, saves as JSON, and that
// `apply PLANFILE` executes exactly (as Terraform's plans are). `reason` is for
// people; the executor reads only the action, the address and the payload.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace pkiform {

enum class Action {
  kCreate,   // + something that is missing
  kUpdate,   // ~ changed in place (settings)
  kReplace,  // -/+ a certificate replaced by a new one
  kDelete,   // - something that must go (pruned trust entries, backup files left behind)
};

// "+", "~", "-/+", "-".
const char* ActionSymbol(Action a);
const char* ActionName(Action a);  // "create", "update", "replace", "delete"

// kBackups: backup files an interrupted apply left next to a slot's files; always
// kDelete, never restored, no restart; applied after the peer's identities are verified.
// kSetting: a node setting the catalogue lists (ucm: OCSP, the certificate monitor),
// slot_or_store its name, setting_before/after its values; kUpdate (kCreate when
// the provider did not report it).
enum class ChangeKind { kIdentity, kTrust, kCrl, kBackups, kSetting };

const char* ChangeKindName(ChangeKind k);  // "identity", "trust", "crl", "backups", "setting"

// Where a change takes effect (rule U10). kCluster: made once, on one peer (the
// publisher when it needs it), and the platform replicates it to every peer in
// Change::reaches; those peers get no copy of their own, only the restarts it needs.
enum class ChangeScope { kNode, kCluster };

const char* ChangeScopeName(ChangeScope s);  // "node", "cluster"

struct Change {
  // "web-eu/web1.example.com/identity/nginx", ".../trust/<store>/<sha256 fingerprint>", ".../crl/<location>",
  // ".../backups/nginx"
  std::string address;
  Action action = Action::kCreate;
  ChangeKind kind = ChangeKind::kIdentity;
  std::string slot_or_store;  // the slot name (identity, backups), the trust store, or the CRL location
  std::string reason;         // "certificate expires 2026-12-01, within renewBefore 30d"
  // Before/after as people read them: subject, SANs, key, issuer, expiry, fingerprint.
  std::vector<std::string> before, after;
  std::string before_fingerprint;  // SHA-256 of what is replaced or removed, empty if none
  std::string after_fingerprint;   // SHA-256 of what is installed, empty until apply makes it
  // Payload the executor needs and that planning already settled:
  std::string certificate_pem;  // trust/CRL: the exact bytes to install
  std::string waiting_for;      // external issuer: "signed certificate for ..." (nothing installed yet)
  std::string request_pem;      // waiting: the CSR pending on the peer to hand over; empty: apply makes one
  std::vector<std::string> remove_files;  // backups: exactly the files to remove on the peer
  // Rule U10. scope kCluster: `reaches` lists every peer (FQDN, manifest order) the change
  // takes effect on, this one included. A node-scoped trust addition whose store copies
  // it into other stores (CAPF-trust -> CallManager-trust) names them in `copies_to`,
  // and in `reaches` the peers that copy replicates to.
  ChangeScope scope = ChangeScope::kNode;
  // Identity changes on a platform that cannot restore the previous identity (catalogue
  // `rollback`; ucm: an import overwrites it and deletes its CSR, rule U8): why not.
  // Empty: a failed verification restores what was there.
  std::string no_rollback;
  // kSetting: the value observed ("" when the provider did not report it) and the one to set,
  // as the catalogue spells them ("true", "false", "30d", "a@example.com,b@example.com").
  std::string setting_before, setting_after;
  std::vector<std::string> reaches;
  std::vector<std::string> copies_to;
};

enum class RestartKind {
  kService,    // a named service on the node ("Cisco Tomcat")
  kAppliance,  // the whole appliance; target is its name ("VCS")
  kCommand,    // a shell command the manifest gave: a slot's reload, a trust store's update
};

const char* RestartKindName(RestartKind k);  // "service", "appliance", "command"

struct Restart {
  RestartKind kind = RestartKind::kService;
  std::string target;  // service name, appliance name, or the command to run
  std::string because; // the change address that needs it
  // From the catalogue's restartTimes (0: not known). The provider waits for the
  // service up to timeout_seconds, reading its state rather than sleeping; when
  // drops_session, it expects the session to end and reconnects.
  int expected_seconds = 0;
  int timeout_seconds = 0;
  bool drops_session = false;
};

struct PeerPlan {
  std::string cluster;
  std::string peer;
  std::string address;  // where to connect
  // Actual::Digest(scoped_stores) when the plan was made: the peer's own state, without
  // the trust stores another peer's cluster-wide change may alter (rule U10).
  std::string observed_digest;
  // The trust stores whose additions or deletions take effect cluster-wide (catalogue:
  // replication or deletion "cluster", and the stores they copy into), and
  // Actual::StoresDigest(scoped_stores) of this peer when the plan was made. Both empty
  // on platforms without such stores. The executor compares scoped_digest only while no
  // earlier peer of this run made a cluster-wide change that reaches this one; after
  // that it checks that change's expected effect instead.
  std::vector<std::string> scoped_stores;
  std::string scoped_digest;
  std::vector<Change> changes;
  std::vector<Restart> restarts;      // deduplicated, in execution order
  std::vector<std::string> follow_ups;  // steps for people ("Regenerate the CTL file ...")
  std::vector<std::string> notes;       // "waiting for a signed certificate for ..."
  // Changes held back because they need a restart and the cluster's maintenance window
  // (restarts.window) is closed when the plan is made, with the restarts they need
  // (planner/window_deferral.h). Shown, saved and counted, never executed from this plan:
  // a run inside the window (or with --ignore-windows) plans them again.
  std::vector<Change> deferred;
  std::vector<Restart> deferred_restarts;
  std::string deferred_until;  // RFC 3339 (UTC): when the window next opens; "" when nothing is deferred
};

struct PlanSummary {
  int add = 0, change = 0, remove = 0, restarts = 0;
  bool empty() const { return add + change + remove + restarts == 0; }
};

struct Plan {
  int format_version = 1;
  std::string pkiform_version;
  std::string created_at;       // RFC 3339
  std::string manifests_digest; // SHA-256 of the manifest files the plan was made from
  std::vector<PeerPlan> peers;

  PlanSummary Summary() const;  // what this plan executes (deferred changes are not in it)
  bool HasChanges() const { return !Summary().empty(); }
  int DeferredCount() const;
  std::string EarliestDeferredUntil() const;  // "" when nothing is deferred
};

}  // namespace pkiform
