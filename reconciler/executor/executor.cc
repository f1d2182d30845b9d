#include "reconciler/executor/executor.h"

#include <initializer_list>
#include <set>

#include "reconciler/executor/new_identity.h"

namespace pkiform {
namespace {

// A peer's changes of these kinds, in that order.
std::vector<const Change*> Ordered(const PeerPlan& p, std::initializer_list<ChangeKind> kinds) {
  std::vector<const Change*> out;
  for (ChangeKind kind : kinds)
    for (const auto& c : p.changes)
      if (c.kind == kind) out.push_back(&c);
  return out;
}

std::string Joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

struct InstalledIdentity {
  const Change* change;
  const IdentitySlot* slot;
  const Issuer* issuer;
  IdentityBackup backup;
  pki::Certificate certificate;
  std::vector<pki::Certificate> chain;
};

class PeerRun {
 public:
  PeerRun(const PeerPlan& plan, const Desired& desired, const Cluster& cluster, const Peer& peer,
          const pki::Clock& clock, const ExecutorHooks& hooks, Provider& provider)
      : plan_(plan), desired_(desired), cluster_(cluster), peer_(peer), clock_(clock), hooks_(hooks),
        provider_(provider) {}

  // Applies the peer's changes; on failure restores and returns the error.
  Status Run(PeerOutcome& outcome) {
    auto actual = provider_.Observe();
    if (!actual.ok()) return actual.status();
    if (actual->Digest() != plan_.observed_digest)
      return Status::Failed("stale plan: " + peer_.fqdn +
                            " has changed since the plan was made; run plan again");
    observed_ = std::move(actual).value();
    for (const Change* c : Ordered(plan_, {ChangeKind::kTrust, ChangeKind::kCrl, ChangeKind::kIdentity})) {
      Status s = Apply(*c);
      Record(*c, s);
      if (!s.ok()) return Rollback(s, outcome);
      ++outcome.applied;
    }
    if (Status s = Restarts(); !s.ok()) return Rollback(s, outcome);
    for (const auto& done : installed_) {
      Status s = hooks_.verify(cluster_, peer_, *done.slot, done.certificate, done.chain);
      if (!s.ok()) return Rollback(Status::Failed("verify " + done.slot->slot + ": " + s.message()), outcome);
      Progress("verified: " + done.slot->slot + " serves " + done.certificate.FingerprintSha256().substr(0, 23));
    }
    for (const auto& done : installed_) {
      if (Status s = provider_.DiscardBackup(done.backup); !s.ok())
        Progress("warning: could not remove the backup of " + done.slot->slot + ": " + s.message());
      if (done.issuer->kind == Issuer::Kind::kExternal && hooks_.answered) hooks_.answered(plan_, *done.slot);
    }
    // Last: backups an interrupted apply left are removed only once nothing here can
    // roll back any more; a failure leaves the new identities in place.
    for (const Change* c : Ordered(plan_, {ChangeKind::kBackups})) {
      Status s = Apply(*c);
      Record(*c, s);
      if (!s.ok()) return s;
      ++outcome.applied;
    }
    return Status::Ok();
  }

 private:
  void Progress(const std::string& text) {
    if (hooks_.progress) hooks_.progress(peer_.fqdn + ": " + text);
  }

  // Outcomes: "applied", "requested" (a request handed over to an external issuer), "failed".
  void Record(const Change& c, const Status& s) {
    const bool requested = !c.waiting_for.empty();
    std::string fingerprint;
    if (c.kind == ChangeKind::kIdentity && !requested && !installed_.empty() && s.ok())
      fingerprint = installed_.back().certificate.FingerprintSha256();
    else if (s.ok() && !requested)
      fingerprint = c.after_fingerprint;  // trust and CRL changes: what the plan said goes in
    const char* outcome = !s.ok() ? "failed" : requested ? "requested" : "applied";
    std::string detail = s.ok() ? "" : s.message();
    if (s.ok() && c.kind == ChangeKind::kBackups) detail = "removed " + Joined(c.remove_files);
    if (hooks_.record) hooks_.record(plan_, c, outcome, fingerprint, detail);
  }

