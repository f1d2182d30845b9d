#include "reconciler/manifest/yaml_limits.h"

#include <catch2/catch.hpp>

using namespace pkiform;

namespace {

std::string Nested(int levels) { return "a: " + std::string(levels - 1, '[') + std::string(levels - 1, ']') + "\n"; }

}  // namespace

TEST_CASE("values and keys longer than 4096 bytes are errors at their place", "[manifest][yaml_limits]") {
  DiagnosticList out;
  CHECK(CheckYamlLimits(YAML::Load("a: " + std::string(4096, 'x')), "m.yaml", out) == LimitVerdict::kWithin);
  CHECK(out.items().empty());
  YAML::Node long_value = YAML::Load("a: 1\nb: " + std::string(4097, 'x'));
  CHECK(CheckYamlLimits(long_value, "m.yaml", out) == LimitVerdict::kValueTooLong);
  REQUIRE(out.items().size() == 1);
  CHECK(out.items()[0].message == "this value is 4097 bytes long; pkiform takes at most 4096 bytes per value");
  CHECK(out.items()[0].rule == "limit");
  CHECK(out.items()[0].where.line == 2);
  CHECK(out.items()[0].where.column == 4);
  DiagnosticList keys;
  CHECK(CheckYamlLimits(YAML::Load("? " + std::string(5000, 'k') + "\n: 1\n"), "m.yaml", keys) ==
        LimitVerdict::kValueTooLong);
  REQUIRE(keys.items().size() == 1);
  CHECK(keys.items()[0].message == "this key is 5000 bytes long; pkiform takes at most 4096 bytes per key");
}

TEST_CASE("a long value shared through aliases is reported once", "[manifest][yaml_limits]") {
  std::string text = "a: &v " + std::string(5000, 'x') + "\nb: [";
  for (int i = 0; i < 1000; ++i) text += "*v, ";
  text += "*v]\n";
  DiagnosticList out;
  CHECK(CheckYamlLimits(YAML::Load(text), "m.yaml", out) == LimitVerdict::kValueTooLong);
  CHECK(out.items().size() == 1);
}

TEST_CASE("nesting is bounded at 32 levels, aliases included", "[manifest][yaml_limits]") {
  DiagnosticList out;
  CHECK(CheckYamlLimits(YAML::Load(Nested(32)), "m.yaml", out) == LimitVerdict::kWithin);
  CHECK(out.items().empty());
  CHECK(CheckYamlLimits(YAML::Load(Nested(33)), "m.yaml", out) == LimitVerdict::kUnwalkable);
  REQUIRE(out.items().size() == 1);
  CHECK(out.items()[0].where.column == 35);  // the 33rd '['
  // Each alias adds a level to what it names: 40 anchors deep, written 2 levels deep.
  std::string chain = "x0: &x0 [leaf]\n";
  for (int i = 1; i < 40; ++i) chain += "x" + std::to_string(i) + ": &x" + std::to_string(i) + " [*x" + std::to_string(i - 1) + "]\n";
  DiagnosticList aliases;
  CHECK(CheckYamlLimits(YAML::Load(chain), "m.yaml", aliases) == LimitVerdict::kUnwalkable);
}

TEST_CASE("a billion laughs is walked in time linear in its text", "[manifest][yaml_limits]") {
  // 10 levels of 10 aliases each: 10^10 leaves if expanded, 100 nodes as written.
  std::string text = "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i <= 10; ++i) {
    std::string prev = "*l" + std::to_string(i - 1);
    text += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) text += prev + (k < 9 ? ", " : "");
    text += "]\n";
  }
  DiagnosticList out;
  CHECK(CheckYamlLimits(YAML::Load(text), "m.yaml", out) == LimitVerdict::kWithin);
  CHECK(out.items().empty());
}

TEST_CASE("an alias that refers to the node holding it is a cycle", "[manifest][yaml_limits]") {
  DiagnosticList out;
  CHECK(CheckYamlLimits(YAML::Load("m: &m {name: web, labels: *m}\n"), "m.yaml", out) == LimitVerdict::kUnwalkable);
  REQUIRE(out.items().size() == 1);
  CHECK(out.items()[0].message == "invalid YAML: an alias refers to a node that contains it (a cycle)");
}
