// The plan as text: a small plan rendered exactly, with and without colour.
#include "reconciler/render/plan_text.h"

#include <catch2/catch.hpp>

namespace pkiform {
namespace {

Change MakeChange(Action action, ChangeKind kind, const std::string& what, const std::string& reason) {
  Change c;
  c.action = action;
  c.kind = kind;
  c.slot_or_store = what;
  c.reason = reason;
  c.address = "x/" + what;
  return c;
}

Plan SmallPlan() {
  PeerPlan web1;
  web1.cluster = "web-eu";
  web1.peer = "web1.example.com";
  Change add = MakeChange(Action::kCreate, ChangeKind::kTrust, "/etc/ssl/corp.pem", "not in the trust store");
  add.after = {"subject: CN=Corp Root CA, O=Example Ltd", "fingerprint: AB:CD:EF:01"};
  add.after_fingerprint = "AB:CD:EF:01";
  Change replace = MakeChange(Action::kReplace, ChangeKind::kIdentity, "nginx",
                              "certificate expires 2026-12-01, within renewBefore 30d");
  replace.before = {"subject: CN=web1.example.com", "not after: 2026-12-01"};
  replace.after = {"subject: CN=web1.example.com", "not after: 2027-03-01"};
  Change remove = MakeChange(Action::kDelete, ChangeKind::kTrust, "/etc/ssl/corp.pem", "not in the manifest (prune)");
  remove.before = {"subject: CN=Old Root"};
  remove.before_fingerprint = "12:34:56";
  web1.changes = {add, replace, remove};
  web1.restarts = {{RestartKind::kCommand, "update-ca-certificates", add.address},
                   {RestartKind::kCommand, "nginx -s reload", replace.address}};
  web1.follow_ups = {"Tell the web team"};
  web1.notes = {"something to know"};

  PeerPlan web2;  // nothing to do: not shown
  web2.cluster = "web-eu";
  web2.peer = "web2.example.com";

  PeerPlan vcs1;
  vcs1.cluster = "vcs-emea";
  vcs1.peer = "vcs1.example.com";
  Change wait = MakeChange(Action::kCreate, ChangeKind::kIdentity, "server", "no certificate installed");
  wait.waiting_for = "a signed certificate for vcs1.example.com server from issuer corp-ext";
  vcs1.changes = {wait};
  vcs1.restarts = {{RestartKind::kAppliance, "VCS", wait.address}};

  Plan plan;
  plan.peers = {web1, web2, vcs1};
  return plan;
}

TEST_CASE("plan text, without colour, exactly", "[planner][render]") {
  CHECK(RenderPlanText(SmallPlan(), false) ==
        "# web-eu/web1.example.com\n"
        "  + trust /etc/ssl/corp.pem  CN=Corp Root CA, O=Example Ltd (AB:CD:\u2026)\n"
        "      # not in the trust store\n"
        "      + subject: CN=Corp Root CA, O=Example Ltd\n"
        "      + fingerprint: AB:CD:EF:01\n"
        "  -/+ identity nginx\n"
        "      # certificate expires 2026-12-01, within renewBefore 30d\n"
        "      - subject: CN=web1.example.com\n"
        "      - not after: 2026-12-01\n"
        "      + subject: CN=web1.example.com\n"
        "      + not after: 2027-03-01\n"
        "  - trust /etc/ssl/corp.pem  CN=Old Root (12:34:\u2026)\n"
        "      # not in the manifest (prune)\n"
        "      - subject: CN=Old Root\n"
        "  restarts: update-ca-certificates, nginx -s reload\n"
        "  follow-up: Tell the web team\n"
        "  note: something to know\n"
        "\n"
        "# vcs-emea/vcs1.example.com\n"
        "  + identity server\n"
        "      # no certificate installed\n"
        "      # waiting for a signed certificate for vcs1.example.com server from issuer corp-ext\n"
        "  restarts: VCS (appliance)\n"
        "\n"
        "Plan: 2 to add, 1 to change, 1 to remove, 3 restarts.\n");
}

TEST_CASE("plan text with colour marks each action", "[planner][render]") {
  const std::string text = RenderPlanText(SmallPlan(), true);
  CHECK(text.find("  \x1b[32m+\x1b[0m trust /etc/ssl/corp.pem") != std::string::npos);
  CHECK(text.find("  \x1b[33m-/+\x1b[0m identity nginx") != std::string::npos);
  CHECK(text.find("  \x1b[31m-\x1b[0m trust /etc/ssl/corp.pem") != std::string::npos);
  CHECK(text.find("\x1b[31m- subject: CN=web1.example.com\x1b[0m") != std::string::npos);
  CHECK(text.find("\x1b[32m+ subject: CN=web1.example.com\x1b[0m") != std::string::npos);
  CHECK(RenderPlanText(SmallPlan(), false).find('\x1b') == std::string::npos);
}

TEST_CASE("plan text: an update is a yellow tilde", "[planner][render]") {
  Plan plan;
  plan.peers.push_back(PeerPlan{});
  plan.peers[0].cluster = "c";
  plan.peers[0].peer = "p";
  plan.peers[0].changes = {MakeChange(Action::kUpdate, ChangeKind::kCrl, "/etc/crl.pem", "")};
  CHECK(RenderPlanText(plan, false) == "# c/p\n  ~ crl /etc/crl.pem\n\nPlan: 0 to add, 1 to change, 0 to remove, 0 restarts.\n");
  CHECK(RenderPlanText(plan, true).find("\x1b[33m~\x1b[0m crl") != std::string::npos);
}

TEST_CASE("plan text: a CRL file shows its CRLs and the file's fingerprints; the summary counts it",
          "[planner][render][crl]") {
  Plan plan;
  plan.peers.push_back(PeerPlan{});
  plan.peers[0].cluster = "web";
  plan.peers[0].peer = "web1";
  Change create = MakeChange(Action::kCreate, ChangeKind::kCrl, "/etc/crl.pem", "no CRL file on the host");
  create.after = {"CN=Root: thisUpdate 2026-06-01, nextUpdate 2026-07-01, 0 revoked"};
  create.after_fingerprint = "AB:CD:EF";
  plan.peers[0].changes = {create};
  plan.peers[0].restarts = {{RestartKind::kCommand, "nginx -s reload", create.address}};
  plan.peers.push_back(plan.peers[0]);
  plan.peers[1].peer = "web2";
  Change& update = plan.peers[1].changes[0];
  update.action = Action::kUpdate;
  update.reason = "CRL of CN=Root is older on the host: thisUpdate 2026-05-01 < 2026-06-01";
  update.before = {"CN=Root: thisUpdate 2026-05-01, nextUpdate 2026-06-01, 0 revoked"};
  update.before_fingerprint = "12:34:56";
  CHECK(RenderPlanText(plan, false) ==
        "# web/web1\n"
        "  + crl /etc/crl.pem  (AB:CD:\u2026)\n"
        "      # no CRL file on the host\n"
        "      + CN=Root: thisUpdate 2026-06-01, nextUpdate 2026-07-01, 0 revoked\n"
        "  restarts: nginx -s reload\n"
        "\n"
        "# web/web2\n"
        "  ~ crl /etc/crl.pem  (12:34:\u2026 -> AB:CD:\u2026)\n"
        "      # CRL of CN=Root is older on the host: thisUpdate 2026-05-01 < 2026-06-01\n"
        "      - CN=Root: thisUpdate 2026-05-01, nextUpdate 2026-06-01, 0 revoked\n"
        "      + CN=Root: thisUpdate 2026-06-01, nextUpdate 2026-07-01, 0 revoked\n"
        "  restarts: nginx -s reload\n"
        "\n"
        "Plan: 1 to add, 1 to change, 0 to remove, 2 restarts.\n");
}

TEST_CASE("plan text: leftover backups are a removal listing each file", "[planner][render][backups]") {
  Plan plan;
  plan.peers.push_back(PeerPlan{});
  plan.peers[0].cluster = "web";
  plan.peers[0].peer = "web1";
  Change backups = MakeChange(Action::kDelete, ChangeKind::kBackups, "nginx",
                              "backup files left by an interrupted apply; removed, never restored");
  backups.before = {"/etc/nginx/tls/server.pem.pkiform-backup", "/etc/nginx/tls/server.key.pkiform-backup"};
  backups.remove_files = backups.before;
  plan.peers[0].changes = {backups};
  CHECK(RenderPlanText(plan, false) ==
        "# web/web1\n"
        "  - backups nginx\n"
        "      # backup files left by an interrupted apply; removed, never restored\n"
        "      - /etc/nginx/tls/server.pem.pkiform-backup\n"
        "      - /etc/nginx/tls/server.key.pkiform-backup\n"
        "\n"
        "Plan: 0 to add, 0 to change, 1 to remove, 0 restarts.\n");
}

TEST_CASE("plan text: one restart is singular", "[planner][render]") {
  Plan plan = SmallPlan();
  plan.peers.resize(1);
  plan.peers[0].restarts.resize(1);
  const std::string text = RenderPlanText(plan, false);
  CHECK(text.substr(text.rfind("Plan:")) == "Plan: 1 to add, 1 to change, 1 to remove, 1 restart.\n");
}

TEST_CASE("plan text: nothing to do", "[planner][render]") {
  Plan plan;
  plan.peers.push_back(PeerPlan{});
  plan.peers[0].cluster = "web-eu";
  plan.peers[0].peer = "web1.example.com";
  CHECK(RenderPlanText(plan, false) == "No changes. The fleet matches the manifests.\n");
  CHECK(RenderPlanText(Plan{}, true) == "No changes. The fleet matches the manifests.\n");
}

}  // namespace
}  // namespace pkiform

