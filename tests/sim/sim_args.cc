#include "tests/sim/sim_args.h"

#include <arpa/inet.h>

namespace pkiform::sim {

bool IsHostName(const std::string& s) {
  return !s.empty() && s.size() <= 253 &&
         s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") == std::string::npos;
}

bool IsIpv4(const std::string& s) {
  in_addr addr{};
  return !s.empty() && s.find_first_not_of("0123456789.") == std::string::npos &&
         inet_pton(AF_INET, s.c_str(), &addr) == 1;
}

bool ParseNumberIn(const std::string& text, int min, int max, int& out) {
  if (text.empty() || text.size() > 7 || text.find_first_not_of("0123456789") != std::string::npos) return false;
  out = std::stoi(text);
  return out >= min && out <= max;
}

}  // namespace pkiform::sim
