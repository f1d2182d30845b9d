// Shared helpers for the catalogue tests: the built-in platforms, loaded or the test fails.
#pragma once

#include <algorithm>
#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "reconciler/catalogue/catalogue.h"

namespace pkiform::catalogue::testing {

inline const PlatformCatalogue& Platform(std::string_view name) {
  const auto& cat = BuiltinCatalogue();
  INFO(cat.status().ToString());
  REQUIRE(cat.ok());
  const PlatformCatalogue* p = cat->Find(name);
  REQUIRE(p != nullptr);
  return *p;
}

inline const SlotSpec& Slot(const PlatformCatalogue& p, std::string_view name) {
  const SlotSpec* s = p.FindSlot(name);
  INFO("slot " << name);
  REQUIRE(s != nullptr);
  return *s;
}

inline const TrustStoreSpec& Store(const PlatformCatalogue& p, std::string_view name) {
  const TrustStoreSpec* t = p.FindTrustStore(name);
  INFO("trust store " << name);
  REQUIRE(t != nullptr);
  return *t;
}

inline std::set<std::string> ServiceNames(const std::vector<RestartSpec>& restarts) {
  std::set<std::string> out;
  for (const auto& r : restarts) out.insert(r.name);
  return out;
}

template <typename T>
std::set<T> AsSet(const std::vector<T>& v) {
  return std::set<T>(v.begin(), v.end());
}

inline std::set<std::string> FollowUpIds(const std::vector<const FollowUpSpec*>& v) {
  std::set<std::string> out;
  for (const auto* f : v) out.insert(f->id);
  return out;
}

inline Release R(std::string_view text) {
  auto r = ParseRelease(text);
  REQUIRE(r.ok());
  return *r;
}

}  // namespace pkiform::catalogue::testing
