#include "reconciler/manifest/duration.h"

#include <cctype>

#include "reconciler/util/input_limits.h"

namespace pkiform {

std::optional<Duration> ParseDuration(const std::string& text) {
  Duration d;
  d.text = text;
  bool months_only = true;
  long long months = 0;
  size_t i = 0;
  if (text.empty()) return std::nullopt;
  while (i < text.size()) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
    long long n = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      n = n * 10 + (text[i] - '0');
      if (n > 1000000000LL) return std::nullopt;
      ++i;
    }
    long long unit = 0;
    if (text.compare(i, 2, "mo") == 0) {
      unit = 30LL * 86400;
      months += n;
      i += 2;
    } else if (i < text.size()) {
      switch (text[i]) {
        case 's': unit = 1; break;
        case 'm': unit = 60; break;
        case 'h': unit = 3600; break;
        case 'd': unit = 86400; break;
        case 'w': unit = 7 * 86400; break;
        case 'y': unit = 365 * 86400; break;
        default: return std::nullopt;
      }
      months_only = false;
      ++i;
    } else {
      return std::nullopt;
    }
    // n <= 1e9 and unit <= 1y, so n * unit fits; the sum is checked at each step.
    d.length += std::chrono::seconds(n * unit);
    if (d.length.count() > limits::kDurationSeconds) return std::nullopt;
  }
  if (months_only) d.whole_months = static_cast<int>(months);
  return d;
}

std::string FormatDuration(std::chrono::seconds d) {
  long long s = d.count();
  if (s == 0) return "0s";
  std::string out;
  const std::pair<long long, const char*> units[] = {{86400, "d"}, {3600, "h"}, {60, "m"}, {1, "s"}};
  for (auto [size, name] : units) {
    if (s >= size) {
      out += std::to_string(s / size) + name;
      s %= size;
    }
  }
  return out;
}

}  // namespace pkiform
