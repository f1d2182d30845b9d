#include "reconciler/executor/executor.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <memory>
#include <mutex>
#include <thread>
#include <initializer_list>
#include <map>
#include <set>

#include "reconciler/executor/new_identity.h"
#include "reconciler/executor/work_slots.h"

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
  // `arrived`: the changes earlier peers of this run made that reach this peer (rule U10).
  PeerRun(const PeerPlan& plan, const Desired& desired, const Cluster& cluster, const Peer& peer,
          const pki::Clock& clock, const ExecutorHooks& hooks, Provider& provider,
          const std::vector<const Change*>& arrived, WorkSlots& work)
      : plan_(plan), desired_(desired), cluster_(cluster), peer_(peer), clock_(clock), hooks_(hooks),
        provider_(&provider), arrived_(arrived), work_(work) {}

  // Applies the peer's changes; on failure restores and returns the error.
  Status Run(PeerOutcome& outcome) {
    auto actual = provider_->Observe();
    if (!actual.ok()) return actual.status();
    if (Status s = CheckNotStale(*actual); !s.ok()) return s;
    observed_ = std::move(actual).value();
    for (const Change* c :
         Ordered(plan_, {ChangeKind::kTrust, ChangeKind::kCrl, ChangeKind::kSetting, ChangeKind::kIdentity})) {
      Status s = Apply(*c);
      Record(*c, s);
      if (!s.ok()) return Rollback(s, outcome);
      ++outcome.applied;
    }
    if (Status s = Restarts(); !s.ok()) return Rollback(s, outcome);
    for (const auto& done : installed_) {
      auto proved = Verify(done);
      if (!proved.ok())
        return Rollback(Status::Failed("verify " + done.slot->slot + ": " + proved.status().message()), outcome);
      if (*proved)
        Progress(*done.change, "verified",
                 "verified: " + done.slot->slot + " serves " + done.certificate.FingerprintSha256().substr(0, 23));
      else
        Progress(*done.change, "installed",
                 "installed: " + done.slot->slot + " (no TLS endpoint proves it; the node holds " +
                     done.certificate.FingerprintSha256().substr(0, 23) + ")");
    }
    for (const auto& done : installed_) {
      if (Status s = provider_->DiscardBackup(done.backup); !s.ok())
        Progress(*done.change, "backup-left",
                 "warning: could not remove the backup of " + done.slot->slot + ": " + s.message(), log::Level::kWarn);
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
  // Verification moved here from the CLI: the endpoint from the manifest or the catalogue,
  // the handshake from the injected verifier.
  // True when a TLS handshake proved the slot; false when no endpoint serves it (ucm CAPF).
  Result<bool> Verify(const InstalledIdentity& done) {
    if (hooks_.verify) {
      if (Status s = hooks_.verify(cluster_, peer_, *done.slot, done.certificate, done.chain); !s.ok()) return s;
      return true;
    }
    const catalogue::PlatformCatalogue* platform = hooks_.catalogue ? hooks_.catalogue->Find(cluster_.platform) : nullptr;
    auto endpoint = VerifyTargetFor(cluster_, peer_, *done.slot, platform);
    if (!endpoint) return false;
    if (!hooks_.verifier) return Status::Failed("no verifier was given to the executor; the new identity is unproved");
    Progress(*done.change, "verifying",
             "verify: " + done.slot->slot + " on " + endpoint->host + ":" + std::to_string(endpoint->port));
    if (Status s = hooks_.verifier->Verify(*endpoint, done.certificate, done.chain); !s.ok()) return s;
    return true;
  }

  // A restart that drops the session (catalogue restartTimes: dropsSession; vcs: the
  // appliance) is followed by a new connection, through which the run goes on.
  Status RestartAndReconnect(const pkiform::Restart& r) {
    Status restarted;
    {
      AwayFromWork waiting(work_);  // another cluster's peer works meanwhile (work_slots.h)
      restarted = provider_->Restart(r);
    }
    if (!restarted.ok()) return restarted;
    if (!r.drops_session) return Status::Ok();
    if (!hooks_.reconnect)
      return Status::Failed("restart " + r.target + " ends the session and this run cannot reconnect");
    auto fresh = hooks_.reconnect(cluster_, peer_);
    if (!fresh.ok()) return fresh.status().WithContext("reconnect after restart " + r.target);
    provider_ = *fresh;
    Progress(nullptr, "reconnected", "reconnected after restart: " + r.target);
    return Status::Ok();
  }

  // The plan is stale when the peer's own state changed since it was made. The stores
  // another peer's cluster-wide change alters (rule U10) are compared as observed at
  // plan time while no such change has reached this peer in this run; once one has,
  // what they must show is that change's effect: an added CA present, a deleted one gone.
  Status CheckNotStale(const Actual& actual) const {
    const std::string stale = "stale plan: " + peer_.fqdn + " has changed since the plan was made; run plan again";
    if (actual.Digest(plan_.scoped_stores) != plan_.observed_digest) return Status::Failed(stale);
    if (arrived_.empty())
      return actual.StoresDigest(plan_.scoped_stores) == plan_.scoped_digest ? Status::Ok() : Status::Failed(stale);
    for (const Change* c : arrived_) {
      if (c->scope != ChangeScope::kCluster || c->kind != ChangeKind::kTrust) continue;
      const bool adding = c->action != Action::kDelete;
      const std::string want = NormalizedFingerprint(adding ? c->after_fingerprint : c->before_fingerprint);
      bool present = false;
      if (const ObservedTrustStore* store = actual.FindTrustStore(c->slot_or_store))
        for (const auto& pem : store->certificate_pems)
          if (auto cert = pki::Certificate::FromPem(pem); cert.ok())
            present = present || NormalizedFingerprint(cert->FingerprintSha256()) == want;
      if (present != adding)
        return Status::Failed("stale plan: " + peer_.fqdn + ": the cluster-wide change " + c->address + " has not " +
                              (adding ? "reached" : "been removed from") + " its trust store " + c->slot_or_store +
                              " (replication lag or failure?); run plan again");
    }
    return Status::Ok();
  }

  static std::string NormalizedFingerprint(const std::string& fp) {
    std::string out;
    for (char ch : fp)
      if (std::isxdigit(static_cast<unsigned char>(ch))) out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return out;
  }

  // A line about this peer and, when `change` is set, about that change; `outcome` says
  // where it stands (applying, verifying, verified, requested, rolled-back, ...).
  void Progress(const Change* change, const std::string& outcome, const std::string& text,
                log::Level level = log::Level::kInfo) {
    if (!hooks_.progress) return;
    hooks_.progress(level, log::Event{cluster_.name, peer_.fqdn, change ? change->address : "", outcome},
                    peer_.fqdn + ": " + text);
  }
  void Progress(const Change& change, const std::string& outcome, const std::string& text,
                log::Level level = log::Level::kInfo) {
    Progress(&change, outcome, text, level);
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
    Progress(c, "applying", std::string(ActionSymbol(c.action)) + " " + c.address);
    switch (c.kind) {
      case ChangeKind::kTrust:
        if (c.action == Action::kDelete) return provider_->RemoveTrust(c.slot_or_store, c.before_fingerprint);
        return provider_->AddTrust(c.slot_or_store, c.certificate_pem);
      case ChangeKind::kCrl:
        if (c.action == Action::kDelete) return provider_->RemoveCrl(c.slot_or_store);
        return provider_->InstallCrl(c.slot_or_store, c.certificate_pem);
      case ChangeKind::kIdentity:
        return InstallIdentity(c);
      case ChangeKind::kSetting:
        return provider_->ApplySetting(c.slot_or_store, c.setting_after);
      case ChangeKind::kBackups:  // Run applies these last
        return provider_->RemoveLeftoverBackups(c.slot_or_store, c.remove_files);
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
      if (s.ok()) Progress(c, "requested", "request for " + slot->slot + " handed over to issuer " + issuer->name);
      return s;
    };
    const catalogue::PlatformCatalogue* platform = hooks_.catalogue ? hooks_.catalogue->Find(cluster_.platform) : nullptr;
    const NewIdentityContext ctx{*provider_, *issuer, **signer, *slot, *order, c, observed_.FindSlot(slot->slot),
                                 hand_over, platform && platform->limits.self_signed_new_key};
    auto made = MakeNewIdentity(ctx);
    if (!made.ok()) return made.status();
    if (!*made) return Status::Ok();  // a request went out; nothing to install until the CA answers
    NewIdentity& identity = **made;
    identity.install.private_key_pem = identity.generated_key ? &*identity.generated_key : nullptr;
    auto backup = provider_->InstallIdentity(identity.install);
    if (!backup.ok()) return backup.status();
    installed_.push_back({&c, slot, issuer, *backup, identity.certificate, identity.chain});
    return Status::Ok();
  }

  Status Restarts() {
    for (const auto& r : plan_.restarts) {
      Progress(nullptr, "restarting", "restart: " + r.target);
      if (Status s = RestartAndReconnect(r); !s.ok()) return s;
    }
    return Status::Ok();
  }

  // Restores every identity installed so far (trust and CRL changes stand: they
  // are additive and the plan asked for them); what was restored no longer
  // counts as applied, and the history says it was rolled back.
  Status Rollback(const Status& cause, PeerOutcome& outcome) {
    if (installed_.empty()) return cause;
    std::string problems, left;
    bool restored_any = false;
    for (auto it = installed_.rbegin(); it != installed_.rend(); ++it) {
      if (!it->change->no_rollback.empty()) {
        // Honest: the platform cannot put the previous identity back (rule U8 on ucm).
        outcome.not_restored.push_back(it->change->address + ": " + it->change->no_rollback);
        left += (left.empty() ? "" : ", ") + it->slot->slot;
        // The history knows applied/requested/failed/rolled-back: "failed", with the new
        // identity that stays as its after-fingerprint, and why it stays.
        if (hooks_.record)
          hooks_.record(plan_, *it->change, "failed", it->certificate.FingerprintSha256(),
                        cause.message() + "; not rolled back: " + it->change->no_rollback);
        continue;
      }
      if (Status s = provider_->RestoreIdentity(it->backup); !s.ok()) {
        problems += "; restore " + it->slot->slot + ": " + s.message();
        continue;
      }
      restored_any = true;
      --outcome.applied;
      outcome.restored.push_back(it->change->address);
      if (hooks_.record) hooks_.record(plan_, *it->change, "rolled-back", it->change->before_fingerprint, cause.message());
    }
    if (restored_any)
      for (const auto& r : plan_.restarts)
        if (Status s = RestartAndReconnect(r); !s.ok()) problems += "; restart " + r.target + ": " + s.message();
    outcome.rolled_back = problems.empty() && left.empty();
    std::string what;
    if (restored_any) what = problems.empty() ? "rolled back" : "ROLLBACK INCOMPLETE" + problems;
    else if (!problems.empty()) what = "ROLLBACK FAILED" + problems;
    if (!left.empty()) what += (what.empty() ? "" : "; ") + ("not rolled back (the platform cannot): " + left);
    // About the one change it undid, when there was one; the history lines name each.
    const Change* only = installed_.size() == 1 ? installed_.front().change : nullptr;
    if (what == "rolled back")
      Progress(only, "rolled-back", "rolled back to the previous identity", log::Level::kWarn);
    else
      Progress(only, restored_any ? "rollback-incomplete" : left.empty() ? "rollback-failed" : "not-rolled-back", what,
               log::Level::kError);
    return Status::Failed(cause.message() + " (" + what + ")");
  }

  const PeerPlan& plan_;
  const Desired& desired_;
  const Cluster& cluster_;
  const Peer& peer_;
  const pki::Clock& clock_;
  const ExecutorHooks& hooks_;
  Provider* provider_;  // replaced when a restart drops the session (RestartAndReconnect)
  const std::vector<const Change*>& arrived_;
  WorkSlots& work_;
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
      for (const auto& left : p.not_restored) line += "\n    left in place, cannot be rolled back: " + left;
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

namespace {

// An issuer shared by clusters applied in parallel: Issue is serialised (a local CA
// counts its serials); the chain is read-only.
class LockedIssuer : public CertificateIssuer {
 public:
  LockedIssuer(CertificateIssuer& inner, std::mutex& mu) : inner_(inner), mu_(mu) {}
  const std::vector<pki::Certificate>& Chain() const override { return inner_.Chain(); }
  Result<Issued> Issue(const pki::Csr& csr, pki::SigningPolicy policy) override {
    std::lock_guard<std::mutex> g(mu_);
    return inner_.Issue(csr, std::move(policy));
  }

 private:
  CertificateIssuer& inner_;
  std::mutex& mu_;
};

// Rolls the peers of one cluster, one at a time, in plan order; the first failure
// stops the cluster (the peers after it are reported skipped).
std::vector<PeerOutcome> RunCluster(const std::vector<const PeerPlan*>& peers, const Desired& desired,
                                    const pki::Clock& clock, const ExecutorHooks& hooks, WorkSlots& work) {
  std::vector<PeerOutcome> out;
  bool failed = false;
  // Rule U10: the changes made so far in this cluster that take effect on other peers too.
  std::vector<const Change*> reaching;
  for (const PeerPlan* peer_plan : peers) {
    PeerOutcome outcome;
    outcome.cluster = peer_plan->cluster;
    outcome.peer = peer_plan->peer;
    if (peer_plan->changes.empty() && peer_plan->restarts.empty()) continue;
    if (failed) {
      outcome.ok = false;
      outcome.skipped = true;
      out.push_back(outcome);
      continue;
    }
    std::vector<const Change*> arrived;
    for (const Change* c : reaching)
      if (std::find(c->reaches.begin(), c->reaches.end(), peer_plan->peer) != c->reaches.end()) arrived.push_back(c);
    Status s;
    AtWork turn(work);
    log::ScopedPeer about(peer_plan->cluster, peer_plan->peer);  // the providers' notes name the peer
    const Cluster* cluster = desired.FindCluster(peer_plan->cluster);
    const Peer* peer = cluster ? FindPeer(*cluster, peer_plan->peer) : nullptr;
    if (!peer) {
      s = Status::InvalidInput(peer_plan->cluster + "/" + peer_plan->peer + " is not in the manifests any more");
    } else {
      auto provider = hooks.connect(*cluster, *peer);
      if (!provider.ok()) s = provider.status();
      else s = PeerRun(*peer_plan, desired, *cluster, *peer, clock, hooks, **provider, arrived, work).Run(outcome);
      if (hooks.release) hooks.release(*cluster, *peer);
    }
    for (const auto& c : peer_plan->changes)
      if (!c.reaches.empty()) reaching.push_back(&c);
    if (!s.ok()) {
      outcome.ok = false;
      outcome.error = s.message();
      failed = true;
    }
    out.push_back(outcome);
  }
  return out;
}

}  // namespace

ApplyReport Execute(const Plan& plan, const Desired& desired, const pki::Clock& clock, const ExecutorHooks& hooks) {
  // The plan's peers by cluster, clusters in order of first appearance.
  std::vector<std::string> order;
  std::map<std::string, std::vector<const PeerPlan*>> by_cluster;
  for (const auto& p : plan.peers) {
    if (!by_cluster.count(p.cluster)) order.push_back(p.cluster);
    by_cluster[p.cluster].push_back(&p);
  }
  // Clusters share the issuers: one signature at a time (a local CA's serial counter).
  std::mutex signing;
  ExecutorHooks shared = hooks;
  std::map<CertificateIssuer*, std::unique_ptr<LockedIssuer>> locked;
  shared.issuer = [&](const std::string& name) -> Result<CertificateIssuer*> {
    std::lock_guard<std::mutex> g(signing);
    auto inner = hooks.issuer(name);
    if (!inner.ok()) return inner.status();
    auto& wrapper = locked[*inner];
    if (!wrapper) wrapper = std::make_unique<LockedIssuer>(**inner, signing);
    return static_cast<CertificateIssuer*>(wrapper.get());
  };
  std::vector<std::vector<PeerOutcome>> outcomes(order.size());
  std::atomic<size_t> next{0};
  WorkSlots work(hooks.parallelism);
  auto worker = [&] {
    for (size_t i = next++; i < order.size(); i = next++)
      outcomes[i] = RunCluster(by_cluster[order[i]], desired, clock, shared, work);
  };
  const int in_flight = std::max({1, hooks.parallelism, hooks.clusters_at_once});
  const size_t threads = std::min<size_t>(static_cast<size_t>(in_flight), order.size());
  if (threads <= 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    for (size_t i = 0; i < threads; ++i) pool.emplace_back(worker);
    for (auto& t : pool) t.join();
  }
  ApplyReport report;  // in plan order, whatever order the clusters finished in
  for (auto& list : outcomes)
    for (auto& outcome : list) report.peers.push_back(std::move(outcome));
  return report;
}

}  // namespace pkiform
