// What a peer must restart after its changes, and the follow-ups people must
// take, both read from the platform catalogue (never decided by platform name).
//
// Restarts are deduplicated (two slots reloaded by the same command restart
// once) and ordered as the executor applies the changes: those of trust store
// changes first, then those of the CRL file, then those of identity changes,
// each in the order of the changes that need them. A change that waits for an
// external certificate installs nothing yet and so needs nothing.
#pragma once

#include <string>
#include <vector>

#include "reconciler/catalogue/catalogue.h"
#include "reconciler/manifest/model.h"
#include "reconciler/plan/actual.h"
#include "reconciler/plan/plan.h"
#include "reconciler/planner/cluster_facts.h"

namespace pkiform::planner {

// openssh: kSlotReload is the slot's `reload` command, kStoreUpdate the store's
// `update` command and kCrlUpdate the CRL file's `update` command; an empty
// command restarts nothing.
std::vector<Restart> CollectRestarts(const std::vector<Change>& changes, const Cluster& cluster,
                                     const catalogue::PlatformCatalogue& platform, const ClusterFacts& facts);

// Restarts of the services a managed slot's restarts include (catalogue, U13) that the node
// reports not running: a restart an earlier apply could not finish is made up, else the
// node would hold the new identity and never serve it. Each comes with a note for people.
// Those already in `planned` are not repeated.
std::vector<Restart> RestartsOfStoppedServices(const Actual& actual, const Cluster& cluster,
                                               const catalogue::PlatformCatalogue& platform, const ClusterFacts& facts,
                                               const std::vector<Restart>& planned, std::vector<std::string>& notes);

// The catalogue's follow-ups for the identity changes (those of phase "before"
// first), without duplicates. A change by a selfSigned issuer is a regeneration,
// any other an installation.
std::vector<std::string> CollectFollowUps(const std::vector<Change>& changes, const Desired& desired,
                                          const Cluster& cluster, const catalogue::PlatformCatalogue& platform,
                                          const ClusterFacts& facts);

}  // namespace pkiform::planner
