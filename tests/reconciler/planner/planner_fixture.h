// Shared fixtures for the planner tests: a small corporate PKI (root, issuing CA,
// an unrelated CA) with fixed times, leaf certificates made to order, and a fleet
// (Desired + observations) whose one openssh peer is exactly in the desired state,
// so that each test breaks one thing and checks the plan says so.
#pragma once

#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "reconciler/catalogue/catalogue.h"
#include "reconciler/manifest/model.h"
#include "reconciler/pki/signer.h"
#include "reconciler/plan/actual.h"
#include "reconciler/planner/planner.h"
#include "tests/reconciler/pki/pki_test_support.h"

namespace pkiform::planner::testing {

using pki::testing::At;
using pki::testing::Days;
using pki::testing::Must;
using pki::testing::NewP256Key;
using pki::testing::SharedRsa2048Key;

// 2026-06-01: the leaf below was issued a month ago and expires 2027-05-01.
inline pki::TimePoint Now() { return At("2026-06-01T00:00:00Z"); }

inline pki::DistinguishedName Dn(const std::string& cn, const std::string& o = "Example Ltd",
                                 const std::string& c = "GB") {
  pki::DistinguishedName n;
  n.commonName = cn;
  n.organization = o;
  n.country = c;
  return n;
}

struct Ca {
  pki::PrivateKey key;
  pki::Certificate cert;
};

inline pki::SigningPolicy CaPolicy(const std::string& cn, int days) {
  pki::SigningPolicy p;
  p.subject = Dn(cn);
  p.isCa = true;
  p.keyUsage = {"keyCertSign", "cRLSign"};
  p.notBefore = At("2025-01-01T00:00:00Z");
  p.validity = Days(days);
  return p;
}

inline const Ca& Root() {
  static const Ca ca = [] {
    pki::PrivateKey key = NewP256Key();
    return Ca{key, Must(pki::SelfSign(key, CaPolicy("Corp Root CA", 3652)))};
  }();
  return ca;
}

inline const Ca& Issuing() {
  static const Ca ca = [] {
    pki::PrivateKey key = NewP256Key();
    return Ca{key, Must(pki::SignPublicKey(key.get(), Root().cert, Root().key, CaPolicy("Corp Issuing CA", 1826)))};
  }();
  return ca;
}

// Another CA with nothing to do with corp-ca.
inline const Ca& Other() {
  static const Ca ca = [] {
    pki::PrivateKey key = NewP256Key();
    return Ca{key, Must(pki::SelfSign(key, CaPolicy("Other CA", 3652)))};
  }();
  return ca;
}

struct LeafSpec {
  pki::DistinguishedName subject = Dn("web1.example.com");
  std::vector<std::string> dns = {"web1.example.com", "web.example.com"};
  std::set<std::string> ku = {"digitalSignature"};
  std::set<std::string> eku = {"serverAuth"};
  pki::TimePoint not_before = At("2026-05-01T00:00:00Z");
  int days = 365;
};

inline pki::SigningPolicy LeafPolicy(const LeafSpec& s) {
  pki::SigningPolicy p;
  p.subject = s.subject;
  p.dnsNames = s.dns;
  p.keyUsage = s.ku;
  p.extendedKeyUsage = s.eku;
  p.notBefore = s.not_before;
  p.validity = Days(s.days);
  return p;
}

inline pki::Certificate IssueLeaf(const pki::PrivateKey& key, const LeafSpec& spec = {}, const Ca& ca = Issuing()) {
  return Must(pki::SignPublicKey(key.get(), ca.cert, ca.key, LeafPolicy(spec)));
}

inline const pki::PrivateKey& LeafKey() {
  static const pki::PrivateKey key = NewP256Key();
  return key;
}

inline const catalogue::Catalogue& Catalogue() {
  const auto& c = catalogue::BuiltinCatalogue();
  INFO(c.status().ToString());
  REQUIRE(c.ok());
  return *c;
}

inline constexpr const char* kRootPath = "/repo/ca/root.pem";
inline constexpr const char* kStore = "/usr/local/share/ca-certificates/corp.crt";

inline IdentitySlot NginxSlot(const std::string& name = "nginx") {
  IdentitySlot s;
  s.slot = name;
  s.issuer = "corp-ca";
  s.subject.organization = "Example Ltd";
  s.subject.country = "GB";
  s.key.algorithm = "ecdsa";
  s.key.curve = "P-256";
  s.key.location = "appliance";
  s.duration = Duration{Days(90), std::nullopt, "90d"};
  s.renew_before = Duration{Days(30), std::nullopt, "30d"};
  s.files = SlotFiles{};
  s.files->certificate = "/etc/nginx/tls/" + name + ".pem";
  s.files->chain = "/etc/nginx/tls/" + name + "-chain.pem";
  s.files->private_key = "/etc/nginx/tls/" + name + ".key";
  s.reload = "nginx -s reload";
  return s;
}

inline Peer MakePeer(const std::string& fqdn, const std::string& address = "", const std::string& role = "") {
  Peer p;
  p.fqdn = fqdn;
  p.address = address;
  p.role = role;
  return p;
}

inline ObservedSlot GoodSlot(const std::string& name = "nginx", const std::string& peer = "web1.example.com") {
  LeafSpec spec;
  spec.subject = Dn(peer);
  spec.dns = {peer, "web.example.com"};
  ObservedSlot s;
  s.slot = name;
  s.certificate_pem = IssueLeaf(LeafKey(), spec).ToPem();
  s.chain_pems = {Issuing().cert.ToPem(), Root().cert.ToPem()};
  s.key_public_digest = LeafKey().PublicKeyDigest();
  return s;
}

// One openssh cluster, web-eu (fqdn web.example.com), with one peer, web1, whose
// nginx identity and CA bundle are exactly what the manifest asks.
struct Fleet {
  Desired desired;
  std::vector<Actual> observed;
  std::map<std::string, std::vector<pki::Certificate>> issuer_chains;
  std::map<std::string, std::vector<std::string>> trust_pems;
  std::string target;
  ExternalFilesFn external;

