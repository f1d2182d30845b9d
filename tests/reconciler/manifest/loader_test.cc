#include "reconciler/manifest/loader.h"

#include <catch2/catch.hpp>

#include <algorithm>

#include "reconciler/diag/render.h"
#include "tests/support/temp_dir.h"

using namespace pkiform;
using pkiform::testing::TempDir;

namespace {

const char* kIssuer = R"(apiVersion: pkiform/v1
kind: Issuer
metadata: {name: corp-ca}
spec:
  ca: {certificate: ca/issuing.pem, chain: [ca/root.pem], privateKey: ca/issuing.key}
)";

const char* kCluster = R"(apiVersion: pkiform/v1
kind: Cluster
metadata: {name: web}
spec:
  platform: openssh
  connection: {user: deploy}
  peers:
    - {fqdn: web1.example.com, address: 127.0.0.2}
  identity:
    - slot: nginx
      issuer: corp-ca
      subject: {organization: Example Ltd, country: GB}
      key: {algorithm: ecdsa}
      files: {certificate: /etc/nginx/tls/server.pem}
      reload: nginx -s reload
)";

std::string Rendered(const DiagnosticList& d, const LoadedManifests& m) {
  DiagnosticList sorted = d;
  sorted.Sort();
  return RenderDiagnostics(sorted, m.sources);
}

}  // namespace

TEST_CASE("a directory loads every *.yaml below it, sorted, skipping hidden entries", "[manifest]") {
  TempDir dir;
  dir.Write("m/b/cluster.yaml", kCluster);
  dir.Write("m/a-issuer.yaml", kIssuer);
  dir.Write("m/.hidden.yaml", "this: is not read");
  dir.Write("m/.git/x.yaml", "neither: is this");
  dir.Write("m/ci.yml", "not: a manifest");
  DiagnosticList diags;
  LoadedManifests m = LoadManifests({(dir.path() / "m").string()}, diags);
  INFO(Rendered(diags, m));
  CHECK(diags.items().empty());
  REQUIRE(m.files.size() == 2);
  CHECK(m.files[0].ends_with("m/a-issuer.yaml"));
  CHECK(m.files[1].ends_with("m/b/cluster.yaml"));
  REQUIRE(m.desired.issuers.size() == 1);
  REQUIRE(m.desired.clusters.size() == 1);
}

TEST_CASE("paths resolve against the manifest's folder and defaults are applied", "[manifest]") {
  TempDir dir;
  dir.Write("repo/issuers/corp.yaml", kIssuer);
  dir.Write("repo/clusters/web.yaml", kCluster);
  DiagnosticList diags;
  LoadedManifests m = LoadManifests({(dir.path() / "repo").string()}, diags);
  REQUIRE(diags.items().empty());
  const Issuer& is = m.desired.issuers[0];
  REQUIRE(is.certificate);
  CHECK(is.certificate->written == "ca/issuing.pem");
  CHECK(is.certificate->path == (dir.path() / "repo/issuers/ca/issuing.pem").string());
  CHECK(is.certificate->where.line == 5);
  const Cluster& c = m.desired.clusters[0];
  CHECK(c.connection.port == 22);
  const IdentitySlot& s = c.identity[0];
  CHECK(s.key.algorithm == "ecdsa");
  CHECK(s.key.curve == "P-256");
  CHECK(s.key.location == "appliance");
  CHECK(s.sans == "per-peer");
  CHECK(s.duration.text == "365d");
  CHECK(s.renew_before.text == "30d");
  CHECK(s.subject.at("country").line == 12);
  CHECK(c.restarts.verify == "tls");
}

TEST_CASE("an openssh CRL file: upload paths resolve, path and update are read as written", "[manifest][crl]") {
  TempDir dir;
  dir.Write("repo/web.yaml", std::string(kCluster) + R"(  revocation:
    crl:
      upload: [crl/root.crl, /abs/issuing.crl]
      path: /etc/nginx/tls/crl.pem
      update: nginx -s reload
)");
  DiagnosticList diags;
  LoadedManifests m = LoadManifests({(dir.path() / "repo").string()}, diags);
  INFO(Rendered(diags, m));
  REQUIRE(diags.items().empty());
  REQUIRE(m.desired.clusters[0].revocation);
  REQUIRE(m.desired.clusters[0].revocation->crl);
  const CrlSettings& crl = *m.desired.clusters[0].revocation->crl;
  REQUIRE(crl.upload.size() == 2);
  CHECK(crl.upload[0].path == (dir.path() / "repo/crl/root.crl").string());
  CHECK(crl.upload[1].path == "/abs/issuing.crl");
  CHECK(crl.path == "/etc/nginx/tls/crl.pem");  // on the host: never resolved against the repository
  CHECK(crl.update == "nginx -s reload");
  CHECK(crl.at("path").line == 19);
  CHECK(crl.at("update").line == 20);
}