namespace pkiform {

TEST_CASE("plan text escapes what hosts and manifests put in it", "[planner][render]") {
  // A subject, a path and a reason holding terminal escapes and line breaks, as a hostile
  // host's certificate or a manifest could carry them: printed as visible text, one line each.
  PeerPlan web1;
  web1.cluster = "web";
  web1.peer = "web1.example.com";
  Change c;
  c.action = Action::kReplace;
  c.kind = ChangeKind::kIdentity;
  c.slot_or_store = "nginx\x1b[2J";
  c.reason = "subject differs: O is 'Evil\x1b]0;pwned\x07', want 'Example'";
  c.before = {"subject: CN=web1\r\nweb2.example.com: + forged line"};
  c.address = "web/web1.example.com/identity/nginx";
  web1.changes = {c};
  web1.notes = {"note\x9b" "31m"};
  Plan plan;
  plan.peers = {web1};
  const std::string text = RenderPlanText(plan, false);
  INFO(text);
  CHECK(text.find('\x1b') == std::string::npos);
  CHECK(text.find('\r') == std::string::npos);
  CHECK(text.find("\xc2\x9b") == std::string::npos);
  CHECK(text.find("  -/+ identity nginx\\x1b[2J\n") != std::string::npos);
  CHECK(text.find("O is 'Evil\\x1b]0;pwned\\x07'") != std::string::npos);
  CHECK(text.find("- subject: CN=web1\\r\\nweb2.example.com: + forged line\n") != std::string::npos);
}

}  // namespace pkiform

