// InstallCrl against a real sshd.
#include <catch2/catch.hpp>

#include "reconciler/pki/crl.h"
#include "tests/providers/openssh/openssh_fixture.h"

using namespace pkiform;
using namespace pkiform::testing;

TEST_CASE("InstallCrl uploads the PEM 0644", "[openssh]") {
  OpensshHost host;
  auto provider = host.Provider();
  auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  pki::Crl crl =
      MustOk(pki::CreateCrl(SharedCa().certificate, SharedCa().key, {"0A1B"}, now, now + std::chrono::hours(24)));
  const std::string path = host.dir() + "/issuing.crl";
  REQUIRE(provider.InstallCrl(path, crl.ToPem() + "\n\n").ok());
  CHECK(ReadLocal(path) == crl.ToPem());
  CHECK(ModeOf(path) == 0644);
  Status relative = provider.InstallCrl("issuing.crl", crl.ToPem());
  REQUIRE_FALSE(relative.ok());
  CHECK_THAT(relative.message(), Catch::StartsWith("CRL issuing.crl on web1.example.com: upload: "));
}
