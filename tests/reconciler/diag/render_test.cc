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

TEST_CASE("control bytes in messages, file names and source lines are escaped", "[diag]") {
  SourceMap sources;
  sources.Add("a\x1b[2J.yaml", "name: \"web\\e]0;t\\a\"\nx: \x1b]0;pwned\x07\n");
  Diagnostic d{Severity::kError, {"a\x1b[2J.yaml", 2, 4}, "value 'a\rb.yaml:1:1: error: forged' \x9b", "schema"};
  CHECK(RenderDiagnostic(d, sources) ==
        "a\\x1b[2J.yaml:2:4: error: value 'a\\rb.yaml:1:1: error: forged' \\x9b [schema]\n"
        "  x: \\x1b]0;pwned\\x07\n"
        "     ^\n");
  // A backslash written in the file is shown as written.
  Diagnostic first{Severity::kError, {"a\x1b[2J.yaml", 1, 7}, "bad", ""};
  CHECK(RenderDiagnostic(first, sources).find("  name: \"web\\e]0;t\\a\"\n") != std::string::npos);
}

TEST_CASE("the caret stays under its column after escapes, tabs and UTF-8", "[diag]") {
  SourceMap sources;
  sources.Add("m.yaml", "n: \"w\xc3\xa9" "b\"\t\x01 bad\n");
  Diagnostic d{Severity::kError, {"m.yaml", 1, 13}, "here", ""};
  CHECK(RenderDiagnostic(d, sources) ==
        "m.yaml:1:13: error: here\n"
        "  n: \"w\xc3\xa9" "b\"\t\\x01 bad\n"
        "          \t     ^\n");
}

TEST_CASE("a long source line is shown around the caret only", "[diag]") {
  SourceMap sources;
  sources.Add("m.yaml", std::string(5000, 'a') + "XYZ" + std::string(5000, 'b') + "\n");
  Diagnostic d{Severity::kError, {"m.yaml", 1, 5001}, "here", ""};
  const std::string shown = RenderDiagnostic(d, sources);
  CHECK(shown == "m.yaml:1:5001: error: here\n"
                 "  ..." + std::string(60, 'a') + "XYZ" + std::string(57, 'b') + "...\n"
                 "     " + std::string(60, ' ') + "^\n");
}

TEST_CASE("a message is cut short at 1000 bytes", "[diag]") {
  SourceMap sources;
  Diagnostic d{Severity::kError, {"m.yaml", 0, 0}, std::string(3000, 'm'), "schema"};
  CHECK(RenderDiagnostic(d, sources) ==
        "m.yaml: error: " + std::string(1000, 'm') + "... (message cut short: 3000 bytes) [schema]\n");
}

TEST_CASE("a problem with a value shared through aliases says how many places use it", "[diag]") {
  SourceMap sources;
  Diagnostic d{Severity::kError, {"m.yaml", 0, 0}, "bad", "schema", 201};
  CHECK(RenderDiagnostic(d, sources) ==
        "m.yaml: error: bad (this value is used 201 times, through YAML aliases) [schema]\n");
}

TEST_CASE("lines are found in a file with many of them", "[diag]") {
  SourceMap sources;
  std::string text;
  for (int i = 1; i <= 20000; ++i) text += "line " + std::to_string(i) + "\r\n";
  sources.Add("m.yaml", text);
  CHECK(sources.Line("m.yaml", 1) == "line 1");
  CHECK(sources.Line("m.yaml", 19999) == "line 19999");
  CHECK(sources.Line("m.yaml", 20001) == "");  // after the last line break
  CHECK_FALSE(sources.Line("m.yaml", 20002));
  CHECK_FALSE(sources.Line("m.yaml", 0));
  sources.Add("hidden.yaml", "secret\n", SourceMap::Quote::kNo);
  CHECK_FALSE(sources.Line("hidden.yaml", 1));
  CHECK(*sources.Text("hidden.yaml") == "secret\n");
}
