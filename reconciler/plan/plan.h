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
enum class ChangeKind { kIdentity, kTrust, kCrl, kBackups };

const char* ChangeKindName(ChangeKind k);  // "identity", "trust", "crl", "backups"

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
};

struct PeerPlan {
  std::string cluster;
  std::string peer;
  std::string address;  // where to connect
  std::string observed_digest;  // Actual::Digest() when the plan was made
  std::vector<Change> changes;
  std::vector<Restart> restarts;      // deduplicated, in execution order
  std::vector<std::string> follow_ups;  // steps for people ("Regenerate the CTL file ...")
  std::vector<std::string> notes;       // "waiting for a signed certificate for ..."
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

  PlanSummary Summary() const;
  bool HasChanges() const { return !Summary().empty(); }
};

}  // namespace pkiform
