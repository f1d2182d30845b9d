#include "tests/sim/vcs_settings.h"

#include <algorithm>
#include <sstream>

#include "tests/sim/sim_files.h"

namespace pkiform::sim {
namespace {

const std::vector<std::string> kOnOff{"On", "Off"};

Status Invalid(const std::string& leafPath, const std::string& why) {
  std::string leaf = leafPath.substr(leafPath.rfind(' ') + 1);
  return Status::InvalidInput("Invalid value for " + leaf + ": " + why);
}

bool HostNameOrEmpty(const std::string& v) {
  return v.size() <= 253 &&
         v.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") == std::string::npos;
}

bool HasControlOrQuote(const std::string& v) {
  return std::any_of(v.begin(), v.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f || c == '"';
  });
}

// Rule V10: "only HTTP(S) distribution points are supported"; each needs a host.
Result<std::string> NormaliseDistributionPoints(const std::string& leaf, const std::string& value) {
  if (value.size() > kMaxDistributionPointsLength)
    return Invalid(leaf, "longer than " + std::to_string(kMaxDistributionPointsLength) + " characters");
  if (HasControlOrQuote(value)) return Invalid(leaf, "quotes and control characters are not allowed");
  std::istringstream in(value);
  std::string url, out;
  while (in >> url) {
    std::string rest;
    if (url.starts_with("http://"))
      rest = url.substr(7);
    else if (url.starts_with("https://"))
      rest = url.substr(8);
    std::string host = rest.substr(0, rest.find_first_of("/:?#"));
    if (host.empty()) return Invalid(leaf, url + ": only HTTP(S) distribution points are supported");
    out += (out.empty() ? "" : " ") + url;
  }
  return out;
}

// Rule V10: the daily update time, HH:MM in UTC.
bool ValidTime(const std::string& v) {
  if (v.size() != 5 || v[2] != ':') return false;
  for (int i : {0, 1, 3, 4})
    if (v[i] < '0' || v[i] > '9') return false;
  return std::stoi(v.substr(0, 2)) < 24 && std::stoi(v.substr(3, 2)) < 60;
}

}  // namespace

const std::vector<VcsLeaf>& VcsLeaves() {
  static const std::vector<VcsLeaf> leaves = [] {
    std::vector<VcsLeaf> l{{"Alternates ClusterName", {}, ""}};
    for (int n = 1; n <= 6; ++n) l.push_back({"Alternates Peer " + std::to_string(n) + " Address", {}, ""});
    const std::string crl = "Certificates CRL Automatic ", sip = "SIP TLS CertificateRevocationChecking ";
    l.push_back({crl + "Mode", kOnOff, "Off"});
    l.push_back({crl + "DistributionPoints", {}, ""});
    l.push_back({crl + "UpdateTime", {}, "01:00"});
    l.push_back({sip + "Mode", kOnOff, "Off"});
    l.push_back({sip + "OCSP", kOnOff, "On"});
    l.push_back({sip + "CRL", kOnOff, "On"});
    l.push_back({sip + "CDP", kOnOff, "On"});
    l.push_back({sip + "FallbackBehavior", {"Revoked", "NotRevoked"}, "NotRevoked"});  // seed: default not revoked
    return l;
  }();
  return leaves;
}

std::map<std::string, std::string> LoadVcsSettings(const std::filesystem::path& dir) {
  std::map<std::string, std::string> stored;
  if (auto text = ReadText(dir / "settings.conf")) stored = ParseKeyValues(*text);
  std::map<std::string, std::string> out;
  for (const auto& leaf : VcsLeaves()) {
    auto it = stored.find(leaf.path);
    out[leaf.path] = it == stored.end() ? leaf.factory : it->second;
  }
  return out;
}

Status SetVcsSetting(const std::filesystem::path& dir, const VcsLeaf& leaf, const std::string& value) {
  std::string stored = value;
  if (!leaf.choices.empty()) {
    if (std::find(leaf.choices.begin(), leaf.choices.end(), value) == leaf.choices.end())
      return Invalid(leaf.path, value);
  } else if (leaf.path.ends_with("DistributionPoints")) {
    auto normal = NormaliseDistributionPoints(leaf.path, value);
    if (!normal.ok()) return normal.status().WithRule("V10");
    stored = *normal;
  } else if (leaf.path.ends_with("UpdateTime")) {
    if (!ValidTime(value)) return Invalid(leaf.path, value).WithRule("V10");
  } else if (!HostNameOrEmpty(value)) {  // Alternates: a host name or an address (ASSUMED)
    return Invalid(leaf.path, value);
  }
  FileLock lock(dir / "lock");
  auto all = LoadVcsSettings(dir);
  all[leaf.path] = stored;
  return WriteTextAtomic(dir / "settings.conf", FormatKeyValues(all));
}

Status InitVcsSettings(const std::filesystem::path& dir, const std::map<std::string, std::string>& overrides) {
  auto all = LoadVcsSettings(dir);
  for (const auto& [k, v] : overrides) all[k] = v;
  return WriteTextAtomic(dir / "settings.conf", FormatKeyValues(all));
}

}  // namespace pkiform::sim
