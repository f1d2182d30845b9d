// AddTrust and RemoveTrust against a real sshd, for a bundle file and a directory.
#include <catch2/catch.hpp>

#include "providers/openssh/trust_store_files.h"
#include "tests/providers/openssh/openssh_fixture.h"

using namespace pkiform;
using namespace pkiform::testing;

namespace {

const pki::Certificate& SecondCa() {
  static const pki::Certificate ca = MakeCa("second test CA").certificate;
  return ca;
}

std::vector<std::string> Observed(OpensshHost& host, size_t store) {
  auto provider = host.Provider();
  return MustOk(provider.Observe()).trust.at(store).certificate_pems;
}

}  // namespace

TEST_CASE("trust in a bundle file: add creates and appends, remove keeps the rest", "[openssh]") {
  OpensshHost host;
  auto provider = host.Provider();
  const std::string a = SharedCa().certificate.ToPem(), b = SecondCa().ToPem();

  REQUIRE(provider.AddTrust(host.bundle(), a).ok());
  CHECK(ReadLocal(host.bundle()) == a);
  CHECK(ModeOf(host.bundle()) == 0644);

  // An existing bundle with comments keeps them and its mode.
  WriteLocal(host.bundle(), "# corporate roots\n" + a, 0640);
  REQUIRE(provider.AddTrust(host.bundle(), b).ok());
  CHECK(ReadLocal(host.bundle()) == "# corporate roots\n" + a + b);
  CHECK(ModeOf(host.bundle()) == 0640);
  CHECK(Observed(host, 0) == std::vector<std::string>{a, b});

  // Adding what is there changes nothing.
  REQUIRE(provider.AddTrust(host.bundle(), a).ok());
  CHECK(ReadLocal(host.bundle()) == "# corporate roots\n" + a + b);

  // Removal by fingerprint, in the colon form or bare.
  REQUIRE(provider.RemoveTrust(host.bundle(), SharedCa().certificate.FingerprintSha256()).ok());
  CHECK(ReadLocal(host.bundle()) == "# corporate roots\n" + b);
  CHECK(ModeOf(host.bundle()) == 0640);
  CHECK(Observed(host, 0) == std::vector<std::string>{b});
  REQUIRE(provider.RemoveTrust(host.bundle(), SharedCa().certificate.FingerprintSha256()).ok());  // already gone
  CHECK(ReadLocal(host.bundle()) == "# corporate roots\n" + b);
}

TEST_CASE("trust in a directory: one pkiform file per CA, removal finds any file holding the CA", "[openssh]") {
  OpensshHost host;
  auto provider = host.Provider();
  const pki::Certificate& a = SharedCa().certificate;
  const std::string ours = host.directory() + "/" + openssh::DirectoryEntryNameFor(a.FingerprintSha256());
  CHECK_THAT(ours, Catch::Matches(".*/pkiform-[0-9a-f]{16}\\.crt"));

  REQUIRE(provider.AddTrust(host.directory(), a.ToPem()).ok());
  CHECK(ReadLocal(ours) == a.ToPem());
  CHECK(ModeOf(ours) == 0644);
  // A CA the administrator put there under a name of their own, and a file that holds both.
  WriteLocal(host.directory() + "/corp-root.pem", SecondCa().ToPem());
  WriteLocal(host.directory() + "/both.crt", "# two\n" + SecondCa().ToPem() + a.ToPem());
  WriteLocal(host.directory() + "/notes.txt", SecondCa().ToPem());  // neither *.pem nor *.crt: not a CA file
  CHECK(Observed(host, 1).size() == 4);

  REQUIRE(provider.RemoveTrust(host.directory(), SecondCa().FingerprintSha256()).ok());
  CHECK_FALSE(Exists(host.directory() + "/corp-root.pem"));
  CHECK(ReadLocal(host.directory() + "/both.crt") == "# two\n" + a.ToPem());
  CHECK(Exists(host.directory() + "/notes.txt"));
  CHECK(Observed(host, 1) == std::vector<std::string>{a.ToPem(), a.ToPem()});

  REQUIRE(provider.RemoveTrust(host.directory(), a.FingerprintSha256()).ok());
  CHECK_FALSE(Exists(ours));
  CHECK_FALSE(Exists(host.directory() + "/both.crt"));
  CHECK(Observed(host, 1).empty());
}

TEST_CASE("trust changes name the store and refuse stores the cluster does not have", "[openssh]") {
  OpensshHost host;
  auto provider = host.Provider();
  Status unknown = provider.AddTrust(host.dir() + "/elsewhere.pem", SharedCa().certificate.ToPem());
  REQUIRE_FALSE(unknown.ok());
  CHECK_THAT(unknown.message(),
             Catch::StartsWith("trust store " + host.dir() + "/elsewhere.pem on web1.example.com: add "));
  CHECK_FALSE(Exists(host.dir() + "/elsewhere.pem"));

  Status bad = provider.RemoveTrust(host.bundle(), "not-a-fingerprint");
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.message(), Catch::EndsWith("not a SHA-256 fingerprint"));

  // A bundle the login user cannot write: the SFTP error, with context.
  WriteLocal(host.bundle(), SharedCa().certificate.ToPem());
  REQUIRE(::chown(host.dir().c_str(), 0, 0) == 0);
  REQUIRE(::chown((host.dir() + "/trust").c_str(), 0, 0) == 0);
  Status denied = provider.AddTrust(host.bundle(), SecondCa().ToPem());
  REQUIRE_FALSE(denied.ok());
  CHECK_THAT(denied.message(), Catch::StartsWith("trust store " + host.bundle() + " on web1.example.com: add " +
                                                 SecondCa().FingerprintSha256() + ": "));
}
