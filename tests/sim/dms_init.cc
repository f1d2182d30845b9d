#include "tests/sim/dms_init.h"

#include <cstdio>
#include <filesystem>

#include "tests/sim/dms_state.h"
#include "tests/sim/sim_args.h"

namespace pkiform::sim {

const char kDmsInitUsage[] =
    "       pkiform-sim init --platform dms --dir DIR --fqdn FQDN --address IP [--https-port N]\n";

namespace {

int Bad(const std::string& why) {
  std::fprintf(stderr, "pkiform-sim: %s\nusage:\n%s", why.c_str(), kDmsInitUsage);
  return 2;
}

}  // namespace

int DmsInitMain(const std::multimap<std::string, std::string>& o) {
  auto get = [&](const char* k) {
    auto it = o.find(k);
    return it == o.end() ? std::string() : it->second;
  };
  for (const auto& [k, v] : o) {
    if (k != "platform" && k != "dir" && k != "fqdn" && k != "address" && k != "https-port")
      return Bad("unknown option --" + k);
    if (o.count(k) > 1) return Bad("--" + k + " given twice");
  }
  DmsConfig c;
  c.fqdn = get("fqdn");
  c.address = get("address");
  if (get("dir").empty()) return Bad("--dir is required");
  // The FQDN becomes the identity's CN: no wildcard (D3), a host name.
  if (!IsHostName(c.fqdn)) return Bad("--fqdn must be a host name");
  if (!IsIpv4(c.address)) return Bad("--address must be an IPv4 address");
  if (!get("https-port").empty() && !ParseNumberIn(get("https-port"), 1, 65535, c.httpsPort))
    return Bad("--https-port must be 1..65535");
  auto s = DmsAppliance::Init(std::filesystem::absolute(get("dir")), c);
  if (!s.ok()) {
    std::fprintf(stderr, "pkiform-sim init: %s\n", s.ToString().c_str());
    return 1;
  }
  return 0;
}

}  // namespace pkiform::sim
