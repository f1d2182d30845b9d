// The catalogue files shipped in schema/platforms/ load, and the strict loader guards them:
// a typo in a shipped file is caught, and no truncation of one makes the loader throw.
#include <catch2/catch.hpp>
#include <string>

#include "reconciler/catalogue/catalogue.h"
#include "reconciler/util/embedded.h"

namespace pkiform::catalogue {
namespace {

TEST_CASE("every built-in platform loads, unknown ones are NotFound", "[catalogue]") {
  for (auto name : kPlatformNames) {
    INFO(name);
    auto p = LoadPlatform(name);
    INFO(p.status().ToString());
    REQUIRE(p.ok());
    CHECK(p->name == name);
  }
  auto missing = LoadPlatform("cucm");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == Status::Code::kNotFound);
}

TEST_CASE("a typo in the shipped ucm catalogue is caught", "[catalogue][loader]") {
  auto text = EmbeddedFile("schema/platforms/ucm.yaml");
  REQUIRE(text.has_value());
  std::string broken(*text);
  const std::string from = "    trustStore: tomcat-trust\n";
  const auto pos = broken.find(from);
  REQUIRE(pos != std::string::npos);
  broken.replace(pos, from.size(), "    trustStor: tomcat-trust\n");
  auto p = ParsePlatform("schema/platforms/ucm.yaml", broken);
  REQUIRE_FALSE(p.ok());
  CHECK(p.status().message().rfind("schema/platforms/ucm.yaml:", 0) == 0);
  CHECK(p.status().message().find("slots[0].trustStor: unknown key") != std::string::npos);
}

TEST_CASE("no prefix of a shipped catalogue makes the loader throw or crash", "[catalogue][loader]") {
  for (auto name : kPlatformNames) {
    auto text = EmbeddedFile("schema/platforms/" + std::string(name) + ".yaml");
    REQUIRE(text.has_value());
    for (size_t n = 0; n < text->size(); n += 89) {
      INFO(name << " cut at " << n);
      REQUIRE_NOTHROW(ParsePlatform("cut.yaml", text->substr(0, n)));
    }
  }
}

}  // namespace
}  // namespace pkiform::catalogue
