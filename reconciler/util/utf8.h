// UTF-8 decoding for the checks that treat input as text: the loader refuses a
// manifest that is not UTF-8 or holds characters YAML does not allow, and the
// terminal escaper keeps valid sequences and escapes every other byte.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace pkiform {

// The length (2 to 4) of the well-formed multi-byte UTF-8 sequence at s[i], or 0:
// a lone or truncated byte, an overlong form, a surrogate or a code point past
// U+10FFFF is not UTF-8.
size_t Utf8SequenceLength(std::string_view s, size_t i);

// The code point of that sequence (s[i] itself for ASCII), or nullopt.
std::optional<char32_t> DecodeUtf8(std::string_view s, size_t i, size_t* length);

}  // namespace pkiform
