// Building the FleetStatus from what a status run gathered: the manifests, the
// observations of the peers that answered, the issuers' CA certificates, the plan
// (whose changes say what is out of sync: the planner decides, this only reads its
// answer) and the CRLs fetched from distribution points. Pure: no file, network
// or clock.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "reconciler/manifest/model.h"
#include "reconciler/pki/certificate.h"
#include "reconciler/plan/actual.h"
#include "reconciler/plan/plan.h"
#include "reconciler/status/fleet_status.h"
#include "reconciler/util/result.h"

namespace pkiform::status {

// The first three are required; the rest have defaults, so that `{desired, observed, chains}` is complete.
struct StatusInput {
  const Desired& desired;
  const std::vector<Actual>& observed;  // the peers that answered
  // issuer name -> [its CA certificate, then its chain] (ca and external issuers).
  const std::map<std::string, std::vector<pki::Certificate>>& issuer_chains;
  const Plan* plan = nullptr;  // null: in sync unknown, for the reason in plan_unavailable
  std::string plan_unavailable = {};
  // Distribution point URL -> its body, or why it could not be fetched. A URL of the
  // issuers' crlDistributionPoints missing here is reported as not fetched.
  std::map<std::string, Result<std::string>> fetched = {};
  // Why a peer that did not answer is missing ("cluster/peer" -> message); peers without
  // an entry here and without an observation are "not observed".
  std::map<std::string, std::string> peer_errors = {};
  pki::TimePoint now = {};
  std::string target = {};  // --target: "", cluster, cluster/peer, cluster/peer/item (a slot, store or the CRL)
};

// Fails only on a malformed --target.
Result<FleetStatus> BuildFleetStatus(const StatusInput& in);

}  // namespace pkiform::status
