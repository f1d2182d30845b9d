// The executor: carries out exactly the changes of a plan, nothing else.
//
// Per cluster, peers roll one at a time; independent clusters proceed in
// parallel: at most ExecutorHooks::parallelism peers at work at once, where a peer waiting
// for a restart does not count (work_slots.h), in up to ExecutorHooks::clusters_at_once
// clusters. For each peer: re-observe and refuse
// it if its state no longer matches the digest the plan recorded (stale plan);
// trust changes first, then identities, then the restarts (each once), then a
// real TLS handshake per changed identity that must serve the new certificate;
// then, once nothing can roll back any more, the removal of backups an
// interrupted apply left (a failure there is reported, the new identities stay).
// How each new identity is made (by issuer kind and key location) is in
// new_identity.h; an external issuer's change may only hand a request over.
// When a step fails, the peer's identities are restored from the backups the
// provider made, the restarts run again, and that cluster stops; the other
// clusters carry on. An identity the platform cannot restore (Change::no_rollback,
// ucm: rule U8) is left in place and reported so, never as rolled back; since each
// peer is verified before the next one is touched, at most one peer is left so. Every applied or failed change is recorded in the history.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "providers/provider.h"
#include "reconciler/catalogue/catalogue.h"
#include "reconciler/executor/verifier.h"
#include "reconciler/issuers/issuer.h"
#include "reconciler/log/log.h"
#include "reconciler/manifest/model.h"
#include "reconciler/pki/clock.h"
#include "reconciler/plan/plan.h"

namespace pkiform {

// What a new identity for one slot of one peer must look like.
struct IdentityOrder {
  pki::CsrRequest csr;
  pki::KeySpec key;
  pki::SigningPolicy policy;  // notBefore/validity filled by the executor from the clock
};

struct ExecutorHooks {
  // The provider of a peer, on its run's one SSH connection (owned by the caller).
  std::function<Result<Provider*>(const Cluster&, const Peer&)> connect;
  // A new connection and provider for a peer whose session a restart ended (Restart::
  // drops_session); the old provider is not used again. Unset: such a restart fails the peer.
  std::function<Result<Provider*>(const Cluster&, const Peer&)> reconnect;
  // The issuer named in a slot (opened once per run by the caller).
  std::function<Result<CertificateIssuer*>(const std::string& issuer)> issuer;
  // Derives the CSR, key and signing policy of a slot for a peer (planner's rules).
  std::function<Result<IdentityOrder>(const Cluster&, const Peer&, const IdentitySlot&)> order;
  // Proves that a slot now serves `expected`: the executor finds the endpoint
  // (VerifyTargetFor: the manifest's `verify`, else the catalogue's) and asks `verifier`
  // (a real TLS handshake: TlsVerifier). Without an endpoint there is nothing to prove.
  Verifier* verifier = nullptr;
  const catalogue::Catalogue* catalogue = nullptr;  // the platforms' endpoints; null: the manifest's only
  // Tests: replaces endpoint and verifier both (Ok when the slot has nothing to prove).
  std::function<Status(const Cluster&, const Peer&, const IdentitySlot&, const pki::Certificate& expected,
                       const std::vector<pki::Certificate>& chain)> verify;
  // External issuers: hands the CSR of a slot over (the requests folder and the state).
  std::function<Status(const PeerPlan&, const IdentitySlot&, const std::string& csr_pem)> hand_over;
  // External issuers: the request of a slot is answered (its certificate installed and verified).
  std::function<void(const PeerPlan&, const IdentitySlot&)> answered;
  // The executor is done with a peer (applied, failed or rolled back): its connection may
  // be closed, so that a run of thousands of peers holds few at once. May be empty.
  std::function<void(const Cluster&, const Peer&)> release;
  // Records one applied or failed change (history); may be empty.
  std::function<void(const PeerPlan&, const Change&, const std::string& outcome, const std::string& after_fingerprint,
                     const std::string& detail)> record;
  // Progress for people ("web1.example.com: + web/web1.example.com/identity/nginx"): the line,
  // its level (warnings too) and what it is about (cluster, peer, change, outcome) for the log.
  std::function<void(log::Level, const log::Event&, const std::string&)> progress;
  // Peers at work at the same time, at most (--parallelism): connecting, observing,
  // installing, verifying; a peer waiting for a restart gives its place to another cluster's.
  // The peers of one cluster always roll one at a time. When more than one cluster is in
  // flight, every hook is called from several threads and must be thread-safe; each progress
  // line names its peer.
  int parallelism = 1;
  // Clusters in flight at the same time, at most; each holds at most one connection, also
  // while its peer restarts. Below `parallelism` (0: unset): `parallelism`.
  int clusters_at_once = 0;
};

struct PeerOutcome {
  std::string cluster, peer;
  bool ok = true;
  bool rolled_back = false;
  bool skipped = false;  // an earlier peer of the cluster failed
  int applied = 0;                   // changes that stand (rolled-back ones are not counted)
  std::vector<std::string> restored;  // addresses of changes undone by the rollback
  // Identity changes that failed or whose peer failed after them, left in place because
  // the platform cannot restore the previous identity (Change::no_rollback): "address: why".
  std::vector<std::string> not_restored;
  std::string error;
};

struct ApplyReport {
  std::vector<PeerOutcome> peers;
  bool ok() const;
  // "Apply complete: 3 changes applied on 2 peers." or "Apply failed: 1 change applied
  // on 1 peer; 1 change rolled back on 1 peer." and a line per failed peer naming
  // what was restored.
  std::string Summary() const;
};

ApplyReport Execute(const Plan& plan, const Desired& desired, const pki::Clock& clock, const ExecutorHooks& hooks);

}  // namespace pkiform
