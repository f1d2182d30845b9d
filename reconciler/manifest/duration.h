// Durations as manifests write them: a number and a unit, units combinable
// ("30d", "12h", "1d12h", "24mo"). Months and years are calendar-free here:
// 1mo = 30 days, 1y = 365 days, which is how certificate lifetimes are counted.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace pkiform {

struct Duration {
  std::chrono::seconds length{0};
  // Set when the text uses months only ("24mo"): DMS self-signed validity is
  // entered in whole months (rule D8).
  std::optional<int> whole_months;
  std::string text;  // as written, for messages

  bool operator==(const Duration& o) const { return length == o.length; }
};

// nullopt for text that is not a duration, and for one longer than 100y
// (util/input_limits.h).
std::optional<Duration> ParseDuration(const std::string& text);
// "30d", "12h", "1d12h": the shortest exact form, for messages.
std::string FormatDuration(std::chrono::seconds d);

}  // namespace pkiform
