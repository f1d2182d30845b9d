// The IANA country table of seed 000 (Table 1, all continued pages) and its flags (rule D7).
#include "reconciler/catalogue/country_table.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>

namespace pkiform::catalogue {
namespace {

const CountryTable& Table() {
  const auto& t = BuiltinCountryTable();
  INFO(t.status().ToString());
  REQUIRE(t.ok());
  return *t;
}

CountryEntry Entry(const char* code) {
  auto e = LookupCountry(code);
  INFO(code);
  REQUIRE(e.has_value());
  return *e;
}

TEST_CASE("the country table holds every code of the document's Table 1", "[catalogue][rule:D7]") {
  const auto& entries = Table().entries;
  CHECK(entries.size() == 254);
  REQUIRE_FALSE(entries.empty());
  CHECK(entries.front().code == "AF");  // Afghanistan opens the table
  CHECK(entries.back().code == "ZW");   // Zimbabwe closes it
}

TEST_CASE("UK is IANA-only and GB is not", "[catalogue][rule:D7]") {
  const CountryEntry uk = Entry("UK");
  CHECK(uk.iana_only);
  CHECK(uk.prefer == "GB");
  CHECK(uk.basis == "document");
  const CountryEntry gb = Entry("GB");
  CHECK_FALSE(gb.iana_only);
  CHECK(gb.name == "United Kingdom of Great Britain and Northern Ireland");
}

TEST_CASE("codes that are not ISO 3166-1 alpha-2 are flagged, and only those", "[catalogue][rule:D7]") {
  std::set<std::string> flagged;
  for (const auto& e : Table().entries)
    if (e.iana_only) flagged.insert(e.code);
  CHECK(flagged == std::set<std::string>{"AC", "AN", "EU", "FX", "PC", "SU", "TP", "UK", "YU"});
  CHECK(Entry("TP").note.find("phased out") != std::string::npos);
  CHECK(Entry("EU").basis == "rule D7");
}

TEST_CASE("names are clean and lookups exact", "[catalogue][rule:D7]") {
  CHECK(Entry("NO").name == "Norway, Kingdom of");  // not the YAML boolean
  CHECK(Entry("AX").name == "Åland Islands");
  CHECK(Entry("SM").name == "San Marino");  // cross-reference dropped
  CHECK(Entry("BV").note.find("ISO-3166-1 alpha-2") != std::string::npos);
  CHECK_FALSE(LookupCountry("XX").has_value());
  CHECK_FALSE(LookupCountry("gb").has_value());
  CHECK_FALSE(LookupCountry("SS").has_value());  // South Sudan (2011) is after the document
  for (const auto& e : Table().entries) {
    INFO(e.code << " " << e.name);
    CHECK(e.name.find("see also") == std::string::npos);
    CHECK(e.name.find("For ") == std::string::npos);
    CHECK(e.name.find('<') == std::string::npos);
    CHECK(e.name.find("Note") == std::string::npos);
  }
}

TEST_CASE("a malformed country table is an error naming the entry", "[catalogue][rule:D7]") {
  auto dup = ParseCountryTable(
      "c.yaml", "source: s\ncountries:\n  - {code: \"GB\", name: a}\n  - {code: \"GB\", name: b}\n");
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.status().message().find("countries[1].code: 'GB' is listed twice") != std::string::npos);
  auto lower = ParseCountryTable("c.yaml", "source: s\ncountries:\n  - {code: gb, name: a}\n");
  REQUIRE_FALSE(lower.ok());
  CHECK(lower.status().message().find("not two upper-case letters") != std::string::npos);
  auto nobasis =
      ParseCountryTable("c.yaml", "source: s\ncountries:\n  - {code: UK, name: a, ianaOnly: true}\n");
  REQUIRE_FALSE(nobasis.ok());
  CHECK(nobasis.status().message().find("countries[0].basis") != std::string::npos);
  auto typo = ParseCountryTable("c.yaml", "source: s\ncountries:\n  - {code: UK, nme: a}\n");
  REQUIRE_FALSE(typo.ok());
  CHECK(typo.status().message().find("c.yaml:3:") == 0);
}

}  // namespace
}  // namespace pkiform::catalogue
