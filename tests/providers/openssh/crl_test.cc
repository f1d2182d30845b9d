// The CRL file of an openssh host against a real sshd: Observe reads it,
// InstallCrl writes a bundle of several CRLs (only at the cluster's path, only
// CRLs), Restart runs the CRL file's update command.
#include <catch2/catch.hpp>

#include "reconciler/pki/crl.h"
#include "reconciler/pki/crl_bundle.h"
#include "tests/providers/openssh/openssh_fixture.h"

using namespace pkiform;
using namespace pkiform::testing;

namespace {

pki::TimePoint Now() { return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()); }

pki::Crl CrlOf(const TestCa& ca, std::vector<std::string> revoked) {
  return MustOk(pki::CreateCrl(ca.certificate, ca.key, revoked, Now(), Now() + std::chrono::hours(24)));
}

// The fixture's cluster with a CRL file in the test's directory.
std::string WithCrlFile(OpensshHost& host, const std::string& update = "") {
  CrlSettings crl;
  crl.path = host.dir() + "/tls/crl.pem";
  crl.update = update;
  host.cluster().revocation = Revocation{};
  host.cluster().revocation->crl = crl;
  return crl.path;
}

}  // namespace

TEST_CASE("observe reports a missing CRL file as absent", "[openssh][crl]") {
  OpensshHost host;
  const std::string path = WithCrlFile(host);
  auto provider = host.Provider();
  Actual actual = MustOk(provider.Observe());
  REQUIRE(actual.crls.size() == 1);
  CHECK(actual.crls[0].location == path);
  CHECK_FALSE(actual.crls[0].pem.has_value());
  CHECK(actual.FindCrl(path) == &actual.crls[0]);
}

TEST_CASE("observe reads the CRL file as it is, and its digest follows the file", "[openssh][crl]") {
  OpensshHost host;
  const std::string path = WithCrlFile(host);
  const std::string text = "# kept as found\n" + CrlOf(SharedCa(), {"0A"}).ToPem();
  WriteLocal(path, text);
  auto provider = host.Provider();
  Actual before = MustOk(provider.Observe());
  REQUIRE(before.crls.size() == 1);
  CHECK(before.crls[0].pem == text);
  WriteLocal(path, "");
  Actual empty = MustOk(provider.Observe());
  CHECK(empty.crls[0].pem == std::string());  // present but empty is not absent
  CHECK(empty.Digest() != before.Digest());
  std::filesystem::remove(path);
  CHECK(MustOk(provider.Observe()).Digest() != empty.Digest());
}

TEST_CASE("observe without a CRL path reports no CRL", "[openssh][crl]") {
  OpensshHost host;
  auto provider = host.Provider();
  CHECK(MustOk(provider.Observe()).crls.empty());
}

TEST_CASE("observe fails, naming the CRL file, when it cannot be read", "[openssh][crl]") {
  OpensshHost host;
  const std::string path = WithCrlFile(host);
  WriteLocal(path, CrlOf(SharedCa(), {}).ToPem(), 0000);
  REQUIRE(::chown(path.c_str(), 0, 0) == 0);  // root's, unreadable to the login user
  auto provider = host.Provider();
  auto actual = provider.Observe();
  REQUIRE_FALSE(actual.ok());
  CHECK(actual.status().message() == "CRL " + path + " on web1.example.com: observe: cannot read CRL file " + path +
                                         " (permission denied or not a regular file)");
}

TEST_CASE("InstallCrl writes a bundle of several CRLs, normalised, mode 0644, replacing the file", "[openssh][crl]") {
  OpensshHost host;
  const std::string path = WithCrlFile(host);
  WriteLocal(path, "old content\n", 0600);
  const pki::Crl first = CrlOf(SharedCa(), {"0A1B"});
  const pki::Crl second = CrlOf(MakeCa("second test CA"), {"01", "02"});
  auto provider = host.Provider();
  REQUIRE(provider.InstallCrl(path, first.ToPem() + "\n\n" + second.ToPem()).ok());
  CHECK(ReadLocal(path) == first.ToPem() + second.ToPem());
  CHECK(ModeOf(path) == 0644);
  auto back = MustOk(pki::ParseCrlBundle(ReadLocal(path)));
  REQUIRE(back.size() == 2);
  CHECK(back[1].RevokedSerials().size() == 2);
  // And Observe sees exactly what was written.
  CHECK(MustOk(provider.Observe()).crls[0].pem == first.ToPem() + second.ToPem());
}

