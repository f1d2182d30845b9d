#include "reconciler/util/utf8.h"

#include <catch2/catch.hpp>

using namespace pkiform;

TEST_CASE("well-formed UTF-8 sequences are decoded", "[utf8]") {
  size_t len = 0;
  CHECK(DecodeUtf8("A", 0, &len) == U'A');
  CHECK(len == 1);
  CHECK(DecodeUtf8("\xc3\xa9", 0, &len) == U'\u00e9');
  CHECK(len == 2);
  CHECK(DecodeUtf8("\xe2\x82\xac", 0, &len) == U'\u20ac');
  CHECK(DecodeUtf8("\xf0\x9f\x94\x92", 0, &len) == U'\U0001F512');
  CHECK(len == 4);
}

TEST_CASE("bytes that are not UTF-8 are refused", "[utf8]") {
  size_t len = 0;
  CHECK_FALSE(DecodeUtf8("\xe9", 0, &len));                // Latin-1 é
  CHECK_FALSE(DecodeUtf8("\xc0\xaf", 0, &len));            // overlong '/'
  CHECK_FALSE(DecodeUtf8("\xe0\x80\xaf", 0, &len));        // overlong
  CHECK_FALSE(DecodeUtf8("\xed\xa0\x80", 0, &len));        // surrogate
  CHECK_FALSE(DecodeUtf8("\xf4\x90\x80\x80", 0, &len));    // past U+10FFFF
  CHECK_FALSE(DecodeUtf8("\xe2\x82", 0, &len));            // truncated
  CHECK(Utf8SequenceLength("\xc3\xa9", 0) == 2);
  CHECK(Utf8SequenceLength("a", 0) == 0);  // ASCII is not a multi-byte sequence
}
