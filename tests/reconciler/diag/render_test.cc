#include "reconciler/diag/render.h"

#include <catch2/catch.hpp>

using namespace pkiform;

TEST_CASE("a diagnostic renders as file:line:col with the source line and a caret", "[diag]") {
  SourceMap sources;
  sources.Add("m.yaml", "kind: Cluster\nspec:\n  platfrom: vcs\n");
  Diagnostic d{Severity::kError, {"m.yaml", 3, 3}, "unknown key 'platfrom' in spec", "schema"};
  CHECK(RenderDiagnostic(d, sources) ==
        "m.yaml:3:3: error: unknown key 'platfrom' in spec [schema]\n"
        "    platfrom: vcs\n"
        "    ^\n");
}

TEST_CASE("a file-level diagnostic has no line, no caret", "[diag]") {
  SourceMap sources;
  Diagnostic d{Severity::kWarning, {"ca/root.pem", 0, 0}, "expires soon", "V12"};
  CHECK(RenderDiagnostic(d, sources) == "ca/root.pem: warning: expires soon [V12]\n");
}

TEST_CASE("summary counts errors and warnings; strict promotes warnings", "[diag]") {
  DiagnosticList list;
  CHECK(DiagnosticSummary(list) == "no problems");
  list.Error({"a", 1, 1}, "x");
  list.Warning({"a", 2, 1}, "y");
  list.Warning({"a", 2, 1}, "y");
  list.Sort();  // identical diagnostics collapse
  CHECK(DiagnosticSummary(list) == "1 error, 1 warning");
  list.PromoteWarnings();
  CHECK(list.errors() == 2);
}

TEST_CASE("diagnostics sort by file, line and column", "[diag]") {
  DiagnosticList list;
  list.Error({"b.yaml", 1, 1}, "b");
  list.Error({"a.yaml", 9, 2}, "a9");
  list.Error({"a.yaml", 2, 5}, "a2");
  list.Sort();
  REQUIRE(list.items().size() == 3);
  CHECK(list.items()[0].message == "a2");
  CHECK(list.items()[1].message == "a9");
  CHECK(list.items()[2].message == "b");
}