TEST_CASE("InstallCrl refuses another path, non-PEM data and a bundle with a broken CRL", "[openssh][crl]") {
  OpensshHost host;
  const std::string path = WithCrlFile(host);
  const pki::Crl crl = CrlOf(SharedCa(), {});
  auto provider = host.Provider();

  Status other = provider.InstallCrl(host.dir() + "/tls/other.pem", crl.ToPem());
  CHECK(other.message() == "CRL " + host.dir() + "/tls/other.pem on web1.example.com: upload: not the CRL file "
                           "(revocation.crl.path) of cluster web-eu; refused");
  CHECK_FALSE(Exists(host.dir() + "/tls/other.pem"));

  Status der = provider.InstallCrl(path, crl.ToDer());
  CHECK(der.message() == "CRL " + path + " on web1.example.com: upload: the CRLs are not PEM");

  std::string broken = crl.ToPem();
  broken.erase(broken.find("-----END"));
  Status cut = provider.InstallCrl(path, crl.ToPem() + broken);
  CHECK(cut.message() == "CRL " + path + " on web1.example.com: upload: truncated PEM: block #2 (-----BEGIN X509 CRL-----) has no END line");
  CHECK_FALSE(Exists(path));

  host.cluster().revocation->crl->path = "relative/crl.pem";
  auto relative = host.Provider();
  CHECK_THAT(relative.InstallCrl("relative/crl.pem", crl.ToPem()).message(),
             Catch::StartsWith("CRL relative/crl.pem on web1.example.com: upload: "));
}

TEST_CASE("Restart runs the CRL file's update command, and no other", "[openssh][crl]") {
  OpensshHost host;
  WithCrlFile(host, "touch " + host.dir() + "/crl-reread");
  auto provider = host.Provider();
  REQUIRE(provider.Restart(pkiform::Restart{pkiform::RestartKind::kCommand, "touch " + host.dir() + "/crl-reread",
                                            "web-eu/web1.example.com/crl/x"})
              .ok());
  CHECK(Exists(host.dir() + "/crl-reread"));

  OpensshHost bare;  // no CRL file: its update command is nobody's
  auto plain = bare.Provider();
  Status s =
      plain.Restart(pkiform::Restart{pkiform::RestartKind::kCommand, "touch " + bare.dir() + "/crl-reread", "x"});
  CHECK_THAT(s.message(), Catch::EndsWith("; refused"));
  CHECK_FALSE(Exists(bare.dir() + "/crl-reread"));
}

TEST_CASE("the observation output must name the CRL file exactly when it was asked for", "[openssh][crl]") {
  const std::string absent = "@@pkiform encoding 0 hex\n@@pkiform crl 0 absent\n@@pkiform end 0 0\n";
  auto unasked = openssh::ReadObservation(absent, {}, {}, "web-eu", "web1.example.com");
  CHECK(unasked.status().message() ==
        "web1.example.com: observe: the output names a CRL file, which was not asked for");
  auto asked = openssh::ReadObservation(absent, {}, {}, "web-eu", "web1.example.com", "/etc/crl.pem");
  REQUIRE(asked.ok());
  REQUIRE(asked->crls.size() == 1);
  CHECK_FALSE(asked->crls[0].pem.has_value());
  auto lacking = openssh::ReadObservation("@@pkiform encoding 0 hex\n@@pkiform end 0 0\n", {}, {}, "web-eu",
                                          "web1.example.com", "/etc/crl.pem");
  CHECK(lacking.status().message() == "CRL /etc/crl.pem on web1.example.com: observe: the output lacks the CRL file");
  auto twice = openssh::ReadObservation(
      "@@pkiform encoding 0 hex\n@@pkiform crl 0 absent\n@@pkiform crl 0 absent\n@@pkiform end 0 0\n", {}, {},
      "web-eu", "web1.example.com", "/etc/crl.pem");
  CHECK_FALSE(twice.ok());
}
