// "Did you mean ...?" for misspelt keys and values (edit distance).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pkiform {

size_t EditDistance(std::string_view a, std::string_view b);
// The closest candidate within a distance that a typo plausibly explains, or "".
std::string ClosestMatch(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace pkiform
