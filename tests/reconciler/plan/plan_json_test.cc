// Plan JSON and plan files: round trips, the strict reader, atomic 0600 files,
// and no private key in either direction.
#include "reconciler/plan/plan_json.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "tests/support/temp_dir.h"

namespace pkiform {
namespace {

using json = nlohmann::json;

Plan SamplePlan() {
  Plan plan;
  plan.pkiform_version = "0.1.0";
  plan.created_at = "2026-06-01T00:00:00Z";
  plan.manifests_digest = "abc123";
  PeerPlan p;
  p.cluster = "web-eu";
  p.peer = "web1.example.com";
  p.address = "192.0.2.21";
  p.observed_digest = "d1g3st";
  Change trust;
  trust.address = "web-eu/web1.example.com/trust/default/AB:CD";
  trust.action = Action::kCreate;
  trust.kind = ChangeKind::kTrust;
  trust.slot_or_store = "default";
  trust.reason = "not in the trust store";
  trust.after = {"subject: CN=Root", "fingerprint: AB:CD"};
  trust.after_fingerprint = "AB:CD";
  trust.certificate_pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
  Change identity;
  identity.address = "web-eu/web1.example.com/identity/nginx";
  identity.action = Action::kReplace;
  identity.kind = ChangeKind::kIdentity;
  identity.slot_or_store = "nginx";
  identity.reason = "certificate expired 2026-05-31";
  identity.before = {"subject: CN=web1.example.com"};
  identity.after = {"subject: CN=web1.example.com", "fingerprint: (known after apply)"};
  identity.before_fingerprint = "01:02";
  identity.waiting_for = "a signed certificate";
  identity.request_pem = "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n";
  p.changes = {trust, identity};
  p.restarts = {{RestartKind::kCommand, "update-ca-certificates", trust.address},
                {RestartKind::kAppliance, "VCS", identity.address}};
  p.follow_ups = {"Run a new system backup"};
  p.notes = {"waiting for a signed certificate"};
  plan.peers = {p};
  return plan;
}

json ToPlainJson(const Plan& plan) { return json::parse(PlanToJson(plan).dump()); }

Status ReadError(const json& j) {
  auto plan = PlanFromJson(j);
  REQUIRE_FALSE(plan.ok());
  return plan.status();
}

TEST_CASE("plan -> json -> plan -> json is identical", "[planner][json]") {
  const Plan plan = SamplePlan();
  const std::string first = PlanToJson(plan).dump(2);
  auto back = PlanFromJson(json::parse(first));
  INFO(back.status().ToString());
  REQUIRE(back.ok());
  CHECK(PlanToJson(*back).dump(2) == first);
  CHECK(back->peers.at(0).changes.at(1).waiting_for == "a signed certificate");
  CHECK(back->peers.at(0).changes.at(1).request_pem == plan.peers.at(0).changes.at(1).request_pem);
  CHECK(back->peers.at(0).restarts.at(1).kind == RestartKind::kAppliance);
  CHECK(back->Summary().restarts == 2);
}

TEST_CASE("a CRL file change round-trips and counts as a change", "[planner][json][crl]") {
  Plan plan = SamplePlan();
  Change crl;
  crl.address = "web-eu/web1.example.com/crl//etc/nginx/crl.pem";
  crl.action = Action::kUpdate;
  crl.kind = ChangeKind::kCrl;
  crl.slot_or_store = "/etc/nginx/crl.pem";
  crl.reason = "CRL of CN=Root is older on the host: thisUpdate 2026-05-01 < 2026-06-01";
  crl.before = {"CN=Root: thisUpdate 2026-05-01, nextUpdate 2026-06-01, 0 revoked"};
  crl.after = {"CN=Root: thisUpdate 2026-06-01, nextUpdate 2026-07-01, 1 revoked"};
  crl.before_fingerprint = "12:34";
  crl.after_fingerprint = "56:78";
  crl.certificate_pem = "-----BEGIN X509 CRL-----\nMIIB\n-----END X509 CRL-----\n";
  plan.peers[0].changes.insert(plan.peers[0].changes.begin() + 1, crl);
  const auto j = PlanToJson(plan);
  CHECK(j["summary"].dump() == R"({"add":1,"change":2,"remove":0,"restarts":2})");
  CHECK(j["peers"][0]["changes"][1]["kind"] == "crl");
  CHECK(j["peers"][0]["changes"][1]["action"] == "update");
  auto back = PlanFromJson(json::parse(j.dump()));
  INFO(back.status().ToString());
  REQUIRE(back.ok());
  const Change& read = back->peers.at(0).changes.at(1);
  CHECK(read.kind == ChangeKind::kCrl);
  CHECK(read.certificate_pem == crl.certificate_pem);
  CHECK(read.before_fingerprint == "12:34");
  CHECK(read.after_fingerprint == "56:78");
}

TEST_CASE("a change removing leftover backups round-trips with its files and counts as a removal",
          "[planner][json][backups]") {
  Plan plan = SamplePlan();
  Change backups;
  backups.address = "web-eu/web1.example.com/backups/nginx";
  backups.action = Action::kDelete;
  backups.kind = ChangeKind::kBackups;
  backups.slot_or_store = "nginx";
  backups.reason = "backup files left by an interrupted apply; removed, never restored";
  backups.before = {"/etc/nginx/tls/server.key.pkiform-backup"};
  backups.remove_files = backups.before;
  plan.peers[0].changes.push_back(backups);
  const auto j = PlanToJson(plan);
  CHECK(j["summary"].dump() == R"({"add":1,"change":1,"remove":1,"restarts":2})");
  CHECK(j["peers"][0]["changes"][2]["kind"] == "backups");
  CHECK(j["peers"][0]["changes"][2]["remove_files"].dump() == R"(["/etc/nginx/tls/server.key.pkiform-backup"])");
  auto back = PlanFromJson(json::parse(j.dump()));
  INFO(back.status().ToString());
  REQUIRE(back.ok());
  const Change& read = back->peers.at(0).changes.at(2);
  CHECK(read.kind == ChangeKind::kBackups);
  CHECK(read.action == Action::kDelete);
  CHECK(read.remove_files == backups.remove_files);
  CHECK(back->peers.at(0).changes.at(0).remove_files.empty());
}

TEST_CASE("a plan saved before remove_files existed still reads", "[planner][json][backups]") {
  json j = ToPlainJson(SamplePlan());
  for (auto& c : j["peers"][0]["changes"]) c.erase("remove_files");
  auto plan = PlanFromJson(j);
  INFO(plan.status().ToString());
  REQUIRE(plan.ok());
  CHECK(plan->peers.at(0).changes.at(1).remove_files.empty());
  j["peers"][0]["changes"][0]["remove_files"] = "/etc/x";
  CHECK(ReadError(j).message() == "plan: peers[0].changes[0].remove_files must be an array of strings");
}

TEST_CASE("plan JSON layout", "[planner][json]") {
  const auto j = PlanToJson(SamplePlan());
  std::vector<std::string> keys;
  for (const auto& item : j.items()) keys.push_back(item.key());
  CHECK(keys == std::vector<std::string>{"format_version", "pkiform_version", "created_at", "manifests_digest",
                                         "summary", "peers"});
  CHECK(j["format_version"] == 1);
  CHECK(j["summary"].dump() == R"({"add":1,"change":1,"remove":0,"restarts":2})");
  CHECK(j["peers"][0]["changes"][1]["action"] == "replace");
  CHECK(j["peers"][0]["changes"][0]["kind"] == "trust");
  CHECK(j["peers"][0]["restarts"][0].dump() ==
        R"({"kind":"command","target":"update-ca-certificates","because":"web-eu/web1.example.com/trust/default/AB:CD"})");
}

TEST_CASE("the plan reader refuses another format_version", "[planner][json]") {
  json j = ToPlainJson(SamplePlan());
  j["format_version"] = 2;
  CHECK(ReadError(j).message() == "plan: format_version 2 is not supported (this pkiform reads 1)");
  j.erase("format_version");
  CHECK(ReadError(j).message() == "plan: format_version: missing field");
  CHECK(ReadError(json::array()).message() == "plan: the plan must be a JSON object");
}

TEST_CASE("the plan reader names missing and mistyped fields", "[planner][json]") {
  json j = ToPlainJson(SamplePlan());
  j["peers"][0]["changes"][1].erase("action");
  CHECK(ReadError(j).message() == "plan: peers[0].changes[1].action: missing field");

  j = ToPlainJson(SamplePlan());
  j["peers"][0]["observed_digest"] = 7;
  CHECK(ReadError(j).message() == "plan: peers[0].observed_digest must be a string");

  j = ToPlainJson(SamplePlan());
  j["peers"][0]["notes"] = json::array({"ok", 3});
  CHECK(ReadError(j).message() == "plan: peers[0].notes[1] must be a string");

  j = ToPlainJson(SamplePlan());
  j.erase("peers");
  CHECK(ReadError(j).message() == "plan: peers: missing field");
}

TEST_CASE("the plan reader refuses unknown values and fields", "[planner][json]") {
  json j = ToPlainJson(SamplePlan());
  j["peers"][0]["changes"][0]["action"] = "destroy";
  CHECK(ReadError(j).message() ==
        "plan: peers[0].changes[0].action: unknown value 'destroy' (expected one of: create, update, replace, delete)");

  j = ToPlainJson(SamplePlan());
  j["peers"][0]["restarts"][0]["kind"] = "reboot";
  CHECK(ReadError(j).message() ==
        "plan: peers[0].restarts[0].kind: unknown value 'reboot' (expected one of: service, appliance, command)");

  j = ToPlainJson(SamplePlan());
  j["peers"][0]["changes"][0]["private_key"] = "x";
  CHECK(ReadError(j).message() == "plan: peers[0].changes[0].private_key: unknown field");
}

TEST_CASE("the plan summary is optional but must agree", "[planner][json]") {
  json j = ToPlainJson(SamplePlan());
  j.erase("summary");
  CHECK(PlanFromJson(j).ok());
  j = ToPlainJson(SamplePlan());
  j["summary"]["remove"] = 3;
  CHECK(ReadError(j).message() == "plan: summary does not agree with the plan's changes and restarts");
}

TEST_CASE("plans never carry private keys", "[planner][json]") {
  Plan plan = SamplePlan();
  plan.peers[0].changes[0].certificate_pem = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n";
  testing::TempDir dir;
  const std::string path = (dir.path() / "plan.json").string();
  const Status written = WritePlanFile(plan, path);
  REQUIRE_FALSE(written.ok());
  CHECK(written.message() ==
        "plan: peers[0].changes[0].certificate_pem holds a private key; plans never carry private keys");
  CHECK_FALSE(std::filesystem::exists(path));

  json j = ToPlainJson(SamplePlan());
  j["peers"][0]["notes"][0] = "-----BEGIN EC PRIVATE KEY-----\n";
  CHECK(ReadError(j).message() == "plan: peers[0].notes[0] holds a private key; plans never carry private keys");
}

// Walking (private keys) or printing (format_version) a value nested 200,000 levels deep
// overflowed the stack (seen reading the reader while fuzzing, shown with
// tests/fuzz/fuzz_plan_file on such an input: the short runs' inputs are too small for it).
TEST_CASE("the plan reader refuses deep nesting without exhausting the stack", "[planner][json]") {
  const std::string deep = std::string(200000, '[') + std::string(200000, ']');
  for (const std::string& text : {R"({"format_version": 1, "peers": [], "x": )" + deep + "}",
                                  R"({"format_version": )" + deep + "}"}) {
    const json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
    REQUIRE_FALSE(j.is_discarded());
    CHECK(ReadError(j).message() == "plan: values nested deeper than 32 levels; this is not a plan");
  }
}

TEST_CASE("plan files are written atomically, mode 0600, and read back", "[planner][json]") {
  testing::TempDir dir;
  const std::string path = (dir.path() / "plan.json").string();
  std::ofstream(path) << "old plan";
  ::chmod(path.c_str(), 0644);
  REQUIRE(WritePlanFile(SamplePlan(), path).ok());

  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    (void)e;
    ++files;
  }
  CHECK(files == 1);  // no temporary file left behind

