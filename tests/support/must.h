// The tests' way to take the value of a Result, or to require an Ok Status:
// on failure the test stops there and prints the status.
#pragma once

#include <catch2/catch.hpp>
#include <utility>

#include "reconciler/util/result.h"

namespace pkiform::testing {

template <typename T>
T Must(Result<T> result) {
  INFO(result.status().ToString());
  REQUIRE(result.ok());
  return std::move(result).value();
}

inline void MustOk(const Status& status) {
  INFO(status.ToString());
  REQUIRE(status.ok());
}

// As Must, for call sites that read better as "must be ok".
template <typename T>
T MustOk(Result<T> result) {
  return Must(std::move(result));
}

}  // namespace pkiform::testing
