#include "reconciler/manifest/yaml_scalar.h"

#include <catch2/catch.hpp>

using namespace pkiform;

namespace {

ScalarKind KindOf(const std::string& text) { return ClassifyScalar(YAML::Load(text)); }

}  // namespace

TEST_CASE("integers are decimal only: other bases and leading zeros are text", "[manifest][yaml_scalar]") {
  CHECK(KindOf("443") == ScalarKind::kInteger);
  CHECK(KindOf("-1") == ScalarKind::kInteger);
  CHECK(KindOf("+22") == ScalarKind::kInteger);
  CHECK(KindOf("0") == ScalarKind::kInteger);
  // A YAML 1.1 reader takes 0443 for octal 291, a 1.2 one for 443: pkiform takes neither.
  CHECK(KindOf("0443") == ScalarKind::kString);
  CHECK(KindOf("0x10") == ScalarKind::kString);
  CHECK(KindOf("0o17") == ScalarKind::kString);
  CHECK(KindOf("0b101") == ScalarKind::kString);
  CHECK(KindOf("089") == ScalarKind::kString);
  CHECK(KindOf("0644") == ScalarKind::kString);  // a file mode reads as written
  CHECK(NonDecimalInteger("0443") == 291);
  CHECK(NonDecimalInteger("0x10") == 16);
  CHECK(NonDecimalInteger("-0o17") == -15);
  CHECK(NonDecimalInteger("0b101") == 5);
  CHECK_FALSE(NonDecimalInteger("089"));
  CHECK_FALSE(NonDecimalInteger("443"));
  CHECK(ScalarInteger(YAML::Load("+22")) == 22);
  CHECK_FALSE(ScalarInteger(YAML::Load("0x10")));
}

TEST_CASE("numbers, booleans, nulls and quoted text keep their YAML 1.2 kinds", "[manifest][yaml_scalar]") {
  CHECK(KindOf("1.5") == ScalarKind::kNumber);
  CHECK(KindOf("1e3") == ScalarKind::kNumber);
  CHECK(KindOf(".inf") == ScalarKind::kNumber);
  CHECK(KindOf("0443.5") == ScalarKind::kNumber);
  CHECK(KindOf("true") == ScalarKind::kBool);
  CHECK(KindOf("NO") == ScalarKind::kString);
  CHECK(KindOf("~") == ScalarKind::kNull);
  CHECK(KindOf("\"22\"") == ScalarKind::kString);
}

TEST_CASE("a scalar of 40,000 digits is classified without recursion and is out of range", "[manifest][yaml_scalar]") {
  // std::regex recursed once per character here and overflowed the stack.
  YAML::Node digits = YAML::Load("a: " + std::string(40000, '7'))["a"];
  CHECK(ClassifyScalar(digits) == ScalarKind::kInteger);
  CHECK_FALSE(ScalarInteger(digits));
  CHECK(ClassifyScalar(YAML::Load(std::string(100000, 'x'))) == ScalarKind::kString);
  CHECK(ClassifyScalar(YAML::Load("1." + std::string(100000, '5'))) == ScalarKind::kNumber);
}
