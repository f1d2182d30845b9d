// What every fuzz target of tests/fuzz shares: the input as text, and a check
// whose failure libFuzzer records as a crash. A target states the properties its
// code promises (a parsed bundle parses again after writing, a plan read back
// encodes to the same text), so the fuzzer finds wrong answers, not only crashes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace pkiform::fuzz {

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// abort() is what libFuzzer saves as a crash input; the message says which promise broke.
inline void Expect(bool holds, const char* promise) {
  if (holds) return;
  std::fprintf(stderr, "fuzz: broken promise: %s\n", promise);
  std::abort();
}

}  // namespace pkiform::fuzz
