// FleetRun: what `plan`, `apply`, `reconcile` and `status` share. It loads and checks
// the manifests (any error: stop before any appliance is touched), takes the state lock,
// opens one SSH connection per targeted peer in parallel (--parallelism) and observes
// every peer through its provider.
//
// Connections: plan and status close each one as soon as its peer is observed, so a run
// holds at most --parallelism of them. apply and reconcile keep them for the apply (one
// connection per peer per run), but at most kMaxHeldConnections and never more than half
// the open-file limit left after the observations in flight, and after planning only
// those of peers with something to do: a fleet of thousands of peers must work under the
// common `ulimit -n 1024` and in constant memory per peer (issue 13). A peer whose
// connection was closed is connected again when apply needs it. apply works on at most
// --parallelism peers at once, but a peer waiting for a restart does not count: up to
// kMaxClustersAtOnce clusters are in flight (fewer under a low open-file limit), each with
// one connection, so slow restarts overlap (reconciler/executor/work_slots.h).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "providers/openssh/key_proofs.h"
#include "providers/provider.h"
#include "reconciler/executor/executor.h"
#include "providers/ssh/session.h"
#include "reconciler/catalogue/catalogue.h"
#include "reconciler/cli/global_options.h"
#include "reconciler/cli/shard.h"
#include "reconciler/manifest/loader.h"
#include "reconciler/pki/clock.h"
#include "reconciler/plan/plan.h"
#include "reconciler/planner/maintenance_window.h"
#include "state/store.h"

namespace pkiform::cli {

struct PeerConnection {
  std::unique_ptr<ssh::SshSession> session;
  std::unique_ptr<Provider> provider;
};

class FleetRun {
 public:
  static constexpr int kMaxHeldConnections = 256;
  static constexpr int kMaxClustersAtOnce = 256;

  // Loads, checks and locks; prints diagnostics. Null when the run must stop (already reported).
  // `command` names the run in the history ("plan", "apply", "reconcile") and sets its
  // default --lock-timeout (reconcile waits 600 s, the others not at all). With --shard the
  // state directory is <state-dir>/shard-i-of-n and only that shard's clusters are targeted.
  static std::unique_ptr<FleetRun> Open(const GlobalOptions& global, const CommandArgs& args,
                                        const std::string& command = "plan");

  // Connects to and observes every targeted peer (in parallel). False when any failed
  // (reported, listed in failed() and left out of the plan).
  bool ObserveAll();
  // Leaves a targeted peer out of this run: not observed, planned or applied.
  void Exclude(const std::string& cluster, const std::string& peer);
  // Every peer this run targets (manifest order), as "cluster/peer", before exclusions.
  std::vector<std::pair<const Cluster*, const Peer*>> TargetedPeers() const;
  // Peers whose observation failed, "cluster/peer" -> the error.
  const std::map<std::string, std::string>& failed() const { return failed_; }
  // The time decisions are made at: --now when given (expiry, windows, backoff), else the
  // system clock. Issuance and verification always use the system clock.
  pki::TimePoint Now() const { return pinned_ ? pinned_->Now() : clock_.Now(); }
  const state::StateStore& store() const { return store_; }
  // Builds the plan from the observations.
  Result<Plan> MakePlan();
  // Executes `plan` (its peers must have been observed or are connected now); prints progress.
  bool Execute(const Plan& plan);

  const LoadedManifests& manifests() const { return loaded_; }
  // What ObserveAll saw (every peer that answered), and the last Execute's report.
  const std::vector<Actual>& observed() const { return observed_; }
  const std::optional<ApplyReport>& report() const { return report_; }
  std::string ManifestsDigest() const;

 private:
  FleetRun(const GlobalOptions& g, const CommandArgs& a, state::StateStore store, state::RunLock lock)
      : global_(g), args_(a), store_(std::move(store)), lock_(std::move(lock)) {}
  Result<std::map<std::string, planner::Window>> Windows() const;
  // How many observed peers' connections may stay open for the apply (0 for plan and status).
  int ConnectionsToHold() const;
  int ClustersAtOnce() const;
  void Disconnect(PeerConnection& conn);
  void ReleaseIdleConnections(const Plan& plan);
  Result<PeerConnection*> Connect(const Cluster& cluster, const Peer& peer);
  // Opens `conn` (the map node of `peer`) when it is not open; touches nothing else of the run's
  // shared state but the known_hosts and key-proof caches, which lock themselves.
  Status ConnectTo(PeerConnection& conn, const Cluster& cluster, const Peer& peer);
  bool Targeted(const Cluster& cluster, const Peer& peer) const;
  Result<std::map<std::string, std::vector<pki::Certificate>>> IssuerChains() const;
  // <state-dir>/key-proofs.json (providers/openssh/key_proofs.h): read at Open, written after observing.
  static constexpr const char* kKeyProofsFile = "key-proofs.json";
  static constexpr size_t kKeyProofsFileBytes = 256u << 20;
  void LoadKeyProofs();
  void SaveKeyProofs();

  const GlobalOptions& global_;
  const CommandArgs& args_;
  LoadedManifests loaded_;
  state::StateStore store_;
  state::RunLock lock_;
  pki::SystemClock clock_;
  std::optional<pki::FixedClock> pinned_;  // --now
  std::string command_ = "plan";
  std::optional<Shard> shard_;
  std::set<std::string> excluded_;               // "cluster/peer"
  std::map<std::string, std::string> failed_;    // "cluster/peer" -> error
  std::map<std::string, PeerConnection> connections_;  // by "cluster/peer"
  std::vector<Actual> observed_;
  std::optional<ApplyReport> report_;
  openssh::KeyProofCache key_proofs_;
};

}  // namespace pkiform::cli
