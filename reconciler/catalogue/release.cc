// Parsing and ordering of Cisco release trains (release.h).
#include "reconciler/catalogue/release.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace pkiform::catalogue {
namespace {

// Reads a decimal number at text[pos...]; advances pos. False if there is none.
bool ReadNumber(std::string_view text, size_t& pos, int& out) {
  size_t end = pos;
  while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
  if (end == pos || end - pos > 6) return false;
  std::from_chars(text.data() + pos, text.data() + end, out);
  pos = end;
  return true;
}

}  // namespace

std::string Release::ToString() const {
  std::string s;
  for (size_t i = 0; i < train.size(); ++i) s += (i ? "." : "") + std::to_string(train[i]);
  if (service_update > 0) s += "SU" + std::to_string(service_update);
  return s;
}

Result<Release> ParseRelease(std::string_view text) {
  auto invalid = [&] {
    return Status::InvalidInput("'" + std::string(text) +
                                "' is not a release train such as 14, 14SU2 or 12.5SU3");
  };
  Release r;
  size_t pos = 0;
  int n = 0;
  if (!ReadNumber(text, pos, n)) return invalid();
  r.train.push_back(n);
  while (pos < text.size() && text[pos] == '.') {
    ++pos;
    if (!ReadNumber(text, pos, n) || r.train.size() >= 2) return invalid();
    r.train.push_back(n);
  }
  if (pos < text.size()) {
    if (text.size() - pos < 3 || std::toupper(static_cast<unsigned char>(text[pos])) != 'S' ||
        std::toupper(static_cast<unsigned char>(text[pos + 1])) != 'U')
      return invalid();
    pos += 2;
    if (!ReadNumber(text, pos, r.service_update) || pos != text.size()) return invalid();
  }
  return r;
}

int CompareReleases(const Release& a, const Release& b) {
  size_t n = std::max(a.train.size(), b.train.size());
  for (size_t i = 0; i < n; ++i) {
    int x = i < a.train.size() ? a.train[i] : 0;
    int y = i < b.train.size() ? b.train[i] : 0;
    if (x != y) return x < y ? -1 : 1;
  }
  if (a.service_update != b.service_update) return a.service_update < b.service_update ? -1 : 1;
  return 0;
}

bool ReleaseRange::Contains(const std::optional<Release>& release) const {
  if (!release) return true;
  if (since && CompareReleases(*release, *since) < 0) return false;
  if (before && CompareReleases(*release, *before) >= 0) return false;
  return true;
}

}  // namespace pkiform::catalogue
