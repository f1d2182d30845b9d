// A rig for the executor's unit tests: a FakeFleet of in-memory peers, hooks that
// hand out FakeProviders, sign self-signed identities locally, and fake the TLS
// verification (a test names the "peer: slot" pairs whose verification fails),
// and what the hooks were told (history records, progress lines).
#pragma once

#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "reconciler/executor/executor.h"
#include "tests/reconciler/executor/fake_provider.h"
#include "tests/reconciler/planner/planner_fixture.h"

namespace pkiform::testing {

using planner::testing::Now;

// selfSigned issuers never call Issue: the executor signs with the new key itself.
class NoIssuer : public CertificateIssuer {
 public:
  const std::vector<pki::Certificate>& Chain() const override { return chain_; }
  Result<Issued> Issue(const pki::Csr&, pki::SigningPolicy) override { return Status::Unsupported("fake issuer"); }

 private:
  std::vector<pki::Certificate> chain_;
};

inline Issuer SelfIssuer() {
  Issuer i;
  i.name = "self";
  i.kind = Issuer::Kind::kSelfSigned;
  return i;
}

inline IdentitySlot GeneratedSlot(const std::string& name) {
  IdentitySlot s;
  s.slot = name;
  s.issuer = "self";
  s.key.algorithm = "ecdsa";
  s.key.location = "generated";
  return s;
}

inline Change IdentityChange(const std::string& cluster, const std::string& peer, const std::string& slot) {
  Change c;
  c.address = cluster + "/" + peer + "/identity/" + slot;
  c.action = Action::kReplace;
  c.kind = ChangeKind::kIdentity;
  c.slot_or_store = slot;
  return c;
}

inline Change TrustAdd(const std::string& cluster, const std::string& peer, const std::string& store,
                       const pki::Certificate& ca) {
  Change c;
  c.address = cluster + "/" + peer + "/trust/" + store + "/" + ca.FingerprintSha256();
  c.action = Action::kCreate;
  c.kind = ChangeKind::kTrust;
  c.slot_or_store = store;
  c.after_fingerprint = ca.FingerprintSha256();
  c.certificate_pem = ca.ToPem();
  return c;
}

struct Rig {
  FakeFleet fleet;
  std::map<std::string, std::unique_ptr<FakeProvider>> providers;
  std::set<std::string> verify_fails;  // "peer: slot"
  std::mutex mu;
  std::vector<std::string> records;   // "address outcome"
  std::vector<std::string> progress;
  NoIssuer signer;
  pki::FixedClock clock{Now()};

  // A peer in the fleet with an identity in `slots` (empty PEM: none yet).
  void AddPeer(const std::string& cluster, const std::string& fqdn, const std::vector<std::string>& slots = {}) {
    Actual a;
    a.cluster = cluster;
    a.peer = fqdn;
    for (const auto& s : slots) {
      ObservedSlot o;
      o.slot = s;
      o.certificate_pem = "old " + s + " of " + fqdn;
      a.slots.push_back(o);
    }
    fleet.peers[fqdn] = a;
  }

  // The digests a plan made now would record for `fqdn`.
  void Stamp(PeerPlan& p) {
    const Actual& a = fleet.peers.at(p.peer);
    p.observed_digest = a.Digest(p.scoped_stores);
    p.scoped_digest = a.StoresDigest(p.scoped_stores);
  }

  ExecutorHooks Hooks() {
    ExecutorHooks h;
    h.connect = [this](const Cluster&, const Peer& p) -> Result<Provider*> {
      std::lock_guard<std::mutex> g(mu);
      auto& slot = providers[p.fqdn];
      if (!slot) slot = std::make_unique<FakeProvider>(fleet, p.fqdn);
      return slot.get();
    };
    h.reconnect = [this](const Cluster&, const Peer& p) -> Result<Provider*> {
      fleet.Call(p.fqdn + ": reconnect");
      std::lock_guard<std::mutex> g(mu);
      auto& slot = providers[p.fqdn];
      slot = std::make_unique<FakeProvider>(fleet, p.fqdn);  // the old one is gone with its session
      return slot.get();
    };
    h.issuer = [this](const std::string&) -> Result<CertificateIssuer*> { return &signer; };
    h.order = [](const Cluster&, const Peer& p, const IdentitySlot&) -> Result<IdentityOrder> {
      IdentityOrder o;
      o.csr.subject.commonName = p.fqdn;
      o.key = pki::KeySpec::Ecdsa("P-256");
      o.policy.subject = o.csr.subject;
      o.policy.validity = std::chrono::hours(24 * 30);
      return o;
    };
    h.verify = [this](const Cluster&, const Peer& p, const IdentitySlot& s, const pki::Certificate&,
                      const std::vector<pki::Certificate>&) -> Status {
      const std::string what = p.fqdn + ": verify " + s.slot;
      fleet.Call(what);
      if (verify_fails.count(p.fqdn + ": " + s.slot)) return Status::Failed("does not serve the new certificate");
      return Status::Ok();
    };
    h.record = [this](const PeerPlan&, const Change& c, const std::string& outcome, const std::string&,
                      const std::string&) {
      std::lock_guard<std::mutex> g(mu);
      records.push_back(c.address + " " + outcome);
    };
    h.progress = [this](log::Level, const log::Event&, const std::string& line) {
      std::lock_guard<std::mutex> g(mu);
      progress.push_back(line);
    };
    return h;
  }

  ApplyReport Run(const Plan& plan, const Desired& desired) { return Execute(plan, desired, clock, Hooks()); }
};

}  // namespace pkiform::testing
