// Shared by the status tests: a CA that can sign CRLs, certificates of a chosen
// lifetime, and a small Desired (one cluster, two peers, one CA issuer).
#pragma once

#include <chrono>
#include <string>

#include "reconciler/manifest/model.h"
#include "reconciler/pki/crl.h"
#include "reconciler/pki/key.h"
#include "reconciler/pki/signer.h"
#include "tests/support/must.h"

namespace pkiform::statustest {

inline pki::TimePoint Now() {
  return testing::Must(pki::ParseRfc3339Utc("2027-01-01T00:00:00Z"));
}
inline std::chrono::hours Days(int n) { return std::chrono::hours(24 * n); }

struct TestCa {
  pki::PrivateKey key;
  pki::Certificate cert;

  static TestCa Make(const std::string& cn) {
    auto key = testing::Must(pki::PrivateKey::Generate(pki::KeySpec::Ecdsa("P-256")));
    pki::SigningPolicy p;
    p.subject.commonName = cn;
    p.isCa = true;
    p.keyUsage = {"keyCertSign", "cRLSign"};
    p.notBefore = Now() - Days(365);
    p.validity = Days(3650);
    auto cert = testing::Must(pki::SelfSign(key, p));
    return {std::move(key), std::move(cert)};
  }
  // A leaf for `cn` valid until Now() + days_left.
  pki::Certificate Leaf(const std::string& cn, int days_left) const {
    auto k = testing::Must(pki::PrivateKey::Generate(pki::KeySpec::Ecdsa("P-256")));
    pki::SigningPolicy p;
    p.subject.commonName = cn;
    p.notBefore = Now() - Days(10);
    p.validity = Days(10 + days_left);
    return testing::Must(pki::SignPublicKey(k.get(), cert, key, p));
  }
  // A CRL whose nextUpdate is Now() + days.
  std::string CrlPem(int days) const {
    return testing::Must(pki::CreateCrl(cert, key, {}, Now() - Days(1), Now() + Days(days))).ToPem();
  }
};

inline Desired SmallDesired(const std::vector<std::string>& distribution_points = {}) {
  Desired d;
  Issuer is;
  is.name = "corp-ca";
  is.kind = Issuer::Kind::kCa;
  is.crl_distribution_points = distribution_points;
  d.issuers.push_back(is);
  Cluster c;
  c.name = "web";
  c.platform = "openssh";
  for (const char* fqdn : {"web1.example.com", "web2.example.com"}) {
    Peer p;
    p.fqdn = fqdn;
    c.peers.push_back(p);
  }
  d.clusters.push_back(c);
  return d;
}

}  // namespace pkiform::statustest
