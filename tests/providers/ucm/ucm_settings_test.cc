// The ucm provider's node settings, OCSP (rule U16) and the certificate monitor (rule
// U17), against pkiform-sim behind a real sshd (addresses 127.0.96.x): what Observe
// reports is what the planner compares with the manifest, so a node set as the manifest
// says plans no change; ApplySetting drives the (ASSUMED) CLI, choosing the configured
// responder after giving the node its URI; Common Criteria mode is noted for the plan.
#include <catch2/catch.hpp>

#include "reconciler/catalogue/catalogue.h"
#include "reconciler/manifest/duration.h"
#include "reconciler/planner/settings_change.h"
#include "tests/providers/ucm/ucm_fixture.h"

using namespace pkiform;
using namespace pkiform::ucmtest;

namespace {

simtest::NodeSpec Node(const std::string& address, bool commonCriteria = false) {
  simtest::NodeSpec s;
  s.fqdn = "cucm-pub.example.com";
  s.address = address;
  s.role = "publisher";
  s.release = "14SU1";
  s.commonCriteria = commonCriteria;
  return s;
}

Duration Dur(const std::string& text) {
  auto d = ParseDuration(text);
  REQUIRE(d);
  return *d;
}

const catalogue::PlatformCatalogue& Ucm() {
  const auto& c = catalogue::BuiltinCatalogue();
  REQUIRE(c.ok());
  const auto* p = c->Find("ucm");
  REQUIRE(p);
  return *p;
}

void SetOcsp(Cluster& c, std::optional<bool> enabled, std::optional<bool> useCertificateUri,
             const std::string& responder, const std::string& interval) {
  c.revocation.emplace();
  c.revocation->ocsp.emplace();
  c.revocation->ocsp->enabled = enabled;
  c.revocation->ocsp->use_certificate_uri = useCertificateUri;
  c.revocation->ocsp->responder = responder;
  if (!interval.empty()) c.revocation->ocsp->check_interval = Dur(interval);
}

void SetMonitor(Cluster& c, const std::string& before, const std::string& frequency,
                const std::vector<std::string>& email) {
  c.monitor.emplace();
  c.monitor->notify_before = Dur(before);
  c.monitor->frequency = Dur(frequency);
  c.monitor->email = email;
}

Actual ObserveOrFail(const SimCluster& cluster, const Cluster& manifest) {
  auto session = cluster.Connect(0);
  ucm::UcmProvider provider(*session, manifest, manifest.peers[0]);
  auto actual = provider.Observe();
  if (!actual.ok()) FAIL(actual.status().ToString());
  return *actual;
}

std::vector<Change> PlanOf(const Cluster& manifest, const Actual& actual) {
  return planner::PlanSettings(manifest, manifest.peers[0].fqdn, Ucm(), actual, {});
}

// Applies the planned setting changes in plan order, as the executor does.
void ApplyOrFail(const SimCluster& cluster, const Cluster& manifest, const std::vector<Change>& changes) {
  auto session = cluster.Connect(0);
  ucm::UcmProvider provider(*session, manifest, manifest.peers[0]);
  for (const auto& c : changes) {
    Status s = provider.ApplySetting(c.slot_or_store, c.setting_after);
    if (!s.ok()) FAIL(c.slot_or_store + " = " + c.setting_after + ": " + s.ToString());
  }
}

std::vector<std::string> Names(const std::vector<Change>& changes) {
  std::vector<std::string> out;
  for (const auto& c : changes) out.push_back(c.slot_or_store + "=" + c.setting_before + "->" + c.setting_after);
  return out;
}

}  // namespace

