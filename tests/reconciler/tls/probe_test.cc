#include "reconciler/tls/probe.h"

#include <catch2/catch.hpp>

#include "reconciler/pki/clock.h"
#include "reconciler/pki/signer.h"
#include "tests/support/tls_server.h"

using namespace pkiform;
using namespace std::chrono_literals;

namespace {

struct Identity {
  pki::PrivateKey ca_key, key;
  pki::Certificate ca, leaf;
};

Identity MakeIdentity(const std::string& name) {
  auto now = std::chrono::system_clock::now();
  auto ca_key = pki::PrivateKey::Generate(pki::KeySpec::Ecdsa("P-256")).value();
  pki::SigningPolicy ca_policy;
  ca_policy.subject.commonName = "Probe Test CA";
  ca_policy.isCa = true;
  ca_policy.keyUsage = {"keyCertSign", "cRLSign"};
  ca_policy.notBefore = now - 1h;
  ca_policy.validity = 48h;
  auto ca = pki::SelfSign(ca_key, ca_policy).value();
  auto key = pki::PrivateKey::Generate(pki::KeySpec::Ecdsa("P-256")).value();
  pki::SigningPolicy leaf_policy;
  leaf_policy.subject.commonName = name;
  leaf_policy.dnsNames = {name};
  leaf_policy.keyUsage = {"digitalSignature"};
  leaf_policy.extendedKeyUsage = {"serverAuth"};
  leaf_policy.notBefore = now - 1h;
  leaf_policy.validity = 24h;
  auto leaf = pki::SignPublicKey(key.get(), ca, ca_key, leaf_policy).value();
  return {std::move(ca_key), std::move(key), ca, leaf};
}

}  // namespace

TEST_CASE("the probe sees the certificate a real TLS server serves", "[tls]") {
  Identity id = MakeIdentity("web1.example.com");
  testing::TlsServer server(id.leaf, {id.ca}, id.key);
  auto served = tls::FetchServedIdentity({"127.0.0.1", server.port(), "web1.example.com"}, 3000ms);
  REQUIRE(served.ok());
  CHECK(served->leaf.FingerprintSha256() == id.leaf.FingerprintSha256());
  REQUIRE(served->chain.size() == 1);
  CHECK(served->chain[0].FingerprintSha256() == id.ca.FingerprintSha256());
}

TEST_CASE("a verifying handshake checks the anchor and the host name", "[tls]") {
  Identity id = MakeIdentity("web1.example.com");
  Identity other = MakeIdentity("web1.example.com");
  testing::TlsServer server(id.leaf, {}, id.key);
  CHECK(tls::VerifyHandshake({"127.0.0.1", server.port(), "web1.example.com"}, {id.ca}, 3000ms).ok());
  Status wrong_name = tls::VerifyHandshake({"127.0.0.1", server.port(), "web2.example.com"}, {id.ca}, 3000ms);
  CHECK_FALSE(wrong_name.ok());
  CHECK_THAT(wrong_name.message(), Catch::Contains("hostname mismatch"));
  Status wrong_ca = tls::VerifyHandshake({"127.0.0.1", server.port(), "web1.example.com"}, {other.ca}, 3000ms);
  CHECK_FALSE(wrong_ca.ok());
  CHECK_THAT(wrong_ca.message(), Catch::Contains("unable to get local issuer certificate"));
}

TEST_CASE("a closed port is reported with its address", "[tls]") {
  int port;
  {
    Identity id = MakeIdentity("x.example.com");
    testing::TlsServer server(id.leaf, {}, id.key);
    port = server.port();
  }
  auto served = tls::FetchServedIdentity({"127.0.0.1", port, ""}, 1000ms);
  REQUIRE_FALSE(served.ok());
  CHECK_THAT(served.status().message(), Catch::StartsWith("127.0.0.1:" + std::to_string(port) + ": cannot connect"));
}
