#include "reconciler/manifest/yaml_schema.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>

using namespace pkiform;
using json = nlohmann::ordered_json;

// Every keyword the published schema uses must be one the loader interprets:
// otherwise the loader would silently accept what editors reject.
TEST_CASE("the manifest schema uses only keywords the loader implements", "[manifest][schema]") {
  const auto& supported = YamlSchemaValidator::SupportedKeywords();
  std::vector<std::string> unsupported;
  std::function<void(const json&)> walk = [&](const json& s) {
    if (!s.is_object()) return;
    for (auto it = s.begin(); it != s.end(); ++it) {
      if (std::find(supported.begin(), supported.end(), it.key()) == supported.end()) unsupported.push_back(it.key());
      if (it.key() == "properties" || it.key() == "$defs") {
        for (auto p = it.value().begin(); p != it.value().end(); ++p) walk(p.value());
      } else if (it.key() == "allOf") {
        for (const auto& sub : it.value()) walk(sub);
      } else if (it.value().is_object() && it.key() != "const") {
        walk(it.value());
      }
    }
  };
  walk(ManifestSchema());
  CHECK(unsupported.empty());
}

TEST_CASE("YAML 1.2 scalars: only true/false are booleans, quoted numbers are strings", "[manifest][schema]") {
  json schema = json::parse(R"({"type":"object","additionalProperties":false,"properties":{
      "country":{"type":"string"},"flag":{"type":"boolean"},"port":{"type":"integer"}}})");
  YamlSchemaValidator v(schema);
  DiagnosticList d;
  CHECK(v.Validate(YAML::Load("{country: NO, flag: true, port: 22}"), "f", d));
  CHECK_FALSE(v.Validate(YAML::Load("{flag: yes}"), "f", d));
  CHECK_FALSE(v.Validate(YAML::Load("{port: \"22\"}"), "f", d));
  REQUIRE(d.items().size() == 2);
  CHECK(d.items()[0].message == "flag must be a boolean (true or false), found a string");
  CHECK(d.items()[1].message == "port must be an integer, found a string");
}

TEST_CASE("unknown keys get a suggestion or the list of allowed keys", "[manifest][schema]") {
  json schema = json::parse(R"({"type":"object","additionalProperties":false,
      "properties":{"organization":{"type":"string"},"country":{"type":"string"}}})");
  YamlSchemaValidator v(schema);
  DiagnosticList d;
  v.Validate(YAML::Load("{organisation: x, zzz: 1}"), "f", d);
  REQUIRE(d.items().size() == 2);
  CHECK(d.items()[0].message == "unknown key 'organisation' in the document; did you mean 'organization'?");
  CHECK(d.items()[1].message == "unknown key 'zzz' in the document; expected one of: organization, country");
}

TEST_CASE("patterns match long values in linear time, without recursion", "[manifest][schema]") {
  json schema = json::parse(R"({"type":"object","properties":{
      "host":{"type":"string","title":"DNS name","pattern":"^([A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?\\.)*[A-Za-z0-9]+$"}}})");
  YamlSchemaValidator v(schema);
  DiagnosticList d;
  // std::regex overflowed the stack on values this long.
  CHECK(v.Validate(YAML::Load("host: " + std::string(100000, 'a')), "f", d));
  CHECK_FALSE(v.Validate(YAML::Load("host: " + std::string(100000, 'a') + "_"), "f", d));
  REQUIRE(d.items().size() == 1);
  CHECK(d.items()[0].message.size() < 250);  // the value is quoted cut short
  CHECK(d.items()[0].message.find("...(100001 bytes)...") != std::string::npos);
}

TEST_CASE("a node shared through aliases is validated once and its problems counted", "[manifest][schema]") {
  json schema = json::parse(R"({"type":"object","properties":{
      "peers":{"type":"array","items":{"type":"object","additionalProperties":false,
        "properties":{"port":{"type":"integer"}}}}}})");
  YamlSchemaValidator v(schema);
  std::string text = "peers:\n  - &p {port: x, extra: 1}\n";
  for (int i = 0; i < 299; ++i) text += "  - *p\n";
  DiagnosticList d;
  CHECK_FALSE(v.Validate(YAML::Load(text), "f", d));
  REQUIRE(d.items().size() == 2);
  CHECK(d.items()[0].message == "peers[0].port must be an integer, found a string");
  CHECK(d.items()[0].repeats == 300);
  CHECK(d.items()[1].message == "unknown key 'extra' in peers[0]; expected one of: port");
  CHECK(d.items()[1].repeats == 300);
}

TEST_CASE("an integer in another base is refused with the decimal to write", "[manifest][schema]") {
  json schema = json::parse(R"({"type":"object","properties":{"port":{"type":"integer"}}})");
  YamlSchemaValidator v(schema);
  DiagnosticList d;
  CHECK_FALSE(v.Validate(YAML::Load("port: 0443"), "f", d));
  CHECK_FALSE(v.Validate(YAML::Load("port: 0x1bb"), "f", d));
  REQUIRE(d.items().size() == 2);
  CHECK(d.items()[0].message == "port must be an integer, found a string; integers in pkiform manifests are decimal, "
                                "without leading zeros ('0443' is octal 291 to YAML 1.1 readers): write 443");
  CHECK(d.items()[1].message == "port must be an integer, found a string; integers in pkiform manifests are decimal, "
                                "and '0x1bb' is hexadecimal: write 443");
}
