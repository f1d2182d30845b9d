// The simulated DMS appliance over TLS (`pkiform-sim tls`): a real handshake presents the
// identity; a new self-signed identity from the AAI is served at once; an expired identity
// is refused (seed, Restrictions > Expiration).
#include <catch2/catch.hpp>

#include "tests/sim/dms_test_support.h"

namespace pkiform::simtest {

TEST_CASE("dms appliance serves its identity over HTTPS and refuses web connections once it has expired",
          "[sim][dms]") {
  testing::TempDir tmp;
  DmsBox box(tmp.path() / "sns1", {"sns1.example.com", "127.0.103.20"});
  TlsDaemon daemon({box.dir}, tmp.path() / "tls.log");
  auto first = PeerCertificate(box.spec.address, box.httpsPort, kRsaSigalgs);
  REQUIRE(first);
  CHECK(*first == box.Identity());

  // GENERATE_NEW_CERT, 24 months: the next connection presents it.
  box.Aai(ToCertificateManagement(1) + kEnter + Fill({"Video", "Example", "Oslo", "Oslo", "NO", "24"}) + kEnter);
  auto renewed = box.Identity();
  CHECK_FALSE(renewed == *first);
  auto second = PeerCertificate(box.spec.address, box.httpsPort, kRsaSigalgs);
  REQUIRE(second);
  CHECK(*second == renewed);

  // An identity that expired yesterday: no handshake at all.
  auto key = pki::PrivateKey::Generate(pki::KeySpec::Rsa(2048));
  REQUIRE(key.ok());
  pki::SigningPolicy p;
  p.subject.commonName = box.spec.fqdn;
  p.notBefore = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) -
                std::chrono::hours(24 * 30);
  p.validity = std::chrono::hours(24 * 29);
  auto expired = pki::SelfSign(*key, p);
  REQUIRE(expired.ok());
  auto keyPem = key->ToPem();
  REQUIRE(keyPem.ok());
  {
    std::ofstream(box.dir / "keystore" / "identity.key") << keyPem->str();
    std::ofstream(box.dir / "keystore" / "identity.pem") << expired->ToPem();
  }
  CHECK_FALSE(PeerCertificate(box.spec.address, box.httpsPort, kRsaSigalgs));
}

}  // namespace pkiform::simtest
