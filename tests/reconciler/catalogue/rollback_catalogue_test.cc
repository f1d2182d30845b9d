// The catalogue's `rollback`: what each platform can put back after an identity install.
#include <fstream>
#include <sstream>

#include "tests/reconciler/catalogue/catalogue_test_util.h"

namespace pkiform::catalogue::testing {
namespace {

TEST_CASE("rollback: openssh restores its files, ucm cannot (U8), vcs says nothing, dms via its keystore",
          "[catalogue][rule:U8]") {
  CHECK(Platform("openssh").rollback.CanRestore());
  CHECK(Platform("openssh").rollback.NoRollbackReason().empty());
  const RollbackSpec& ucm = Platform("ucm").rollback;
  CHECK(ucm.identity == RollbackSpec::Identity::kNone);
  CHECK(ucm.NoRollbackReason() == "an import overwrites the identity and deletes its CSR (U8)");
  CHECK(ucm.rules == std::vector<std::string>{"U8"});
  CHECK(Platform("vcs").rollback.identity == RollbackSpec::Identity::kUndocumented);
  CHECK_FALSE(Platform("vcs").rollback.NoRollbackReason().empty());
  CHECK(Platform("dms").rollback.CanRestore());
}

TEST_CASE("rollback: the loader wants a reason, or how, and knows only three answers", "[catalogue][loader]") {
  // The shipped openssh catalogue without its rollback block, then the variants.
  std::ifstream in(std::string(PKIFORM_SOURCE_DIR) + "/schema/platforms/openssh.yaml");
  std::stringstream text;
  text << in.rdbuf();
  std::string head = text.str();
  const size_t from = head.find("\nrollback:\n");
  REQUIRE(from != std::string::npos);
  head.erase(from + 1, head.find("\n\n", from + 1) - from);
  auto parse = [&](const std::string& rollback) { return ParsePlatform("x.yaml", head + rollback); };
  REQUIRE(parse("").ok());
  CHECK(parse("").value().rollback.identity == RollbackSpec::Identity::kUndocumented);
  CHECK(parse("rollback: {identity: none, reason: gone}\n").ok());
  auto no_reason = parse("rollback: {identity: none}\n");
  REQUIRE_FALSE(no_reason.ok());
  CHECK(no_reason.status().message().find("rollback.reason") != std::string::npos);
  CHECK_FALSE(parse("rollback: {identity: restore}\n").ok());
  CHECK_FALSE(parse("rollback: {identity: maybe, reason: r}\n").ok());
  CHECK_FALSE(parse("rollback: {identity: none, reason: r, extra: 1}\n").ok());
}

TEST_CASE("restart timings: every service a ucm slot or store restarts has one; timeouts cover the expected time",
          "[catalogue][rule:U13]") {
  const PlatformCatalogue& ucm = Platform("ucm");
  auto check = [&](const std::vector<RestartSpec>& restarts) {
    for (const auto& r : restarts) {
      INFO(r.name);
      const RestartTiming* t = ucm.TimingFor(r.name);
      REQUIRE(t != nullptr);
      CHECK(t->timeout_seconds >= t->expected_seconds);
      CHECK_FALSE(t->drops_session);  // `utils service restart` returns to the prompt
    }
  };
  for (const auto& s : ucm.slots) check(s.restarts);
  for (const auto& t : ucm.trust_stores) check(t.restarts);
}

TEST_CASE("settings: ucm lists OCSP (U16) and the certificate monitor (U17); openssh none",
          "[catalogue][rule:U16][rule:U17]") {
  std::vector<std::string> names;
  for (const auto& s : Platform("ucm").settings) names.push_back(s.name);
  CHECK(names == std::vector<std::string>{"ocsp.enabled", "ocsp.useCertificateUri", "ocsp.responder",
                                          "ocsp.checkInterval", "certificateMonitor.notifyBefore",
                                          "certificateMonitor.frequency", "certificateMonitor.email"});
  CHECK(Platform("openssh").settings.empty());
}

}  // namespace
}  // namespace pkiform::catalogue::testing
