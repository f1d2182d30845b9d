#include "reconciler/util/excerpt.h"

#include <catch2/catch.hpp>

using pkiform::Excerpt;

TEST_CASE("a short value is quoted whole", "[excerpt]") {
  CHECK(Excerpt("web1.example.com") == "web1.example.com");
  CHECK(Excerpt(std::string(160, 'a')) == std::string(160, 'a'));
}

TEST_CASE("a long value keeps its start and end and says how long it was", "[excerpt]") {
  const std::string value = "start" + std::string(100000, 'x') + "end";
  const std::string cut = Excerpt(value);
  CHECK(cut.size() <= 160);
  CHECK(cut.starts_with("startxxx"));
  CHECK(cut.ends_with("xxxend"));
  CHECK(cut.find("...(100008 bytes)...") != std::string::npos);
}

TEST_CASE("an excerpt never cuts a UTF-8 character in two", "[excerpt]") {
  std::string value;
  for (int i = 0; i < 100; ++i) value += "\xc3\xa9";  // é, two bytes each
  const std::string cut = Excerpt(value, 40);
  const size_t dots = cut.find("...(");
  REQUIRE(dots != std::string::npos);
  CHECK(dots % 2 == 0);  // whole characters before the marker
  const size_t tail = cut.find(")...") + 4;
  CHECK((cut.size() - tail) % 2 == 0);
}
