// The check of restarts.window and restarts.timeZone (rule `window`): what the builder reads,
// and what the bad-input cases 249-252 do not show (a valid zone, the default, a suggestion).
#include <catch2/catch.hpp>

#include "reconciler/diag/render.h"
#include "reconciler/rules/checks.h"
#include "reconciler/rules/load_and_check.h"
#include "tests/support/temp_dir.h"

using namespace pkiform;
using pkiform::testing::TempDir;

namespace {

struct Checked {
  LoadedManifests loaded;
  DiagnosticList diags;
  std::string Rendered() const { return RenderDiagnostics(diags, loaded.sources); }
};

Checked Check(const std::string& restarts) {
  TempDir dir;
  dir.Write("m/c.yaml",
            "apiVersion: pkiform/v1\nkind: Cluster\nmetadata: {name: web}\nspec:\n  platform: openssh\n"
            "  connection: {user: deploy, agent: true}\n  peers:\n    - {fqdn: web1.example.com}\n" +
                restarts);
  Checked c;
  pki::FixedClock clock(pki::TimePoint{});
  c.loaded = LoadAndCheck({(dir.path() / "m").string()}, clock, c.diags);
  return c;
}

}  // namespace

TEST_CASE("window check: a valid window and zone pass, and the model holds them", "[window][rules]") {
  Checked c = Check("  restarts:\n    window: \"Mon-Fri 22:00-02:00, Sat|Sun 03:00-07:00\"\n"
                    "    timeZone: Europe/London\n");
  INFO(c.Rendered());
  CHECK(c.diags.items().empty());
  REQUIRE(c.loaded.desired.clusters.size() == 1);
  CHECK(c.loaded.desired.clusters[0].restarts.window == "Mon-Fri 22:00-02:00, Sat|Sun 03:00-07:00");
  CHECK(c.loaded.desired.clusters[0].restarts.time_zone == "Europe/London");

  Checked defaults = Check("  restarts: {window: \"daily 01:00-03:00\"}\n");
  INFO(defaults.Rendered());
  CHECK(defaults.diags.items().empty());
  CHECK(defaults.loaded.desired.clusters.at(0).restarts.time_zone == "UTC");
  CHECK(Check("").loaded.desired.clusters.at(0).restarts.window.empty());  // no window: nothing to check
}

TEST_CASE("window check: every problem at once, at its value", "[window][rules]") {
  Checked c = Check("  restarts:\n    window: \"Sat 01:00-05:00, Sun 1:00-02:00\"\n    timeZone: Europe/Londn\n");
  const std::string out = c.Rendered();
  INFO(out);
  REQUIRE(c.diags.items().size() == 2);
  for (const Diagnostic& d : c.diags.items()) CHECK(d.rule == "window");
  CHECK_THAT(out, Catch::Contains("c.yaml:10:13: error: restarts.window: '1:00' is not a time"));
  CHECK_THAT(out, Catch::Contains("c.yaml:11:15: error: restarts.timeZone: unknown time zone 'Europe/Londn' "
                                  "(did you mean 'Europe/London'?)"));
  // A name that could leave the zoneinfo folder is refused by the schema's pattern first.
  Checked escape = Check("  restarts:\n    timeZone: ../../etc/passwd\n");
  INFO(escape.Rendered());
  REQUIRE(escape.diags.items().size() == 1);
  CHECK(escape.diags.items()[0].rule == "schema");
}