TEST_CASE("every schema problem of every document is reported with its position", "[manifest]") {
  TempDir dir;
  std::string f = dir.Write("bad.yaml", R"(apiVersion: pkiform/v1
kind: Cluster
metadata: {name: Web_1}
spec:
  platform: vsc
  connection: {user: admin, port: 70000}
  peers: []
---
apiVersion: pkiform/v2
kind: Issuer
metadata: {name: x}
spec: {selfSigned: {}, external: {requests: r, certificates: c}}
)");
  DiagnosticList diags;
  LoadedManifests m = LoadManifests({f}, diags);
  diags.Sort();
  std::vector<std::string> got;
  for (const auto& d : diags.items())
    got.push_back(std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + " " + d.message);
  CHECK(got == std::vector<std::string>{
                   "3:18 'Web_1' is not a valid name (lower-case letters, digits and '-')",
                   "5:13 'vsc' is not a valid spec.platform; expected one of: vcs, ucm, dms, openssh (did you mean 'vcs'?)",
                   "6:35 spec.connection.port must be at most 65535, found 70000",
                   "7:10 spec.peers needs at least 1 item",
                   "9:13 apiVersion must be 'pkiform/v1', found 'pkiform/v2'",
                   "12:1 spec takes exactly one of: ca, selfSigned, external; found 2",
               });
  CHECK(m.desired.clusters.empty());
  CHECK(m.desired.issuers.empty());
}

TEST_CASE("broken YAML is reported at its position and other files still load", "[manifest]") {
  TempDir dir;
  dir.Write("m/a.yaml", "apiVersion: pkiform/v1\nkind: [Issuer\n");
  dir.Write("m/b.yaml", kIssuer);
  DiagnosticList diags;
  LoadedManifests m = LoadManifests({(dir.path() / "m").string()}, diags);
  REQUIRE(diags.items().size() == 1);
  CHECK(diags.items()[0].rule == "yaml");
  CHECK(diags.items()[0].where.line == 3);
  CHECK(m.desired.issuers.size() == 1);
}

TEST_CASE("duplicate names and duplicate keys are errors", "[manifest]") {
  TempDir dir;
  std::string f = dir.Write("dup.yaml", std::string(kIssuer) + "---\n" + kIssuer +
                                            "---\napiVersion: pkiform/v1\napiVersion: pkiform/v1\nkind: Issuer\n"
                                            "metadata: {name: y}\nspec: {selfSigned: {}}\n");
  DiagnosticList diags;
  LoadedManifests m = LoadManifests({f}, diags);
  diags.Sort();
  REQUIRE(diags.items().size() == 2);
  CHECK(diags.items()[0].message == "duplicate Issuer 'corp-ca': first defined at " + f + ":3");
  CHECK(diags.items()[1].message == "duplicate key 'apiVersion' in the document");
  CHECK(m.desired.issuers.size() == 1);
}

TEST_CASE("a missing path and an empty directory are reported", "[manifest]") {
  TempDir dir;
  std::filesystem::create_directories(dir.path() / "empty");
  DiagnosticList diags;
  LoadManifests({(dir.path() / "nope.yaml").string(), (dir.path() / "empty").string()}, diags);
  REQUIRE(diags.items().size() == 2);
  CHECK(diags.items()[0].message == "no such file or directory");
  CHECK(diags.items()[1].message == "no *.yaml manifest in this directory");
}

namespace {

// A file of `count` Cluster documents (about 700 bytes each), big enough to be read in pieces.
std::string ManyClusters(int count, int bad_at) {
  std::string text = std::string(kIssuer);
  for (int i = 0; i < count; ++i) {
    std::string c = kCluster;
    c.replace(c.find("{name: web}"), 11, "{name: web-" + std::to_string(i) + "}");
    if (i == bad_at) c.replace(c.find("platform: openssh"), 17, "platform: vsc");
    text += "---\n" + c;
  }
  return text;
}

}  // namespace

TEST_CASE("a large file is read in pieces with every problem at the file's own line", "[manifest][P4]") {
  TempDir dir;
  dir.Write("ca/issuing.pem", "x");
  const std::string text = ManyClusters(700, 517);
  REQUIRE(text.size() > 256 * 1024);
  const std::string f = dir.Write("m/all.yaml", text);
  DiagnosticList diags;
  LoadedManifests m = LoadManifests({f}, diags);
  CHECK(m.documents == 701);
  CHECK(m.desired.clusters.size() == 699);
  REQUIRE(m.desired.clusters.size() > 500);
  CHECK(m.desired.clusters[0].name == "web-0");
  CHECK(m.desired.clusters[500].name == "web-500");  // the file's order
  CHECK(m.desired.clusters[517].name == "web-518");  // web-517 was not built
  std::vector<std::string> errors;
  for (const auto& d : diags.items())
    if (d.severity == Severity::kError) errors.push_back(std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + " " + d.message);
  // The bad platform's line, counted in the whole file.
  const size_t at = text.find("platform: vsc");
  const int line = static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n')) + 1;
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].rfind(std::to_string(line) + ":13 'vsc' is not a valid spec.platform", 0) == 0);
}

TEST_CASE("a syntax error in a large file is reported once, where the whole file has it", "[manifest][P4]") {
  TempDir dir;
  std::string text = ManyClusters(700, -1);
  const size_t at = text.rfind("reload: nginx -s reload");
  text.insert(at, "kind: [Issuer\n      ");
  const std::string f = dir.Write("m/all.yaml", text);
  DiagnosticList diags;
  LoadedManifests m = LoadManifests({f}, diags);
  REQUIRE(diags.items().size() == 1);
  CHECK(diags.items()[0].rule == "yaml");
  CHECK(m.desired.clusters.empty());  // as when read whole: a file that is not YAML gives nothing
}