namespace pkiform {
namespace {

TEST_CASE("plan text: a cluster-wide change says how many nodes it reaches", "[planner][render][rule:U10]") {
  Plan plan;
  plan.peers.push_back(PeerPlan{});
  plan.peers[0].cluster = "cucm";
  plan.peers[0].peer = "cucm1";
  Change add = MakeChange(Action::kCreate, ChangeKind::kTrust, "tomcat-trust", "not in the trust store");
  add.scope = ChangeScope::kCluster;
  add.reaches = {"cucm1", "cucm2", "cucm3"};
  Change capf = MakeChange(Action::kCreate, ChangeKind::kTrust, "CAPF-trust", "not in the trust store");
  capf.copies_to = {"CallManager-trust"};
  plan.peers[0].changes = {add, capf};
  CHECK(RenderPlanText(plan, false) ==
        "# cucm/cucm1\n"
        "  + trust tomcat-trust  (cluster-wide: reaches 3 nodes)\n"
        "      # not in the trust store\n"
        "  + trust CAPF-trust  (also copied to CallManager-trust)\n"
        "      # not in the trust store\n"
        "\n"
        "Plan: 2 to add, 0 to change, 0 to remove, 0 restarts.\n");
}

}  // namespace
}  // namespace pkiform

namespace pkiform {
namespace {

TEST_CASE("plan text: an identity change that cannot be rolled back says why", "[planner][render][rule:U8]") {
  Plan plan;
  plan.peers.push_back(PeerPlan{});
  plan.peers[0].cluster = "cucm";
  plan.peers[0].peer = "cucm1";
  Change c = MakeChange(Action::kReplace, ChangeKind::kIdentity, "tomcat", "issuer differs");
  c.no_rollback = "an import overwrites the identity and deletes its CSR (U8)";
  plan.peers[0].changes = {c};
  CHECK(RenderPlanText(plan, false) ==
        "# cucm/cucm1\n"
        "  -/+ identity tomcat\n"
        "      # issuer differs\n"
        "      # cannot be rolled back: an import overwrites the identity and deletes its CSR (U8)\n"
        "\n"
        "Plan: 0 to add, 1 to change, 0 to remove, 0 restarts.\n");
}

}  // namespace
}  // namespace pkiform