TEST_CASE("ucm: OCSP is read with the catalogue's names and values, set, and then plans no change",
          "[ucm][rule:U16]") {
  SimCluster cluster({Node("127.0.96.1")});
  auto manifest = cluster.Manifest({}, {});
  SetOcsp(manifest, true, true, "", "12h");

  Actual factory = ObserveOrFail(cluster, manifest);
  CHECK(factory.settings.at("ocsp.enabled") == "false");
  CHECK(factory.settings.at("ocsp.useCertificateUri") == "true");
  CHECK(factory.settings.at("ocsp.responder").empty());
  CHECK_FALSE(factory.settings.count("ocsp.checkInterval"));  // the revocation check is off from the factory
  CHECK_FALSE(factory.settings.count("certificateMonitor.notifyBefore"));  // the manifest has no monitor
  CHECK(factory.notes.empty());
  auto changes = PlanOf(manifest, factory);
  CHECK(Names(changes) == std::vector<std::string>{"ocsp.enabled=false->true", "ocsp.checkInterval=->12h"});
  ApplyOrFail(cluster, manifest, changes);

  Actual after = ObserveOrFail(cluster, manifest);
  CHECK(after.settings.at("ocsp.enabled") == "true");
  CHECK(after.settings.at("ocsp.checkInterval") == "12h");
  CHECK(PlanOf(manifest, after).empty());

  // A whole number of days reads back as the planner spells it ("24 hours" is "1d").
  SetOcsp(manifest, true, true, "", "24h");
  changes = PlanOf(manifest, after);
  CHECK(Names(changes) == std::vector<std::string>{"ocsp.checkInterval=12h->1d"});
  ApplyOrFail(cluster, manifest, changes);
  CHECK(PlanOf(manifest, ObserveOrFail(cluster, manifest)).empty());
}

TEST_CASE("ucm: the configured OCSP responder is chosen once the node has its URI", "[ucm][rule:U16]") {
  SimCluster cluster({Node("127.0.96.2")});
  auto manifest = cluster.Manifest({}, {});
  SetOcsp(manifest, true, false, "http://ocsp.example.com/status", "24h");
  auto changes = PlanOf(manifest, ObserveOrFail(cluster, manifest));
  // Catalogue order: the source comes before the responder, which the node needs first.
  CHECK(Names(changes) == std::vector<std::string>{"ocsp.enabled=false->true", "ocsp.useCertificateUri=true->false",
                                                   "ocsp.responder=->http://ocsp.example.com/status",
                                                   "ocsp.checkInterval=->1d"});
  {
    auto session = cluster.Connect(0);
    ucm::UcmProvider provider(*session, manifest, manifest.peers[0]);
    Status s = provider.ApplySetting("ocsp.useCertificateUri", "false");
    if (!s.ok()) FAIL(s.ToString());
  }
  Actual after = ObserveOrFail(cluster, manifest);
  CHECK(after.settings.at("ocsp.useCertificateUri") == "false");
  CHECK(after.settings.at("ocsp.responder") == "http://ocsp.example.com/status");
  ApplyOrFail(cluster, manifest, PlanOf(manifest, after));
  CHECK(PlanOf(manifest, ObserveOrFail(cluster, manifest)).empty());

  // A new responder is one change.
  manifest.revocation->ocsp->responder = "https://ocsp2.example.com";
  changes = PlanOf(manifest, ObserveOrFail(cluster, manifest));
  CHECK(Names(changes) == std::vector<std::string>{"ocsp.responder=http://ocsp.example.com/status->https://ocsp2.example.com"});
  ApplyOrFail(cluster, manifest, changes);
  CHECK(PlanOf(manifest, ObserveOrFail(cluster, manifest)).empty());
}

TEST_CASE("ucm: what the node refuses comes back as the node's words", "[ucm][rule:U16]") {
  SimCluster cluster({Node("127.0.96.3")});
  auto manifest = cluster.Manifest({}, {});
  SetOcsp(manifest, true, false, "", "");  // what `pkiform validate` refuses (U16)
  auto session = cluster.Connect(0);
  ucm::UcmProvider provider(*session, manifest, manifest.peers[0]);
  Status s = provider.ApplySetting("ocsp.useCertificateUri", "false");
  CHECK_FALSE(s.ok());
  CHECK(s.message().find("U16") != std::string::npos);
  s = provider.ApplySetting("ocsp.checkInterval", "90m");
  CHECK(s.code() == Status::Code::kInvalidInput);
  s = provider.ApplySetting("ocsp.checkInterval", "31d");  // the node's own limit
  CHECK_FALSE(s.ok());
  CHECK(s.message().find("Check Every") != std::string::npos);
  s = provider.ApplySetting("ocsp.responder", "http://a b");
  CHECK(s.code() == Status::Code::kInvalidInput);
  CHECK(provider.ApplySetting("ocsp.unknown", "x").code() == Status::Code::kNotFound);
}

