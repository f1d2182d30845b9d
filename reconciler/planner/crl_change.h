// The change the CRL file of an openssh peer needs (revocation.crl.path): the one
// PEM file on the host that holds every CRL the manifest uploads, as nginx
// `ssl_crl` and HAProxy `crl-file` read it.
//
// What is compared, not copied: for each issuer whose CRL the repository uploads,
// the file must hold a CRL of that issuer that is not older (the CRL numbers
// decide when both carry one, else thisUpdate). When one is missing or older, the
// whole file is rewritten: per issuer the newest CRL known, in manifest order,
// which is the host's own when it is newer (revocation data never goes back);
// CRLs of issuers the manifest does not list are dropped then. A CRL left newer on
// the host, and a CRL past its nextUpdate, are noted in the plan.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "reconciler/catalogue/catalogue.h"
#include "reconciler/manifest/model.h"
#include "reconciler/pki/clock.h"
#include "reconciler/pki/crl.h"
#include "reconciler/plan/actual.h"
#include "reconciler/plan/plan.h"
#include "reconciler/planner/target.h"
#include "reconciler/util/result.h"

namespace pkiform::planner {

struct CrlDecision {
  std::optional<Change> change;    // kCrl, create (no file) or update; its payload is the new file
  std::vector<std::string> notes;  // CRLs kept because newer on the host, CRLs past their nextUpdate
};

// `desired`: the CRLs of the manifest's `upload` files, in manifest order.
// `observed` may be null (the provider reported no such file: it is absent).
CrlDecision PlanCrlFile(const std::string& cluster, const std::string& peer, const CrlSettings& settings,
                        const std::vector<pki::Crl>& desired, const ObservedCrl* observed, pki::TimePoint now);

// "cluster/peer/crl/<path>".
std::string CrlAddress(const std::string& cluster, const std::string& peer, const std::string& path);

// The repository's CRL files (FileRef::path -> text, as PlanInput::crl_pems holds
// them), each parsed once per run however many peers need it.
class CrlFiles {
 public:
  explicit CrlFiles(const std::map<std::string, std::string>& texts) : texts_(texts) {}

  // The CRLs of the cluster's `upload` files, in order. Fails naming the cluster and
  // the file when a file was not given or holds something that is not a CRL.
  Result<std::vector<pki::Crl>> For(const Cluster& cluster);

 private:
  const std::map<std::string, std::string>& texts_;
  std::map<std::string, std::vector<pki::Crl>> parsed_;
};

// The removal of a platform's uploaded CRL (catalogue crlFile.location) when the manifest
// writes `upload: []` and the peer has one (V11); nothing otherwise. Sets `matched` when
// `target` selects the CRL.
std::optional<Change> PlanCrlRemoval(const Cluster& cluster, const catalogue::PlatformCatalogue* platform,
                                     const Peer& peer, const Actual& actual, const Target& target, bool& matched);

// Where the cluster's uploaded CRLs live on a peer: the manifest's revocation.crl.path
// (openssh), else the platform's own place for them (catalogue crlFile.location, vcs: V11),
// else "" (the cluster uploads none there).
std::string CrlLocation(const Cluster& cluster, const catalogue::PlatformCatalogue* platform);

// For one peer, after its trust stores: the CRL file's change and notes, when the
// cluster uploads CRLs (CrlLocation) and `target` selects it (any item, "crl", the
// location, or "crl/<location>"); sets `matched` when it does.
Status PlanPeerCrlFile(const Cluster& cluster, const catalogue::PlatformCatalogue* platform, const Peer& peer,
                       const Actual& actual, const Target& target, pki::TimePoint now, CrlFiles& files,
                       bool& matched, PeerPlan& out);

}  // namespace pkiform::planner
