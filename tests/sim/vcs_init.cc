#include "tests/sim/vcs_init.h"

#include <arpa/inet.h>

#include <cstdio>
#include <filesystem>

#include "tests/sim/sim_args.h"
#include "tests/sim/vcs_state.h"

namespace pkiform::sim {

const char kVcsInitUsage[] =
    "       pkiform-sim init --platform vcs --dir DIR --fqdn FQDN --address IP [--cluster-fqdn FQDN]\n"
    "                        [--release X8.1.1] [--restart-ms N] [--root-user NAME] [--peer ADDRESS]...\n"
    "                        [--https-port N] [--sip-tls-port N] [--mra-port N]\n";

namespace {

int Bad(const std::string& why) {
  std::fprintf(stderr, "pkiform-sim: %s\nusage:\n%s", why.c_str(), kVcsInitUsage);
  return 2;
}

// "X8.1", "X8.1.1": an X8 release (the contract's platform; REST from X8.10 is out of scope).
bool Release(const std::string& r) {
  return r.starts_with("X8.") && r.size() <= 12 && r.find_first_not_of("0123456789.", 1) == std::string::npos &&
         r.back() != '.' && r.find("..") == std::string::npos;
}

}  // namespace

int VcsInitMain(const std::multimap<std::string, std::string>& o) {
  auto get = [&](const char* k) {
    auto it = o.find(k);
    return it == o.end() ? std::string() : it->second;
  };
  static const char* known[] = {"platform",   "dir",       "fqdn", "address",    "cluster-fqdn", "release",
                                "restart-ms", "root-user", "peer", "https-port", "sip-tls-port", "mra-port"};
  for (const auto& [k, v] : o) {
    bool found = false;
    for (const char* n : known) found = found || k == n;
    if (!found) return Bad("unknown option --" + k);
    if (k != "peer" && o.count(k) > 1) return Bad("--" + k + " given twice");
  }
  VcsConfig c;
  c.fqdn = get("fqdn");
  c.address = get("address");
  c.clusterFqdn = get("cluster-fqdn");
  if (get("dir").empty()) return Bad("--dir is required");
  if (!IsHostName(c.fqdn)) return Bad("--fqdn must be a host name");
  in_addr addr{};
  if (inet_pton(AF_INET, c.address.c_str(), &addr) != 1) return Bad("--address must be an IPv4 address");
  if (!c.clusterFqdn.empty() && !IsHostName(c.clusterFqdn)) return Bad("--cluster-fqdn must be a host name");
  if (!get("release").empty()) c.release = get("release");
  if (!Release(c.release)) return Bad("--release must be an X8 release such as X8.1.1");
  if (!get("restart-ms").empty() && !ParseNumberIn(get("restart-ms"), 0, 600000, c.restartMs))
    return Bad("--restart-ms must be 0..600000");
  if (!get("root-user").empty()) c.rootUser = get("root-user");
  if (c.rootUser.size() > 32 ||
      c.rootUser.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") != std::string::npos)
    return Bad("--root-user must be a user name ([a-z0-9_-], at most 32)");
  for (auto [name, port] : {std::pair{"https-port", &c.httpsPort}, std::pair{"sip-tls-port", &c.sipTlsPort},
                            std::pair{"mra-port", &c.mraPort}}) {
    if (!get(name).empty() && !ParseNumberIn(get(name), 1, 65535, *port))
      return Bad(std::string("--") + name + " must be 1..65535");
  }
  auto [b, e] = o.equal_range("peer");
  for (auto it = b; it != e; ++it) {
    if (!IsHostName(it->second)) return Bad("--peer must be a host name or an address");
    c.peers.push_back(it->second);
  }
  if (c.peers.size() > 6) return Bad("at most 6 --peer (Alternates Peer 1..6)");
  auto s = VcsAppliance::Init(std::filesystem::absolute(get("dir")), c);
  if (!s.ok()) {
    std::fprintf(stderr, "pkiform-sim init: %s\n", s.ToString().c_str());
    return 1;
  }
  return 0;
}

}  // namespace pkiform::sim
