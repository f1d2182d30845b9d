#include "reconciler/manifest/yaml_loop_guard.h"

#include <yaml-cpp/yaml.h>

#include <catch2/catch.hpp>

using namespace pkiform;

namespace {

// "line:col message", or "none".
std::string Probe(const std::string& text) {
  auto found = ProbeDocuments(text, "m.yaml");
  if (!found) return "none";
  return std::to_string(found->where.line) + ":" + std::to_string(found->where.column) + " " + found->message;
}

const std::string kComma =
    " invalid YAML: ',' outside a flow collection; a comma separates the items of [...] and {...} only";

}  // namespace

// Each of these made yaml-cpp 0.7's LoadAll loop forever, allocating.
TEST_CASE("every input found to loop is stopped where the parser stays", "[manifest][yaml_loop_guard]") {
  CHECK(Probe(",") == "1:1" + kComma);
  CHECK(Probe(",a\n") == "1:1" + kComma);
  CHECK(Probe("# hosts\n,\n") == "2:1" + kComma);
  CHECK(Probe("&a,\n") == "1:3" + kComma);
  CHECK(Probe("!t,\n") == "1:3" + kComma);
  CHECK(Probe("'a',\n") == "1:4" + kComma);
  CHECK(Probe("\t,\n") == "1:2" + kComma);
  // Not only commas: a '?' after an anchored top node.
  CHECK(Probe("&x a\n? \n") == "2:1 invalid YAML: no document can start at '?' here");
  CHECK(Probe("&x 1\n? d\n") == "2:1 invalid YAML: no document can start at '?' here");
}

TEST_CASE("ordinary documents pass the probe", "[manifest][yaml_loop_guard]") {
  CHECK(Probe("") == "none");
  CHECK(Probe("a: 1\n---\nb: [x, y]\n...\n--- {c: \"d\", e: 'f'}\n") == "none");
  CHECK(Probe("a ,\n") == "none");   // a plain scalar
  CHECK(Probe("a\n? \n") == "none");  // without the anchor
  CHECK_THROWS_AS(ProbeDocuments("a: 1\n,\n", "m.yaml"), YAML::Exception);  // an ordinary error
}

TEST_CASE("documents are counted before any is built", "[manifest][yaml_loop_guard]") {
  std::string markers;
  for (int i = 0; i < 10000; ++i) markers += "---\n";
  CHECK(Probe(markers) == "none");
  CHECK(Probe(markers + "---\n") == "10001:1 more than 10000 YAML documents in one file; split the file");
}
