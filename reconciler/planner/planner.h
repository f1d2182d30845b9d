// The planner: compares the desired state (manifests) with what the providers
// observed and returns the Plan (plan.h) that `plan` prints and `apply` executes.
//
// Pure: it reads no file, contacts no appliance and asks no clock. The caller
// loads the issuers' certificates, the trust stores' files and the external
// issuers' certificates and requests, observes the peers, and pins `now`.
//
// Per peer, in manifest order: trust store changes first (additions, then
// prunes), then the CRL file (crl_change.h), then identity changes, each slot's
// followed by the removal of backups an interrupted apply left (backups_change.h); then the
// restarts and follow-ups those changes need, from the platform catalogue; and the
// digest of the observation, so that `apply PLANFILE` can refuse a peer that
// changed since.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "reconciler/catalogue/catalogue.h"
#include "reconciler/manifest/model.h"
#include "reconciler/pki/certificate.h"
#include "reconciler/pki/clock.h"
#include "reconciler/plan/actual.h"
#include "reconciler/plan/plan.h"
#include "reconciler/planner/identity_change.h"
#include "reconciler/planner/maintenance_window.h"
#include "reconciler/util/result.h"

namespace pkiform::planner {

// What the repository holds for one slot of one peer from an external issuer:
// the committed certificate and the request handed over, each if any.
using ExternalFilesFn = std::function<ExternalFiles(const std::string& issuer, const std::string& cluster,
                                                    const std::string& peer, const std::string& slot)>;

struct PlanInput {
  const Desired& desired;
  const std::vector<Actual>& observed;  // one per planned peer, any order
  const catalogue::Catalogue& catalogue;
  // ca and external issuers: issuer name -> [its CA certificate, then its chain].
  std::map<std::string, std::vector<pki::Certificate>> issuer_chains;
  pki::TimePoint now;
  // --target: "", "cluster", "cluster/peer", "cluster/peer/slot" (or a trust store).
  std::string target;
  // External issuers: the files of a slot in the repository; unset: none.
  ExternalFilesFn external_files;
  // Trust store files: the resolved path (FileRef::path) -> the PEM text it holds
  // (each string one certificate or a bundle).
  std::map<std::string, std::vector<std::string>> trust_pems;
  // Copied into the plan (SHA-256 of the manifest files).
  std::string manifests_digest;
  // CRL files of revocation.crl.upload: the resolved path (FileRef::path) -> the
  // text it holds (PEM, one CRL or several, or DER). Last, with a default, so that
  // initialisers that list the fields above stay valid.
  std::map<std::string, std::string> crl_pems = {};
  // The maintenance windows to honour, by cluster name (window_deferral.h); empty with
  // --ignore-windows. A cluster without an entry is never deferred.
  std::map<std::string, Window> windows = {};
  // Peers ("cluster/peer") left out of this plan although targeted: not in this shard, in
  // backoff, or not observed by a run that goes on without them (reconcile).
  std::set<std::string> excluded = {};
};

// Fails, naming the peer, cluster, issuer or file, for: an observation of a peer
// the manifests do not list, a planned peer without an observation, a platform
// missing from the catalogue, an issuer without its certificates, a trust store
// or CRL file not given (or not a CRL), and a --target that is malformed or
// matches nothing.
Result<Plan> MakePlan(const PlanInput& in);

}  // namespace pkiform::planner
