// The node_exporter textfile (reconciler/metrics/textfile.h): series, escaping of untrusted
// label values, the last success carried over a failed run, the atomic write.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "reconciler/metrics/textfile.h"
#include "reconciler/pki/key.h"
#include "reconciler/pki/signer.h"
#include "tests/support/must.h"
#include "tests/support/temp_dir.h"

using namespace pkiform;
using pkiform::testing::Must;

namespace {

pki::Certificate SelfSigned(const std::string& cn, pki::TimePoint not_before, std::chrono::hours validity) {
  auto key = Must(pki::PrivateKey::Generate(pki::KeySpec::Ecdsa("P-256")));
  pki::SigningPolicy policy;
  policy.subject.commonName = cn;
  policy.notBefore = not_before;
  policy.validity = validity;
  return Must(pki::SelfSign(key, policy));
}

double Seconds(pki::TimePoint t) {
  return static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count());
}

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("metrics: expiry of identities and trust entries, pending changes, the run", "[metrics]") {
  const auto start = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  const auto leaf = SelfSigned("web1.example.com", start, std::chrono::hours(24 * 90));
  const auto ca = SelfSigned("Corp \"Root\" CA\nforged 1", start, std::chrono::hours(24 * 365));
  Actual a;
  a.cluster = "web";
  a.peer = "web1.example.com";
  ObservedSlot slot;
  slot.slot = "nginx";
  slot.certificate_pem = leaf.ToPem();
  a.slots.push_back(slot);
  a.trust.push_back({"corp", {ca.ToPem()}, {}});
  Actual b = a;
  b.cluster = "quiet";
  b.peer = "q1.example.com";
  b.trust.clear();
  const std::vector<Actual> observed{a, b};
  Plan plan;
  PeerPlan p;
  p.cluster = "web";
  p.peer = a.peer;
  p.changes.resize(2);
  plan.peers.push_back(p);

  metrics::RunMetrics run{"plan", start, true, &observed, &plan, {}};
  const std::string text = metrics::RenderMetrics(run, {});
  INFO(text);
  CHECK(Has(text, "# TYPE pkiform_certificate_expiry_timestamp_seconds gauge\n"));
  CHECK(Has(text, "pkiform_certificate_expiry_timestamp_seconds{cluster=\"web\",peer=\"web1.example.com\","
                  "kind=\"identity\",slot=\"nginx\"} " +
                      std::to_string(static_cast<long long>(Seconds(leaf.NotAfter())))));
  // A subject from a file is a label value: its quote and line feed are escaped, never raw.
  // (The subject's own RFC 4514 escaping puts a backslash before each quote; both are escaped again.)
  CHECK(Has(text, "subject=\"CN=Corp \\\\\\\"Root\\\\\\\" CA\\nforged 1\""));
  CHECK_FALSE(Has(text, "\nforged 1"));
  CHECK(Has(text, "pkiform_pending_changes{cluster=\"web\"} 2\n"));
  CHECK(Has(text, "pkiform_pending_changes{cluster=\"quiet\"} 0\n"));
  CHECK(Has(text, "pkiform_last_run_success{command=\"plan\"} 1\n"));
  CHECK(Has(text, "pkiform_last_success_timestamp_seconds{command=\"plan\"} " +
                      std::to_string(static_cast<long long>(Seconds(start))) + "\n"));
  // Each family is announced once, before its samples.
  CHECK(text.find("# HELP pkiform_pending_changes") < text.find("pkiform_pending_changes{"));
}

TEST_CASE("metrics: a failed run keeps the last success of the file before it", "[metrics]") {
  testing::TempDir tmp;
  const std::string path = (tmp.path() / "pkiform.prom").string();
  const auto t1 = std::chrono::sys_seconds(std::chrono::seconds(1700000000));
  const std::vector<Actual> none;
  metrics::RunMetrics ok{"apply", t1, true, &none, nullptr, {{"web", {3, 0, 0}}}};
  REQUIRE(metrics::WriteMetricsFile(path, ok).ok());
  CHECK((std::filesystem::status(path).permissions() & std::filesystem::perms::all) == std::filesystem::perms(0644));
  metrics::RunMetrics failed{"apply", t1 + std::chrono::hours(1), false, &none, nullptr, {{"web", {0, 1, 2}}}};
  REQUIRE(metrics::WriteMetricsFile(path, failed).ok());
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  INFO(text.str());
  CHECK(Has(text.str(), "pkiform_last_success_timestamp_seconds{command=\"apply\"} 1700000000\n"));
  CHECK(Has(text.str(), "pkiform_last_run_timestamp_seconds{command=\"apply\"} 1700003600\n"));
  CHECK(Has(text.str(), "pkiform_last_run_success{command=\"apply\"} 0\n"));
  CHECK(Has(text.str(), "pkiform_change_failures{cluster=\"web\"} 1\n"));
  CHECK(Has(text.str(), "pkiform_deferred_changes{cluster=\"web\"} 2\n"));
  // Another command's run in between keeps apply's series, and apply keeps its own.
  metrics::RunMetrics plan{"plan", t1 + std::chrono::hours(2), true, &none, nullptr, {}};
  REQUIRE(metrics::WriteMetricsFile(path, plan).ok());
  REQUIRE(metrics::WriteMetricsFile(path, failed).ok());
  std::ifstream again(path);
  std::stringstream text2;
  text2 << again.rdbuf();
  CHECK(Has(text2.str(), "pkiform_last_success_timestamp_seconds{command=\"apply\"} 1700000000\n"));
  CHECK(Has(text2.str(), "pkiform_last_success_timestamp_seconds{command=\"plan\"} 1700007200\n"));
  // What is not this format's is not carried over.
  auto odd = metrics::ReadPreviousRuns(
      "pkiform_last_success_timestamp_seconds{command=\"plan\"} x\n"
      "pkiform_last_success_timestamp_seconds{command=\"a\\\"b\"} 5\n"
      "pkiform_last_run_success{command=\"apply\"} 1\n");
  CHECK(odd.by_command.size() == 1);
  CHECK(odd.by_command["apply"]["pkiform_last_run_success"] == 1);
  CHECK(metrics::WriteMetricsFile((tmp.path() / "no/such/dir/x.prom").string(), ok).message().find("--metrics") !=
        std::string::npos);
}
