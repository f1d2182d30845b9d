// XMPP STARTTLS, the client side (reconciler/tls/xmpp_starttls.h): the stream it opens,
// and how it treats a server that does not follow RFC 6120 (untrusted: bounded reads).
// The server side is a thread on the other end of a socketpair; the end-to-end case (TLS
// after <proceed/>) is tests/sim/imp_test.cc against pkiform-sim's XMPP endpoints.
#include "reconciler/tls/xmpp_starttls.h"

#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <string>
#include <thread>

using namespace pkiform;

namespace {

// Runs XmppStartTls against `server` (given its end of the pair); returns the status and
// what the client sent.
struct Exchange {
  Status status = Status::Ok();
  std::string sent;
};

template <typename Server>
Exchange Run(const std::string& mode, const std::string& domain, Server server) {
  int fds[2];
  REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0);
  timeval tv{2, 0};
  setsockopt(fds[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  Exchange out;
  std::thread peer([&] {
    server(fds[1], out.sent);
    ::close(fds[1]);
  });
  out.status = tls::XmppStartTls(fds[0], mode, domain);
  ::shutdown(fds[0], SHUT_RDWR);
  peer.join();
  ::close(fds[0]);
  return out;
}

// Reads what the client sent until `marker` (or 1 s of silence).
void ReadUntil(int fd, std::string& sent, const std::string& marker) {
  timeval tv{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  char buf[512];
  while (sent.find(marker) == std::string::npos) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return;
    sent.append(buf, static_cast<size_t>(n));
  }
}

void Send(int fd, const std::string& text) { (void)!::send(fd, text.data(), text.size(), MSG_NOSIGNAL); }

const std::string kHeader =
    "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' "
    "id='1' from='imp.example.com' version='1.0'>";
const std::string kStartTlsFeatures =
    "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>";

}  // namespace

TEST_CASE("XMPP STARTTLS: stream, features, starttls, proceed", "[tls]") {
  auto ex = Run("xmpp-client", "imp.example.com", [](int fd, std::string& sent) {
    ReadUntil(fd, sent, "version='1.0'>");
    Send(fd, kHeader + kStartTlsFeatures);
    ReadUntil(fd, sent, "/>");
    Send(fd, "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
  });
  INFO(ex.sent);
  CHECK(ex.status.ok());
  CHECK(ex.sent.find("xmlns='jabber:client'") != std::string::npos);
  CHECK(ex.sent.find("to='imp.example.com'") != std::string::npos);
  CHECK(ex.sent.find("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>") != std::string::npos);

  auto s2s = Run("xmpp-server", "imp.example.com", [](int fd, std::string& sent) {
    ReadUntil(fd, sent, "version='1.0'>");
    Send(fd, kHeader + kStartTlsFeatures);
    ReadUntil(fd, sent, "/>");
    Send(fd, "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
  });
  CHECK(s2s.status.ok());
  CHECK(s2s.sent.find("xmlns='jabber:server'") != std::string::npos);
}

TEST_CASE("XMPP STARTTLS: a server that does not offer or refuses it, errors, closes or floods", "[tls]") {
  auto noTls = Run("xmpp-client", "imp.example.com", [](int fd, std::string& sent) {
    ReadUntil(fd, sent, "version='1.0'>");
    Send(fd, kHeader + "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>");
  });
  CHECK(noTls.status.message() == "XMPP: the server does not offer STARTTLS");

  auto refused = Run("xmpp-client", "imp.example.com", [](int fd, std::string& sent) {
    ReadUntil(fd, sent, "version='1.0'>");
    Send(fd, kHeader + kStartTlsFeatures);
    ReadUntil(fd, sent, "/>");
    Send(fd, "<failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
  });
  CHECK(refused.status.message() == "XMPP: the server refused STARTTLS");

  auto error = Run("xmpp-client", "imp.example.com", [](int fd, std::string& sent) {
    ReadUntil(fd, sent, "version='1.0'>");
    Send(fd, kHeader + "<stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>");
  });
  CHECK(error.status.message() == "XMPP: the server answered the stream with an error");

  auto closed = Run("xmpp-client", "imp.example.com", [](int fd, std::string& sent) { ReadUntil(fd, sent, ">"); });
  CHECK(closed.status.message() == "XMPP: the server closed the stream before stream features");

  auto flood = Run("xmpp-client", "imp.example.com", [](int fd, std::string& sent) {
    ReadUntil(fd, sent, "version='1.0'>");
    Send(fd, kHeader + std::string(32 * 1024, 'x'));
  });
  CHECK(flood.status.message() == "XMPP: no stream features in the first 16 KiB");

  auto silent = Run("xmpp-client", "imp.example.com", [](int fd, std::string& sent) {
    ReadUntil(fd, sent, "version='1.0'>");
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));  // past the client's 2 s
  });
  CHECK(silent.status.message() == "XMPP: waiting for stream features: timed out");
}

TEST_CASE("XMPP STARTTLS: an unknown mode or a domain that would break the stream header is refused", "[tls]") {
  auto sentNothing = [](int, std::string&) {};
  CHECK_FALSE(Run("smtp", "imp.example.com", sentNothing).status.ok());
  auto quote = Run("xmpp-client", "imp'><evil/>", sentNothing);
  CHECK_FALSE(quote.status.ok());
  CHECK(quote.status.message().find("not a domain") != std::string::npos);
}
