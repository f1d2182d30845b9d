// The dms staging block (spec.staging): how the builder reads it, and the checks the
// bad-input cases do not show one by one (tests/bad-input/cases/244-... show the messages).
#include <catch2/catch.hpp>

#include "reconciler/diag/render.h"
#include "reconciler/rules/checks.h"
#include "reconciler/rules/load_and_check.h"
#include "tests/support/temp_dir.h"

using namespace pkiform;
using pkiform::testing::TempDir;

namespace {

std::string Dms(const std::string& connection_extra, const std::string& staging) {
  return "apiVersion: pkiform/v1\nkind: Cluster\nmetadata: {name: dms}\nspec:\n  platform: dms\n"
         "  connection: {user: admin, passwordEnv: DMS_PASSWORD" +
         connection_extra +
         "}\n"
         "  peers:\n    - {fqdn: dms.example.com}\n" +
         staging;
}

const char* kStaging =
    "  staging:\n"
    "    host: sftp.example.com\n"
    "    user: dms\n"
    "    path: /srv/dms\n"
    "    passwordEnv: STAGING_PASSWORD\n"
    "    keystorePassphraseEnv: KEYSTORE_PASS\n";

struct Checked {
  LoadedManifests loaded;
  DiagnosticList diags;
  std::string Rendered() const {
    DiagnosticList sorted = diags;
    sorted.Sort();
    return RenderDiagnostics(sorted, loaded.sources);
  }
};

Checked Check(const TempDir& dir) {
  Checked c;
  pki::FixedClock clock(pki::TimePoint{});
  c.loaded = LoadAndCheck({(dir.path() / "m").string()}, clock, c.diags);
  return c;
}

}  // namespace

TEST_CASE("staging: defaults, and knownHosts taken from the connection unless written", "[manifest][rules][rule:D16]") {
  TempDir dir;
  dir.Write("m/ssh/known_hosts",
            "sftp.example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIOgnhS0vGxFq7XJ8pZlYS5XJw1Wm0GGz9QFGMMqkg0s\n");
  dir.Write("m/dms.yaml", Dms(", knownHosts: ssh/known_hosts", kStaging));
  Checked c = Check(dir);
  INFO(c.Rendered());
  CHECK(c.diags.items().empty());
  REQUIRE(c.loaded.desired.clusters.size() == 1);
  REQUIRE(c.loaded.desired.clusters[0].staging);
  const StagingServer& st = *c.loaded.desired.clusters[0].staging;
  CHECK(st.host == "sftp.example.com");
  CHECK(st.port == 22);
  CHECK(st.protocol == "sftp");
  CHECK(st.user == "dms");
  CHECK(st.path == "/srv/dms");
  CHECK(st.password_env == "STAGING_PASSWORD");
  CHECK(st.keystore_passphrase_env == "KEYSTORE_PASS");
  REQUIRE(st.known_hosts);
  CHECK_FALSE(st.known_hosts_written);
  CHECK(st.known_hosts->path == (dir.path() / "m/ssh/known_hosts").string());
  // The connection's file is reported at the connection, once: the staging block does not name it again.
  CHECK(StagingFileRefs(st).empty());
}

TEST_CASE("staging: its own files resolve against the manifest's folder and are checked",
          "[manifest][rules][rule:D14]") {
  TempDir dir;
  dir.Write("m/secrets/keystore-pass", "secret\n");
  dir.Write("m/staging_known_hosts", "-----BEGIN CERTIFICATE-----\n");
  dir.Write("m/dms.yaml", Dms("",
                              "  staging: {host: 192.0.2.40, port: 2222, user: dms, path: /srv/dms, passwordFile: "
                              "secrets/missing, keystorePassphraseFile: secrets/keystore-pass, knownHosts: "
                              "staging_known_hosts}\n"));
  Checked c = Check(dir);
  const std::string out = c.Rendered();
  INFO(out);
  REQUIRE(c.loaded.desired.clusters.size() == 1);
  const StagingServer& st = *c.loaded.desired.clusters[0].staging;
  CHECK(st.port == 2222);
  CHECK(st.known_hosts_written);
  CHECK(st.keystore_passphrase_file->path == (dir.path() / "m/secrets/keystore-pass").string());
  CHECK(StagingFileRefs(st).size() == 3);
  CHECK(out.find("secrets/missing: cannot read file: No such file or directory [ref]") != std::string::npos);
  CHECK(out.find("staging_known_hosts is not a known_hosts file") != std::string::npos);
  CHECK(c.diags.items().size() == 2);  // the keystore passphrase file is a regular file: nothing to say
}

TEST_CASE("staging: a path is refused for '..' segments and control characters, not for dots in names",
          "[manifest][rules][rule:D16]") {
  for (const auto& [path, refused] : std::vector<std::pair<std::string, bool>>{{"/srv/dms..backup/a.b", false},
                                                                               {"/srv/..", true},
                                                                               {"/srv/../etc", true},
                                                                               {"/", false},
                                                                               {"\"/srv/a\\tb\"", true},
                                                                               {"/srv/.../x", false}}) {
    TempDir dir;
    dir.Write("m/dms.yaml", Dms("", "  staging: {host: sftp.example.com, user: dms, path: " + path +
                                        ", passwordEnv: P, keystorePassphraseEnv: K}\n"));
    Checked c = Check(dir);
    INFO(path << "\n" << c.Rendered());
    CHECK(!c.diags.items().empty() == refused);
  }
}