  Fleet() {
    Issuer ca;
    ca.name = "corp-ca";
    ca.kind = Issuer::Kind::kCa;
    ca.certificate = FileRef{"ca/issuing.pem", "/repo/ca/issuing.pem", {}};
    ca.chain = {FileRef{"ca/root.pem", kRootPath, {}}};
    desired.issuers.push_back(ca);
    issuer_chains["corp-ca"] = {Issuing().cert, Root().cert};

    Cluster c;
    c.name = "web-eu";
    c.platform = "openssh";
    c.fqdn = "web.example.com";
    c.peers = {MakePeer("web1.example.com", "192.0.2.21")};
    c.identity = {NginxSlot()};
    TrustStore t;
    t.store = kStore;
    t.certificates = {FileRef{"ca/root.pem", kRootPath, {}}};
    t.update = "update-ca-certificates";
    c.trust = {t};
    desired.clusters.push_back(c);
    trust_pems[kRootPath] = {Root().cert.ToPem()};

    Actual a;
    a.cluster = "web-eu";
    a.peer = "web1.example.com";
    a.slots = {GoodSlot()};
    a.trust = {ObservedTrustStore{kStore, {Root().cert.ToPem()}, {}}};
    observed.push_back(a);
  }

  Cluster& cluster(size_t i = 0) { return desired.clusters.at(i); }
  Actual& actual(size_t i = 0) { return observed.at(i); }
  ObservedSlot& slot(size_t peer = 0, size_t i = 0) { return observed.at(peer).slots.at(i); }

  PlanInput Input(pki::TimePoint now = Now()) const {
    return PlanInput{desired, observed, Catalogue(), issuer_chains, now, target, external, trust_pems, "digest"};
  }
  Result<Plan> MakePlan(pki::TimePoint now = Now()) const { return planner::MakePlan(Input(now)); }
  Plan MustPlan(pki::TimePoint now = Now()) const { return Must(MakePlan(now)); }
};

// A UCM cluster of a publisher and a subscriber (subscriber listed first, so that the
// publisher is found by role, not by position) with nothing but trust stores.
inline Fleet UcmTrustFleet(const std::string& store = "tomcat-trust") {
  Fleet f;
  Cluster& c = f.cluster();
  c.name = "cucm";
  c.platform = "ucm";
  c.product = "unified-cm";
  c.platform_version = "14SU3";
  c.identity.clear();
  TrustStore t;
  t.store = store;
  t.certificates = {FileRef{"ca/root.pem", kRootPath, {}}};
  c.trust = {t};
  c.peers = {MakePeer("cucm2.example.com", "", "subscriber"), MakePeer("cucm1.example.com", "", "publisher")};
  f.observed.clear();
  for (const auto* fqdn : {"cucm2.example.com", "cucm1.example.com"}) {
    Actual a;
    a.cluster = "cucm";
    a.peer = fqdn;
    f.observed.push_back(a);
  }
  return f;
}

// Every change of the plan, in order.
inline std::vector<Change> Changes(const Plan& plan) {
  std::vector<Change> out;
  for (const auto& p : plan.peers) out.insert(out.end(), p.changes.begin(), p.changes.end());
  return out;
}

// The one change of the plan (the test fails if there are more or none).
inline Change OnlyChange(const Plan& plan) {
  const auto changes = Changes(plan);
  REQUIRE(changes.size() == 1);
  return changes.front();
}

// The reason of the one change the fleet needs at `now`.
inline std::string Reason(const Fleet& fleet, pki::TimePoint now = Now()) { return OnlyChange(fleet.MustPlan(now)).reason; }

inline std::vector<std::string> RestartTargets(const PeerPlan& p) {
  std::vector<std::string> out;
  for (const auto& r : p.restarts) out.push_back(r.target);
  return out;
}

}  // namespace pkiform::planner::testing
