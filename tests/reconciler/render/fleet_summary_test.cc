#include "reconciler/render/fleet_summary.h"

#include <catch2/catch.hpp>

#include "reconciler/manifest/loader.h"
#include "tests/support/temp_dir.h"

using namespace pkiform;
using pkiform::testing::TempDir;

TEST_CASE("the fleet summary shows manifest values escaped", "[render][fleet_summary]") {
  TempDir dir;
  const std::string file = dir.Write("m.yaml", R"(apiVersion: pkiform/v1
kind: Issuer
metadata: {name: self}
spec: {selfSigned: {}}
---
apiVersion: pkiform/v1
kind: Cluster
metadata: {name: web}
spec:
  platform: openssh
  connection: {user: deploy, agent: true}
  peers:
    - {fqdn: web1.example.com}
  identity:
    - slot: "ng\e[31minx\r\nCluster forged [openssh]"
      issuer: self
      files: {certificate: /etc/nginx/tls/server.pem}
  trust:
    - store: "/etc/ssl/\e]0;title\a.pem"
      certificates: []
)");
  DiagnosticList diags;
  LoadedManifests loaded = LoadManifests({file}, diags);
  REQUIRE_FALSE(diags.has_errors());
  const std::string summary = RenderFleetSummary(loaded);
  CHECK(summary.find('\x1b') == std::string::npos);
  CHECK(summary.find('\r') == std::string::npos);
  CHECK(summary.find("\nCluster forged") == std::string::npos);
  CHECK(summary.find("  identity ng\\x1b[31minx\\r\\nCluster forged [openssh]: issuer self") != std::string::npos);
  CHECK(summary.find("  trust /etc/ssl/\\x1b]0;title\\x07.pem: 0 CA certificates") != std::string::npos);
}
