#include "providers/ssh/tcp_connect.h"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace pkiform::ssh {

Result<int> TcpConnect(const std::string& host, int port, const Deadline& deadline) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* raw = nullptr;
  const std::string service = std::to_string(port);
  int gai = getaddrinfo(host.c_str(), service.c_str(), &hints, &raw);
  if (gai != 0) return Status::IoError("cannot resolve " + host + ": " + gai_strerror(gai));
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> addrs(raw, &freeaddrinfo);

  std::string lastError = "no address";
  for (addrinfo* ai = addrs.get(); ai != nullptr; ai = ai->ai_next) {
    if (deadline.expired()) {
      return Status::IoError("connecting timed out after " + std::to_string(deadline.budget().count()) + " ms");
    }
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) {
      lastError = std::strerror(errno);
      continue;
    }
    int rc = connect(fd, ai->ai_addr, ai->ai_addrlen);
    if (rc != 0 && errno == EINPROGRESS) {
      pollfd pfd{fd, POLLOUT, 0};
      do {
        rc = poll(&pfd, 1, deadline.PollTimeoutMs(1 << 30));
      } while (rc < 0 && errno == EINTR);
      if (rc == 0) {
        close(fd);
        return Status::IoError("connecting timed out after " + std::to_string(deadline.budget().count()) + " ms");
      }
      int soError = 0;
      socklen_t len = sizeof soError;
      if (rc < 0) {
        soError = errno;
      } else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &len) != 0) {
        soError = errno;
      }
      rc = soError == 0 ? 0 : -1;
      errno = soError;
    }
    if (rc == 0) {
      int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      return fd;
    }
    lastError = std::strerror(errno);
    close(fd);
  }
  return Status::IoError("cannot connect: " + lastError);
}

}  // namespace pkiform::ssh
