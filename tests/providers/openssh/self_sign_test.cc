// SelfSignPending against a real sshd: the pending CSR is signed on the host by
// its own key, which never leaves the host; then InstallIdentity puts it in place.
#include <catch2/catch.hpp>

#include "providers/openssh/self_sign_script.h"
#include "tests/providers/openssh/openssh_fixture.h"

using namespace pkiform;
using namespace pkiform::testing;

TEST_CASE("SelfSignPending signs the pending CSR with its own key on the host", "[openssh][selfsigned]") {
  OpensshHost host;
  auto provider = host.Provider();
  const pki::Csr csr = MustOk(pki::Csr::FromPem(MustOk(provider.GenerateCsr(OpensshHost::Request()))));

  const std::string pem = MustOk(provider.SelfSignPending({"nginx", std::chrono::hours(24 * 90), "5eed0001", std::nullopt, {}}));
  CHECK(pem.find("PRIVATE KEY") == std::string::npos);
  const pki::Certificate cert = MustOk(pki::Certificate::FromPem(pem));
  CHECK(cert.IsSelfSigned());
  CHECK(cert.PublicKeyDigest() == csr.PublicKeyDigest());
  CHECK(cert.Subject().commonName == "web1.example.com");
  CHECK(cert.DnsNames() == std::vector<std::string>{"web1.example.com", "web.example.com"});
  CHECK(cert.KeyUsage() == std::set<std::string>{"digitalSignature"});
  CHECK(cert.ExtendedKeyUsage() == std::set<std::string>{"serverAuth"});
  CHECK_FALSE(cert.IsCa());
  CHECK(cert.SerialHex() == "5EED0001");
  const auto lifetime = cert.NotAfter() - cert.NotBefore();
  CHECK(lifetime == std::chrono::hours(24 * 90));

  // Nothing is installed by signing; the pending key goes in with the certificate.
  CHECK_FALSE(Exists(host.key()));
  IdentityInstall install;
  install.slot = "nginx";
  install.certificate_pem = pem;
  install.use_pending_key = true;
  MustOk(provider.InstallIdentity(install));
  Actual actual = MustOk(provider.Observe());
  REQUIRE(actual.slots[0].certificate_pem.has_value());
  CHECK(*actual.slots[0].certificate_pem == pem);
  CHECK(actual.slots[0].key_public_digest == csr.PublicKeyDigest());
  CHECK_FALSE(actual.slots[0].pending_csr_pem.has_value());
}

TEST_CASE("SelfSignPending without a pending CSR fails and names the file", "[openssh][selfsigned]") {
  OpensshHost host;
  auto provider = host.Provider();
  auto r = provider.SelfSignPending({"nginx", std::chrono::hours(24), "01", std::nullopt, {}});
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.status().message(), Catch::StartsWith("nginx on web1.example.com: self-sign the pending CSR: openssl "
                                                     "failed with exit status 3: no pending key at "));
}

TEST_CASE("the self-sign script refuses bad serials and validities", "[openssh][selfsigned]") {
  CHECK_FALSE(openssh::BuildSelfSignScript("/k.pem", std::chrono::hours(24), "").ok());
  CHECK_FALSE(openssh::BuildSelfSignScript("/k.pem", std::chrono::hours(24), "12; rm -rf /").ok());
  CHECK_FALSE(openssh::BuildSelfSignScript("/k.pem", std::chrono::seconds(0), "01").ok());
  CHECK(openssh::ValidityDays(std::chrono::hours(24)) == 1);
  CHECK(openssh::ValidityDays(std::chrono::hours(25)) == 2);
  CHECK(openssh::BuildSelfSignScript("/k.pem", std::chrono::hours(24), "0a").ok());
}
