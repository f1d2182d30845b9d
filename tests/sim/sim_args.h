// Checks of the simple values the simulator's sub-commands and the DMS AAI's forms take
// (host names, IPv4 addresses, bounded numbers), shared so that each platform's init and
// each form refuses the same things.
#pragma once
#include <string>

namespace pkiform::sim {

// A DNS host name as the simulator takes it: [A-Za-z0-9.-], 1..253 characters.
bool IsHostName(const std::string& s);
// A dotted-quad IPv4 address.
bool IsIpv4(const std::string& s);
// A decimal number of at most 7 digits within [min, max], into `out`.
bool ParseNumberIn(const std::string& text, int min, int max, int& out);

}  // namespace pkiform::sim
