// An in-memory Provider for the executor's unit tests: it keeps each peer's
// Actual in a FakeFleet shared by the peers of a test, records every call in
// order ("cucm1: add-trust tomcat-trust"), replicates trust additions and
// deletions of the stores the test names to every peer of the fleet (rule U10),
// and fails the call whose text starts with what a test names.
#pragma once

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "providers/provider.h"
#include "reconciler/pki/certificate.h"

namespace pkiform::testing {

struct FakeFleet {
  std::mutex mu;
  std::map<std::string, Actual> peers;     // by FQDN
  std::set<std::string> replicated;        // stores whose additions reach every peer
  std::set<std::string> deleted_everywhere;  // stores whose deletions reach every peer
  std::vector<std::string> calls;          // "peer: call ..." in order
  std::set<std::string> fail;              // a call whose text ("peer: restart X") starts with one of these fails
  bool restore_fails = false;
  std::vector<pkiform::Restart> restarts;  // as Restart received them (timeouts included)

  // Called (outside the lock) at every call, before it is carried out.
  std::function<void(const std::string&)> on_call;

  void Call(const std::string& text) {
    {
      std::lock_guard<std::mutex> g(mu);
      calls.push_back(text);
    }
    if (on_call) on_call(text);
  }
  bool Fails(const std::string& text) {
    std::lock_guard<std::mutex> g(mu);
    for (const auto& f : fail)
      if (text.rfind(f, 0) == 0) return true;
    return false;
  }
  // The calls of one peer, without the "peer: " prefix.
  std::vector<std::string> CallsOf(const std::string& peer) {
    std::lock_guard<std::mutex> g(mu);
    std::vector<std::string> out;
    for (const auto& c : calls)
      if (c.rfind(peer + ": ", 0) == 0) out.push_back(c.substr(peer.size() + 2));
    return out;
  }
};

class FakeProvider : public Provider {
 public:
  FakeProvider(FakeFleet& fleet, std::string peer) : fleet_(fleet), peer_(std::move(peer)) {}

  Result<Actual> Observe() override {
    if (Status s = Step("observe"); !s.ok()) return s;
    std::lock_guard<std::mutex> g(fleet_.mu);
    return fleet_.peers.at(peer_);
  }
  Result<std::string> GenerateCsr(const CsrOnPeer& r) override {
    return Status::Unsupported("fake: no CSR on the peer (" + r.slot + ")");
  }
  Result<std::string> SelfSignPending(const SelfSignOnPeer& r) override {
    return Status::Unsupported("fake: no self-signing on the peer (" + r.slot + ")");
  }
  Result<IdentityBackup> InstallIdentity(const IdentityInstall& install) override {
    if (Status s = Step("install " + install.slot); !s.ok()) return s;
    std::lock_guard<std::mutex> g(fleet_.mu);
    Actual& a = fleet_.peers.at(peer_);
    IdentityBackup backup;
    backup.slot = install.slot;
    auto it = std::find_if(a.slots.begin(), a.slots.end(), [&](const ObservedSlot& s) { return s.slot == install.slot; });
    if (it == a.slots.end()) {
      ObservedSlot fresh;
      fresh.slot = install.slot;
      a.slots.push_back(fresh);
      it = a.slots.end() - 1;
    }
    backup.had_identity = it->certificate_pem.has_value();
    if (it->certificate_pem) backup.saved = {*it->certificate_pem};
    it->certificate_pem = install.certificate_pem;
    it->chain_pems = install.chain_pems;
    return backup;
  }
  Status RestoreIdentity(const IdentityBackup& backup) override {
    if (Status s = Step("restore " + backup.slot); !s.ok()) return s;
    std::lock_guard<std::mutex> g(fleet_.mu);
    if (fleet_.restore_fails) return Status::Failed("fake: restore refused");
    for (auto& s : fleet_.peers.at(peer_).slots)
      if (s.slot == backup.slot) {
        if (backup.saved.empty()) s.certificate_pem.reset();
        else s.certificate_pem = backup.saved.front();
      }
    return Status::Ok();
  }
  Status DiscardBackup(const IdentityBackup& backup) override { return Step("discard " + backup.slot); }
  Status RemoveLeftoverBackups(const std::string& slot, const std::vector<std::string>&) override {
    return Step("remove-backups " + slot);
  }
  Status AddTrust(const std::string& store, const std::string& pem) override {
    if (Status s = Step("add-trust " + store); !s.ok()) return s;
    std::lock_guard<std::mutex> g(fleet_.mu);
    for (auto& [fqdn, a] : fleet_.peers)
      if (fqdn == peer_ || fleet_.replicated.count(store)) StoreOf(a, store).certificate_pems.push_back(pem);
    return Status::Ok();
  }
  Status RemoveTrust(const std::string& store, const std::string& fingerprint) override {
    if (Status s = Step("remove-trust " + store); !s.ok()) return s;
    std::lock_guard<std::mutex> g(fleet_.mu);
    for (auto& [fqdn, a] : fleet_.peers) {
      if (fqdn != peer_ && !fleet_.deleted_everywhere.count(store)) continue;
      auto& pems = StoreOf(a, store).certificate_pems;
      pems.erase(std::remove_if(pems.begin(), pems.end(),
                                [&](const std::string& p) {
                                  auto c = pki::Certificate::FromPem(p);
                                  return c.ok() && c->FingerprintSha256() == fingerprint;
                                }),
                 pems.end());
    }
    return Status::Ok();
  }
  Status InstallCrl(const std::string& location, const std::string&) override { return Step("install-crl " + location); }
  Status ApplySetting(const std::string& name, const std::string& value) override {
    if (Status s = Step("set " + name + "=" + value); !s.ok()) return s;
    std::lock_guard<std::mutex> g(fleet_.mu);
    fleet_.peers.at(peer_).settings[name] = value;
    return Status::Ok();
  }
  Status Restart(const pkiform::Restart& restart) override {
    {
      std::lock_guard<std::mutex> g(fleet_.mu);
      fleet_.restarts.push_back(restart);
    }
    return Step("restart " + restart.target);
  }

 private:
  static ObservedTrustStore& StoreOf(Actual& a, const std::string& store) {
    for (auto& t : a.trust)
      if (t.store == store) return t;
    a.trust.push_back(ObservedTrustStore{store, {}, {}});
    return a.trust.back();
  }
  Status Step(const std::string& what) {
    const std::string text = peer_ + ": " + what;
    fleet_.Call(text);
    if (fleet_.Fails(text)) return Status::Failed("fake: " + what + " failed");
    return Status::Ok();
  }

  FakeFleet& fleet_;
  std::string peer_;
};

}  // namespace pkiform::testing