  const IdentitySlot* FindSlot(const std::string& name) const {
    for (const auto& s : cluster_.identity)
      if (s.slot == name) return &s;
    return nullptr;
  }

  const TrustStore* FindStore(const std::string& name) const {
    for (const auto& t : cluster_.trust)
      if (t.store == name) return &t;
    return nullptr;
  }

  Status Apply(const Change& c) {
    Progress(std::string(ActionSymbol(c.action)) + " " + c.address);
    switch (c.kind) {
      case ChangeKind::kTrust:
        if (c.action == Action::kDelete) return provider_.RemoveTrust(c.slot_or_store, c.before_fingerprint);
        return provider_.AddTrust(c.slot_or_store, c.certificate_pem);
      case ChangeKind::kCrl:
        return provider_.InstallCrl(c.slot_or_store, c.certificate_pem);
      case ChangeKind::kIdentity:
        return InstallIdentity(c);
      case ChangeKind::kBackups:  // Run applies these last
        return provider_.RemoveLeftoverBackups(c.slot_or_store, c.remove_files);
    }
    return Status::Failed("unknown change kind");
  }

  Status InstallIdentity(const Change& c) {
    const IdentitySlot* slot = FindSlot(c.slot_or_store);
    if (!slot) return Status::InvalidInput("slot '" + c.slot_or_store + "' is not in the manifests any more");
    const Issuer* issuer = desired_.FindIssuer(slot->issuer);
    if (!issuer) return Status::InvalidInput("slot " + slot->slot + ": unknown issuer '" + slot->issuer + "'");
    auto order = hooks_.order(cluster_, peer_, *slot);
    if (!order.ok()) return order.status();
    // Backdated a little: a peer whose clock runs slightly behind must not see a future certificate.
    order->policy.notBefore = clock_.Now() - std::chrono::minutes(5);
    auto signer = hooks_.issuer(slot->issuer);
    if (!signer.ok()) return signer.status();

    auto hand_over = [&](const std::string& csr_pem) -> Status {
      if (!hooks_.hand_over) return Status::Unsupported("this run cannot hand requests over to an external issuer");
      Status s = hooks_.hand_over(plan_, *slot, csr_pem);
      if (s.ok()) Progress("request for " + slot->slot + " handed over to issuer " + issuer->name);
      return s;
    };
    const NewIdentityContext ctx{provider_, *issuer, **signer, *slot, *order, c, observed_.FindSlot(slot->slot),
                                 hand_over};
    auto made = MakeNewIdentity(ctx);
    if (!made.ok()) return made.status();
    if (!*made) return Status::Ok();  // a request went out; nothing to install until the CA answers
    NewIdentity& identity = **made;
    identity.install.private_key_pem = identity.generated_key ? &*identity.generated_key : nullptr;
    auto backup = provider_.InstallIdentity(identity.install);
    if (!backup.ok()) return backup.status();
    installed_.push_back({&c, slot, issuer, *backup, identity.certificate, identity.chain});
    return Status::Ok();
  }

  Status Restarts() {
    for (const auto& r : plan_.restarts) {
      Progress("restart: " + r.target);
      if (Status s = provider_.Restart(r); !s.ok()) return s;
    }
    return Status::Ok();
  }

  // Restores every identity installed so far (trust and CRL changes stand: they
  // are additive and the plan asked for them); what was restored no longer
  // counts as applied, and the history says it was rolled back.
  Status Rollback(const Status& cause, PeerOutcome& outcome) {
    if (installed_.empty()) return cause;
    std::string problems;
    for (auto it = installed_.rbegin(); it != installed_.rend(); ++it) {
      if (Status s = provider_.RestoreIdentity(it->backup); !s.ok()) {
        problems += "; restore " + it->slot->slot + ": " + s.message();
        continue;
      }
      --outcome.applied;
      outcome.restored.push_back(it->change->address);
      if (hooks_.record) hooks_.record(plan_, *it->change, "rolled-back", it->change->before_fingerprint, cause.message());
    }
    for (const auto& r : plan_.restarts)
      if (Status s = provider_.Restart(r); !s.ok()) problems += "; restart " + r.target + ": " + s.message();
    outcome.rolled_back = problems.empty();
    Progress(problems.empty() ? "rolled back to the previous identity" : "ROLLBACK INCOMPLETE" + problems);
    return Status::Failed(cause.message() + (problems.empty() ? " (rolled back)" : problems));
  }

