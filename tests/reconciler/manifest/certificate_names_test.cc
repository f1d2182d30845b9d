#include "reconciler/manifest/certificate_names.h"

#include <catch2/catch.hpp>

using namespace pkiform;

TEST_CASE("per-peer certificates name the peer, then the cluster", "[manifest][rule:V1]") {
  Cluster c;
  c.fqdn = "vcs.example.com";
  c.peers = {Peer{}, Peer{}};
  c.peers[0].fqdn = "vcs1.example.com";
  c.peers[1].fqdn = "vcs2.example.com";
  IdentitySlot s;
  s.extra_dns_names = {"example.com", "vcs1.example.com"};
  CHECK(CertificateNames(c, s, c.peers[1]) ==
        std::vector<std::string>{"vcs2.example.com", "vcs.example.com", "example.com", "vcs1.example.com"});
  CHECK(CommonName(c, s, c.peers[1]) == "vcs2.example.com");
}

TEST_CASE("a shared certificate lists every peer FQDN", "[manifest][rule:V1]") {
  Cluster c;
  c.fqdn = "vcs.example.com";
  c.peers = {Peer{}, Peer{}};
  c.peers[0].fqdn = "vcs1.example.com";
  c.peers[1].fqdn = "vcs2.example.com";
  IdentitySlot s;
  s.sans = "shared";
  CHECK(CertificateNames(c, s, c.peers[0]) ==
        std::vector<std::string>{"vcs.example.com", "vcs1.example.com", "vcs2.example.com"});
}