TEST_CASE("ucm: a node in Common Criteria mode is noted when the manifest enables OCSP", "[ucm][rule:U16]") {
  SimCluster cluster({Node("127.0.96.4", /*commonCriteria=*/true)});
  auto manifest = cluster.Manifest({}, {});
  SetOcsp(manifest, true, true, "", "");
  Actual actual = ObserveOrFail(cluster, manifest);
  REQUIRE(actual.notes.size() == 1);
  CHECK(actual.notes[0].find("Common Criteria mode") != std::string::npos);
  CHECK(actual.notes[0].find("Unknown") != std::string::npos);
  SetOcsp(manifest, false, true, "", "");
  CHECK(ObserveOrFail(cluster, manifest).notes.empty());
}

TEST_CASE("ucm: the certificate monitor is read, set, and then plans no change", "[ucm][rule:U17]") {
  SimCluster cluster({Node("127.0.96.5")});
  auto manifest = cluster.Manifest({}, {});
  SetMonitor(manifest, "30d", "1d", {});
  Actual factory = ObserveOrFail(cluster, manifest);
  CHECK(factory.settings.at("certificateMonitor.notifyBefore") == "30d");
  CHECK(factory.settings.at("certificateMonitor.frequency") == "1d");  // "24 hours"
  CHECK(factory.settings.at("certificateMonitor.email").empty());
  CHECK_FALSE(factory.settings.count("ocsp.enabled"));  // the manifest has no revocation.ocsp
  CHECK(PlanOf(manifest, factory).empty());

  SetMonitor(manifest, "60d", "12h", {"uc-team@example.com", "pki@example.com"});
  auto changes = PlanOf(manifest, factory);
  CHECK(Names(changes) == std::vector<std::string>{"certificateMonitor.notifyBefore=30d->60d",
                                                   "certificateMonitor.frequency=1d->12h",
                                                   "certificateMonitor.email=->uc-team@example.com,pki@example.com"});
  ApplyOrFail(cluster, manifest, changes);
  Actual after = ObserveOrFail(cluster, manifest);
  CHECK(after.settings.at("certificateMonitor.email") == "uc-team@example.com,pki@example.com");
  CHECK(PlanOf(manifest, after).empty());

  SetMonitor(manifest, "60d", "2d", {"pki@example.com"});
  changes = PlanOf(manifest, after);
  CHECK(Names(changes) == std::vector<std::string>{"certificateMonitor.frequency=12h->2d",
                                                   "certificateMonitor.email=uc-team@example.com,pki@example.com->pki@example.com"});
  ApplyOrFail(cluster, manifest, changes);
  CHECK(PlanOf(manifest, ObserveOrFail(cluster, manifest)).empty());

  // No e-mail: notification is turned off (the IDs stay on the node, unused).
  {
    auto session = cluster.Connect(0);
    ucm::UcmProvider provider(*session, manifest, manifest.peers[0]);
    Status s = provider.ApplySetting("certificateMonitor.email", "");
    if (!s.ok()) FAIL(s.ToString());
  }
  CHECK(ObserveOrFail(cluster, manifest).settings.at("certificateMonitor.email").empty());
}

TEST_CASE("ucm: a certificate monitor value the node refuses fails with its message", "[ucm][rule:U17]") {
  SimCluster cluster({Node("127.0.96.6")});
  auto manifest = cluster.Manifest({}, {});
  SetMonitor(manifest, "30d", "1d", {});
  auto session = cluster.Connect(0);
  ucm::UcmProvider provider(*session, manifest, manifest.peers[0]);
  Status s = provider.ApplySetting("certificateMonitor.notifyBefore", "400d");
  CHECK_FALSE(s.ok());
  CHECK(s.message().find("Notification Start Time") != std::string::npos);
  CHECK(provider.ApplySetting("certificateMonitor.notifyBefore", "36h").code() == Status::Code::kInvalidInput);
  s = provider.ApplySetting("certificateMonitor.email", "not-an-address");
  CHECK_FALSE(s.ok());
  CHECK(s.message().find("Invalid E-mail ID") != std::string::npos);
  CHECK(provider.ApplySetting("certificateMonitor.email", "a@example.com;b@example.com").code() ==
        Status::Code::kInvalidInput);
}