  const PeerPlan& plan_;
  const Desired& desired_;
  const Cluster& cluster_;
  const Peer& peer_;
  const pki::Clock& clock_;
  const ExecutorHooks& hooks_;
  Provider& provider_;
  Actual observed_;  // re-observed before applying, equal to what the plan saw
  std::vector<InstalledIdentity> installed_;
};

const Peer* FindPeer(const Cluster& c, const std::string& fqdn) {
  for (const auto& p : c.peers)
    if (p.fqdn == fqdn) return &p;
  return nullptr;
}

}  // namespace

bool ApplyReport::ok() const {
  for (const auto& p : peers)
    if (!p.ok) return false;
  return true;
}

std::string ApplyReport::Summary() const {
  auto count = [](int n, const char* one, const char* many) { return std::to_string(n) + " " + (n == 1 ? one : many); };
  int applied = 0, changed_peers = 0, restored = 0, restored_peers = 0;
  std::vector<std::string> failures;
  for (const auto& p : peers) {
    applied += p.applied;
    if (p.applied) ++changed_peers;
    restored += static_cast<int>(p.restored.size());
    if (!p.restored.empty()) ++restored_peers;
    if (p.skipped) {
      failures.push_back(p.cluster + "/" + p.peer + ": skipped (an earlier peer of the cluster failed)");
    } else if (!p.ok) {
      std::string line = p.cluster + "/" + p.peer + ": " + p.error;
      if (!p.restored.empty()) {
        line += "\n    restored:";
        for (const auto& address : p.restored) line += " " + address;
      }
      failures.push_back(line);
    }
  }
  // Count what stands: a change that was rolled back is not applied.
  std::string s = (failures.empty() ? "Apply complete: " : "Apply failed: ") + count(applied, "change", "changes") +
                  " applied on " + count(changed_peers, "peer", "peers");
  if (restored) s += "; " + count(restored, "change", "changes") + " rolled back on " + count(restored_peers, "peer", "peers");
  s += ".";
  for (const auto& f : failures) s += "\n  " + f;
  return s;
}

ApplyReport Execute(const Plan& plan, const Desired& desired, const pki::Clock& clock, const ExecutorHooks& hooks) {
  ApplyReport report;
  std::set<std::string> failed_clusters;
  for (const auto& peer_plan : plan.peers) {
    PeerOutcome outcome;
    outcome.cluster = peer_plan.cluster;
    outcome.peer = peer_plan.peer;
    if (peer_plan.changes.empty() && peer_plan.restarts.empty()) continue;
    if (failed_clusters.count(peer_plan.cluster)) {
      outcome.ok = false;
      outcome.skipped = true;
      report.peers.push_back(outcome);
      continue;
    }
    Status s;
    const Cluster* cluster = desired.FindCluster(peer_plan.cluster);
    const Peer* peer = cluster ? FindPeer(*cluster, peer_plan.peer) : nullptr;
    if (!peer) {
      s = Status::InvalidInput(peer_plan.cluster + "/" + peer_plan.peer + " is not in the manifests any more");
    } else {
      auto provider = hooks.connect(*cluster, *peer);
      if (!provider.ok()) s = provider.status();
      else s = PeerRun(peer_plan, desired, *cluster, *peer, clock, hooks, **provider).Run(outcome);
    }
    if (!s.ok()) {
      outcome.ok = false;
      outcome.error = s.message();
      failed_clusters.insert(peer_plan.cluster);
    }
    report.peers.push_back(outcome);
  }
  return report;
}

}  // namespace pkiform
