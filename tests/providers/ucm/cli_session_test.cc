// The CLI session driver against pkiform-sim behind sshd, with the sim's faults: a prompt
// that never comes, a connection dropped mid-command, a refusal.
#include "providers/ucm/cli_session.h"

#include <catch2/catch.hpp>

#include "tests/providers/ucm/ucm_fixture.h"

using namespace pkiform;
using namespace pkiform::ucmtest;

namespace {

simtest::NodeSpec Publisher() {
  simtest::NodeSpec s;
  s.fqdn = "cucm-pub.example.com";
  s.address = "127.0.93.1";
  return s;
}

// The built-in dialect with short timeouts, so that a test waits seconds, not minutes.
ucm::Dialect QuickDialect() {
  const auto& d = ucm::BuiltinDialect();
  if (!d.ok()) FAIL(d.status().ToString());
  ucm::Dialect quick = *d;
  quick.startup_seconds = 2;
  quick.command_seconds = 2;
  return quick;
}

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("ucm session: banner and pagination off then a clean answer and a quoted refusal", "[ucm]") {
  SimCluster cluster({Publisher()});
  auto session = cluster.Connect(0);
  auto dialect = QuickDialect();
  auto cli = ucm::CliSession::Open(*session, dialect);
  if (!cli.ok()) FAIL(cli.status().ToString());
  CHECK((*cli)->commands_sent() == 1);
  auto version = (*cli)->Run("show version active");
  REQUIRE(version.ok());
  CHECK(Has(*version, "Active Master Version: 14.0.1.11900-132\n"));
  CHECK_FALSE(Has(*version, "show version active"));  // the echo is gone
  CHECK_FALSE(Has(*version, "\r"));
  auto refused = (*cli)->Run("show cert own nosuch/nosuch.pem");
  REQUIRE_FALSE(refused.ok());
  INFO(refused.status().message());
  CHECK(Has(refused.status().message(), "the node refused"));
  CHECK(Has(refused.status().message(), "not found"));
  // The session is still usable after a refusal.
  CHECK((*cli)->Run("show csr list own").ok());
}

TEST_CASE("ucm session: a prompt that never comes times out", "[ucm]") {
  SimCluster cluster({Publisher()});
  cluster.WriteFaults(0, "no-prompt=1\n");
  auto session = cluster.Connect(0);
  auto dialect = QuickDialect();
  auto start = std::chrono::steady_clock::now();
  auto cli = ucm::CliSession::Open(*session, dialect);
  REQUIRE_FALSE(cli.ok());
  INFO(cli.status().message());
  CHECK(Has(cli.status().message(), "waiting for the CLI to start"));
  CHECK(Has(cli.status().message(), "timed out"));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
}

TEST_CASE("ucm session: a connection dropped mid-command is an error and not a hang", "[ucm]") {
  SimCluster cluster({Publisher()});
  cluster.WriteFaults(0, "drop-at-command=2\n");
  auto session = cluster.Connect(0);
  auto dialect = QuickDialect();
  auto cli = ucm::CliSession::Open(*session, dialect);
  if (!cli.ok()) FAIL(cli.status().ToString());
  auto r = (*cli)->Run("show version active");
  REQUIRE_FALSE(r.ok());
  INFO(r.status().message());
  CHECK(Has(r.status().message(), "show version active"));
}

TEST_CASE("ucm session: commands typed ahead come back in one round trip with the answers of one at a time", "[ucm][P5]") {
  SimCluster cluster({Publisher()});
  auto session = cluster.Connect(0);
  auto dialect = QuickDialect();
  REQUIRE(dialect.type_ahead_bytes > 0);
  auto cli = ucm::CliSession::Open(*session, dialect);
  if (!cli.ok()) FAIL(cli.status().ToString());
  ucm::CliSession& c = **cli;
  const std::vector<std::string> reads = {"show version active", "show cert list own", "show cert list trust",
                                          "show cert own tomcat/tomcat.pem", "show csr list own"};
  std::vector<std::string> one_by_one;
  for (const auto& r : reads) {
    auto answer = c.Run(r);
    REQUIRE(answer.ok());
    one_by_one.push_back(*answer);
  }
  const int trips = c.round_trips(), sent = c.commands_sent();
  REQUIRE(c.Prefetch(reads).ok());
  CHECK(c.round_trips() == trips + 1);  // one write, one wait
  CHECK(c.commands_sent() == sent + static_cast<int>(reads.size()));
  for (size_t i = 0; i < reads.size(); ++i) {
    auto answer = c.Run(reads[i]);
    REQUIRE(answer.ok());
    INFO(reads[i]);
    CHECK(*answer == one_by_one[i]);  // no echo of any typed line, no prompt, nothing of its neighbours
  }
  CHECK(c.round_trips() == trips + 1);  // the answers were kept, nothing was typed again
  CHECK(c.commands_sent() == sent + static_cast<int>(reads.size()));
}

TEST_CASE("ucm session: a batch longer than typeAheadBytes is typed in several writes", "[ucm][P5]") {
  SimCluster cluster({Publisher()});
  auto session = cluster.Connect(0);
  auto dialect = QuickDialect();
  dialect.type_ahead_bytes = 40;  // two of these commands per write
  auto cli = ucm::CliSession::Open(*session, dialect);
  if (!cli.ok()) FAIL(cli.status().ToString());
  const int trips = (*cli)->round_trips();
  REQUIRE((*cli)->Prefetch({"show version active", "show cert list own", "show cert list trust", "show csr list own",
                            "show network cluster"})
              .ok());
  CHECK((*cli)->round_trips() == trips + 3);
  auto version = (*cli)->Run("show version active");
  REQUIRE(version.ok());
  CHECK(Has(*version, "Active Master Version: 14.0.1.11900-132\n"));
  auto nodes = (*cli)->Run("show network cluster");
  REQUIRE(nodes.ok());
  CHECK(Has(*nodes, "cucm-pub.example.com"));
  CHECK((*cli)->round_trips() == trips + 3);
}

TEST_CASE("ucm session: a command that is not typed ahead drops the kept answers, so none is stale", "[ucm][P5]") {
  SimCluster cluster({Publisher()});
  auto session = cluster.Connect(0);
  auto dialect = QuickDialect();
  auto cli = ucm::CliSession::Open(*session, dialect);
  if (!cli.ok()) FAIL(cli.status().ToString());
  ucm::CliSession& c = **cli;
  REQUIRE(c.Prefetch({"show csr list own", "show cert list own"}).ok());
  const int trips = c.round_trips();
  REQUIRE(c.Run("show version active").ok());  // not kept: typed, and the kept answers go
  REQUIRE(c.Run("show csr list own").ok());
  CHECK(c.round_trips() == trips + 2);
  // A refusal typed ahead is still a refusal when its answer is taken.
  REQUIRE(c.Prefetch({"show cert own nosuch/nosuch.pem"}).ok());
  auto refused = c.Run("show cert own nosuch/nosuch.pem");
  REQUIRE_FALSE(refused.ok());
  CHECK(Has(refused.status().message(), "the node refused"));
}