  auto back = ReadPlanFile(path);
  INFO(back.status().ToString());
  REQUIRE(back.ok());
  CHECK(PlanToJson(*back) == PlanToJson(SamplePlan()));
}

TEST_CASE("plan files: unwritable folders and unreadable files are errors", "[planner][json]") {
  testing::TempDir dir;
  const Status s = WritePlanFile(SamplePlan(), (dir.path() / "missing" / "plan.json").string());
  REQUIRE_FALSE(s.ok());
  CHECK(s.code() == Status::Code::kIoError);

  const std::string text = dir.Write("not-json.json", "{ nope");
  auto plan = ReadPlanFile(text);
  REQUIRE_FALSE(plan.ok());
  CHECK(plan.status().message() == text + ": not a plan file (not JSON)");

  const std::string wrong = dir.Write("v2.json", R"({"format_version": 2})");
  CHECK(ReadPlanFile(wrong).status().message() ==
        wrong + ": plan: format_version 2 is not supported (this pkiform reads 1)");
  CHECK(ReadPlanFile((dir.path() / "absent.json").string()).status().code() == Status::Code::kIoError);
}

}  // namespace
}  // namespace pkiform

namespace pkiform {
namespace {

TEST_CASE("a cluster-wide change round-trips with the peers it reaches", "[planner][json][rule:U10]") {
  Plan plan = SamplePlan();
  PeerPlan& p = plan.peers[0];
  p.changes[0].scope = ChangeScope::kCluster;
  p.changes[0].reaches = {"web1.example.com", "web2.example.com"};
  p.changes[0].copies_to = {"CallManager-trust"};
  p.changes[1].no_rollback = "an import overwrites the identity and deletes its CSR (U8)";
  p.scoped_stores = {"tomcat-trust", "CallManager-trust"};
  p.scoped_digest = "5c0p3d";
  auto back = PlanFromJson(json::parse(PlanToJson(plan).dump()));
  INFO(back.status().ToString());
  REQUIRE(back.ok());
  const PeerPlan& q = back->peers.at(0);
  CHECK(q.changes[0].scope == ChangeScope::kCluster);
  CHECK(q.changes[0].reaches == p.changes[0].reaches);
  CHECK(q.changes[0].copies_to == p.changes[0].copies_to);
  CHECK(q.changes[1].scope == ChangeScope::kNode);
  CHECK(q.changes[1].no_rollback == p.changes[1].no_rollback);
  CHECK(q.scoped_stores == p.scoped_stores);
  CHECK(q.scoped_digest == "5c0p3d");
  CHECK(PlanToJson(*back).dump() == PlanToJson(plan).dump());
}

TEST_CASE("a plan saved before cluster-wide changes existed still reads", "[planner][json][rule:U10]") {
  json j = ToPlainJson(SamplePlan());
  for (auto& c : j["peers"][0]["changes"]) {
    c.erase("scope");
    c.erase("reaches");
    c.erase("copies_to");
    c.erase("no_rollback");
  }
  j["peers"][0].erase("scoped_stores");
  j["peers"][0].erase("scoped_digest");
  auto back = PlanFromJson(j);
  INFO(back.status().ToString());
  REQUIRE(back.ok());
  CHECK(back->peers[0].changes[0].scope == ChangeScope::kNode);
  CHECK(back->peers[0].scoped_digest.empty());
  j["peers"][0]["changes"][0]["scope"] = "galaxy";
  CHECK(ReadError(j).message() ==
        "plan: peers[0].changes[0].scope: unknown value 'galaxy' (expected one of: node, cluster)");
}

}  // namespace
}  // namespace pkiform

namespace pkiform {
namespace {

TEST_CASE("deferred changes round-trip, are counted apart and never as changes to execute", "[planner][json][window]") {
  Plan plan = SamplePlan();
  PeerPlan& p = plan.peers.at(0);
  p.deferred = {p.changes.at(1)};
  p.deferred_restarts = {p.restarts.at(1)};
  p.deferred_until = "2027-04-17T01:00:00Z";
  p.changes.pop_back();
  p.restarts.pop_back();
  const json j = ToPlainJson(plan);
  CHECK(j["summary"]["deferred"] == 1);
  CHECK(j["summary"]["change"] == 0);
  auto back = PlanFromJson(j);
  INFO(back.status().ToString());
  REQUIRE(back.ok());
  CHECK(ToPlainJson(*back) == j);
  CHECK(back->DeferredCount() == 1);
  CHECK(back->peers.at(0).deferred_until == "2027-04-17T01:00:00Z");
  CHECK(back->peers.at(0).deferred_restarts.at(0).target == "VCS");
  CHECK(back->Summary().restarts == 1);

  json wrong = j;
  wrong["summary"]["deferred"] = 2;
  CHECK(ReadError(wrong).message().find("summary does not agree") != std::string::npos);
}

}  // namespace
}  // namespace pkiform
