// Quoting untrusted values in messages. A manifest value or a file name can be
// as long as the input allows; a message quotes at most kMaxQuotedBytes of it
// (its start and its end, with the length of the whole), so one huge value, or
// one used many times, cannot flood a terminal or a CI log.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace pkiform {

inline constexpr size_t kMaxQuotedBytes = 160;

// `value` itself when it is at most `max` bytes, else its start and end around
// "...(N bytes)...", cut between UTF-8 sequences. Not escaped: the renderer
// escapes whole messages.
std::string Excerpt(std::string_view value, size_t max = kMaxQuotedBytes);

}  // namespace pkiform
