#include "tests/support/test_ports.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>
#include <random>
#include <vector>

namespace pkiform::testing {
namespace {

constexpr const char* kClaimDir = "/tmp/pkiform-test-ports";

// [low, high): below the kernel's ephemeral range when it leaves room for one.
std::pair<int, int> ReservablePorts() {
  int ephemeralLow = 32768;
  std::ifstream in("/proc/sys/net/ipv4/ip_local_port_range");
  int low = 0;
  if (in >> low && low > 0) ephemeralLow = low;
  if (ephemeralLow >= 12000) return {ephemeralLow - 11000, ephemeralLow};
  return {20000, 32768};  // an unusual range: at least stay apart from well-known ports
}

// Nothing is bound to `port` on `address` now. SO_REUSEADDR as servers set it: a
// connection of an earlier test in TIME_WAIT does not keep a server off the port.
bool BindableNow(const std::string& address, int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = inet_pton(AF_INET, address.c_str(), &sa.sin_addr) == 1 &&
            bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0;
  close(fd);
  return ok;
}

// The claims this process holds: flock(2) locks, released by the kernel when the
// process ends however it ends, so a crashed test leaves no stale claim behind.
std::mutex claims_mu;
std::vector<int> claims;

}  // namespace

Result<int> ReserveTestPort(const std::string& address) {
  if (mkdir(kClaimDir, 01777) != 0 && errno != EEXIST)
    return Status::IoError(std::string("cannot create ") + kClaimDir + ": " + std::strerror(errno));
  auto [low, high] = ReservablePorts();
  std::mt19937 random(std::random_device{}());
  std::uniform_int_distribution<int> pick(low, high - 1);
  for (int attempt = 0; attempt < 4000; ++attempt) {
    int port = pick(random);
    std::string claim = std::string(kClaimDir) + "/" + std::to_string(port);
    int fd = open(claim.c_str(), O_CREAT | O_RDWR | O_CLOEXEC | O_NOFOLLOW, 0666);
    if (fd < 0) continue;
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {  // another test process (or this one) holds it
      close(fd);
      continue;
    }
    if (!BindableNow(address, port)) {  // in use by something that did not reserve it
      close(fd);
      continue;
    }
    std::lock_guard lock(claims_mu);
    claims.push_back(fd);
    return port;
  }
  return Status::IoError("no reservable TCP port on " + address + " between " + std::to_string(low) + " and " +
                         std::to_string(high - 1));
}

}  // namespace pkiform::testing
