// FleetStatus: what `pkiform status` reports, as plain data built once
// (build_status.h) and then rendered as a text table, JSON or an HTML page.
// Per cluster and peer: every identity slot and trust entry with its expiry and
// whether it matches the manifests (the planner decides that, not this code),
// the CRLs on the peer, and the CRLs of the issuers' distribution points.
// Every string here may come from an appliance, a manifest or a web server:
// renderers escape it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "reconciler/pki/clock.h"

namespace pkiform::status {

struct CertificateStatus {
  std::string kind;  // "identity" | "trust"
  std::string name;  // the slot, or the trust store
  bool present = false;  // identity: a certificate is installed (trust entries always are)
  std::string subject, issuer, fingerprint;
  std::optional<pki::TimePoint> not_after;
  long long days_left = 0;  // whole days from `now` to notAfter, rounded down (negative: expired)
  // From the plan: nullopt when no plan could be made (FleetStatus::sync_unknown says why).
  std::optional<bool> in_sync;
  std::string out_of_sync;  // the planner's reason when not in sync
};

struct CrlStatus {
  std::string source;    // "uploaded" | "distribution point"
  std::string location;  // the file on the peer, or the URL
  std::string issuer;    // the manifests' Issuer whose CA signed it; "" when none did
  std::string crl_issuer;  // the issuer name the CRL itself carries
  std::optional<pki::TimePoint> this_update, next_update;
  bool signature_ok = false;
  std::string signature;  // "verified by <issuer>" or why not
  std::string error;      // could not be fetched or read: the other fields are empty
  std::string warning;    // rule V12: nextUpdate passed or within the margin
};

struct PeerStatus {
  std::string fqdn;
  bool reachable = false;
  std::string error;  // why it could not be observed
  std::vector<CertificateStatus> certificates;
  std::vector<CrlStatus> crls;
  std::vector<std::string> pending;  // every planned change, "address: reason"
};

struct ClusterStatus {
  std::string name, platform;
  std::vector<PeerStatus> peers;
};

struct FleetStatus {
  pki::TimePoint now;
  std::vector<ClusterStatus> clusters;
  std::vector<CrlStatus> distribution_points;
  std::string sync_unknown;  // why in_sync is unknown everywhere; "" when a plan was made

  // An unreachable peer, or a CRL that could not be read or whose signature does not verify.
  bool HasProblems() const;
};

// "2027-01-31" or "-" when absent.
std::string DateOrDash(const std::optional<pki::TimePoint>& t);
// Whole days from `now` to `t`, rounded down.
long long DaysBetween(pki::TimePoint now, pki::TimePoint t);

}  // namespace pkiform::status
