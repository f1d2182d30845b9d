#include "reconciler/status/build_status.h"

#include "reconciler/pki/certificate_file.h"
#include "reconciler/planner/target.h"
#include "reconciler/status/crl_check.h"

namespace pkiform::status {
namespace {

CertificateStatus Describe(const std::string& kind, const std::string& name, const pki::Certificate& c,
                           pki::TimePoint now) {
  CertificateStatus s;
  s.kind = kind;
  s.name = name;
  s.present = true;
  s.subject = c.Subject().ToString();
  s.issuer = c.Issuer().ToString();
  s.fingerprint = c.FingerprintSha256();
  s.not_after = c.NotAfter();
  s.days_left = DaysBetween(now, c.NotAfter());
  return s;
}

// An entry that could not be read is still listed, with why in its subject.
CertificateStatus Unreadable(const std::string& kind, const std::string& name, const Status& why) {
  CertificateStatus s;
  s.kind = kind;
  s.name = name;
  s.present = true;
  s.subject = "(unreadable: " + why.message() + ")";
  return s;
}

const PeerPlan* FindPeerPlan(const Plan* plan, const std::string& cluster, const std::string& peer) {
  if (!plan) return nullptr;
  for (const auto& p : plan->peers)
    if (p.cluster == cluster && p.peer == peer) return &p;
  return nullptr;
}

// In sync unless the plan changes this slot, or removes this trust entry.
void MarkSync(CertificateStatus& s, const Plan* plan, const PeerPlan* pp) {
  if (!plan) return;
  s.in_sync = true;
  if (!pp) return;
  // A change deferred to a maintenance window is drift all the same.
  std::vector<const Change*> changes;
  for (const auto& ch : pp->changes) changes.push_back(&ch);
  for (const auto& ch : pp->deferred) changes.push_back(&ch);
  for (const Change* change : changes) {
    const Change& ch = *change;
    const bool identity = s.kind == "identity" && ch.kind == ChangeKind::kIdentity && ch.slot_or_store == s.name;
    const bool trust = s.kind == "trust" && ch.kind == ChangeKind::kTrust && ch.slot_or_store == s.name &&
                       ch.action == Action::kDelete && ch.before_fingerprint == s.fingerprint;
    if (identity || trust) {
      s.in_sync = false;
      s.out_of_sync = ch.reason;
      return;
    }
  }
}

std::vector<CrlSigner> Signers(const std::map<std::string, std::vector<pki::Certificate>>& chains) {
  std::vector<CrlSigner> out;
  for (const auto& [name, certs] : chains)
    for (size_t i = 0; i < certs.size(); ++i)
      out.push_back({i == 0 ? name : name + " (chain: " + certs[i].Subject().ToString() + ")", certs[i]});
  return out;
}

PeerStatus ObservedPeer(const Cluster& c, const Actual& a, const StatusInput& in, const std::vector<CrlSigner>& signers) {
  PeerStatus p;
  p.fqdn = a.peer;
  p.reachable = true;
  const PeerPlan* pp = FindPeerPlan(in.plan, c.name, a.peer);
  for (const auto& slot : a.slots) {
    CertificateStatus s;
    if (slot.certificate_pem) {
      auto cert = pki::Certificate::FromPem(*slot.certificate_pem);
      s = cert.ok() ? Describe("identity", slot.slot, *cert, in.now) : Unreadable("identity", slot.slot, cert.status());
    } else {
      s.kind = "identity";
      s.name = slot.slot;
    }
    MarkSync(s, in.plan, pp);
    p.certificates.push_back(std::move(s));
  }
  for (const auto& store : a.trust)
    for (const auto& pem : store.certificate_pems) {
      auto certs = pki::ParseCertificates(pem);
      if (!certs.ok()) {
        p.certificates.push_back(Unreadable("trust", store.store, certs.status()));
        continue;
      }
      for (const auto& cert : *certs) {
        CertificateStatus s = Describe("trust", store.store, cert, in.now);
        MarkSync(s, in.plan, pp);
        p.certificates.push_back(std::move(s));
      }
    }
  const std::chrono::seconds margin =
      c.revocation && c.revocation->crl && c.revocation->crl->warn_before.length.count() > 0
          ? c.revocation->crl->warn_before.length
          : std::chrono::duration_cast<std::chrono::seconds>(kCrlWarnMargin);
  for (const auto& crl : a.crls) {
    if (!crl.pem) {
      CrlStatus none;
      none.source = "uploaded";
      none.location = crl.location;
      none.error = "no CRL file on the peer";
      p.crls.push_back(std::move(none));
      continue;
    }
    for (auto& s : CheckCrlFile(*crl.pem, "uploaded", crl.location, signers, in.now, margin))
      p.crls.push_back(std::move(s));
  }
  if (pp) {
    for (const auto& ch : pp->changes) p.pending.push_back(ch.address + ": " + ch.reason);
    for (const auto& ch : pp->deferred)
      p.pending.push_back(ch.address + ": " + ch.reason + " (deferred until " + pp->deferred_until + ")");
  }
  return p;
}

// --target cluster/peer/item: the plan covered that item only, so only it is reported
// (a slot or trust store by name; the CRL file as "crl", its path or "crl/<path>").
void KeepItem(PeerStatus& p, const std::string& item) {
  std::erase_if(p.certificates, [&](const CertificateStatus& c) { return c.name != item; });
  std::erase_if(p.crls, [&](const CrlStatus& c) {
    return item != "crl" && item != c.location && item != "crl/" + c.location;
  });
}

std::vector<CrlStatus> DistributionPoints(const StatusInput& in) {
  std::vector<CrlStatus> out;
  for (const auto& is : in.desired.issuers) {
    auto chain = in.issuer_chains.find(is.name);
    std::vector<CrlSigner> own;  // a distribution point's CRL must be its issuer's
    if (chain != in.issuer_chains.end() && !chain->second.empty()) own.push_back({is.name, chain->second[0]});
    for (const auto& url : is.crl_distribution_points) {
      auto body = in.fetched.find(url);
      std::vector<CrlStatus> found;
      if (body == in.fetched.end() || !body->second.ok()) {
        CrlStatus bad;
        bad.source = "distribution point";
        bad.location = url;
        bad.error = body == in.fetched.end() ? "not fetched" : body->second.status().message();
        found.push_back(std::move(bad));
      } else {
        found = CheckCrlFile(*body->second, "distribution point", url, own, in.now,
                             std::chrono::duration_cast<std::chrono::seconds>(kCrlWarnMargin));
      }
      for (auto& f : found) {
        if (f.issuer.empty() && f.error.empty()) f.signature = "not signed by issuer " + is.name;
        f.issuer = is.name;  // the issuer that names this point, whoever signed it
        out.push_back(std::move(f));
      }
    }
  }
  return out;
}

}  // namespace

Result<FleetStatus> BuildFleetStatus(const StatusInput& in) {
  planner::Target target;
  if (!in.target.empty()) {
    auto t = planner::ParseTarget(in.target);
    if (!t.ok()) return t.status();
    target = *t;
  }
  FleetStatus fs;
  fs.now = in.now;
  fs.sync_unknown = in.plan ? "" : in.plan_unavailable;
  const std::vector<CrlSigner> signers = Signers(in.issuer_chains);
  for (const auto& c : in.desired.clusters) {
    if (!target.Cluster(c.name)) continue;
    ClusterStatus cs;
    cs.name = c.name;
    cs.platform = c.platform;
    for (const auto& peer : c.peers) {
      if (!target.Peer(c.name, peer.fqdn)) continue;
      const Actual* seen = nullptr;
      for (const auto& a : in.observed)
        if (a.cluster == c.name && a.peer == peer.fqdn) seen = &a;
      if (seen) {
        cs.peers.push_back(ObservedPeer(c, *seen, in, signers));
        if (!target.item.empty()) KeepItem(cs.peers.back(), target.item);
        continue;
      }
      PeerStatus p;
      p.fqdn = peer.fqdn;
      auto why = in.peer_errors.find(c.name + "/" + peer.fqdn);
      p.error = why == in.peer_errors.end() ? "not observed" : why->second;
      cs.peers.push_back(std::move(p));
    }
    fs.clusters.push_back(std::move(cs));
  }
  fs.distribution_points = DistributionPoints(in);
  return fs;
}

}  // namespace pkiform::status
