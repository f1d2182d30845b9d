// XMPP STARTTLS negotiation (xmpp_starttls.h).
#include "reconciler/tls/xmpp_starttls.h"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace pkiform::tls {
namespace {

constexpr size_t kMaxBytes = 16 * 1024;  // the stream header and features fit many times over
constexpr const char* kTlsNamespace = "urn:ietf:params:xml:ns:xmpp-tls";

Status SendAll(int fd, const std::string& text) {
  size_t sent = 0;
  while (sent < text.size()) {
    ssize_t n = ::send(fd, text.data() + sent, text.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return Status::IoError(std::string("XMPP: cannot send: ") + (n < 0 ? std::strerror(errno) : "closed"));
    sent += static_cast<size_t>(n);
  }
  return Status::Ok();
}

// Reads into `buffer` until `done(buffer)` or the bound; one recv at a time, so that
// nothing after the element that ends the wait (the TLS handshake) is consumed.
Status ReadUntil(int fd, std::string& buffer, size_t& total, bool (*done)(const std::string&), const char* what) {
  char chunk[1024];
  while (!done(buffer)) {
    if (total >= kMaxBytes) return Status::Failed(std::string("XMPP: no ") + what + " in the first 16 KiB");
    ssize_t n = ::recv(fd, chunk, std::min(sizeof chunk, kMaxBytes - total), 0);
    if (n == 0) return Status::Failed(std::string("XMPP: the server closed the stream before ") + what);
    if (n < 0)
      return Status::IoError(std::string("XMPP: waiting for ") + what + ": " +
                             (errno == EAGAIN || errno == EWOULDBLOCK ? "timed out" : std::strerror(errno)));
    buffer.append(chunk, static_cast<size_t>(n));
    total += static_cast<size_t>(n);
  }
  return Status::Ok();
}

bool HasStreamError(const std::string& b) { return b.find("<stream:error") != std::string::npos; }

bool FeaturesComplete(const std::string& b) {
  return HasStreamError(b) || b.find("</stream:features>") != std::string::npos ||
         b.find("<stream:features/>") != std::string::npos;
}

bool StartTlsAnswered(const std::string& b) {
  return HasStreamError(b) || b.find("<proceed") != std::string::npos || b.find("<failure") != std::string::npos;
}

}  // namespace

Status XmppStartTls(int fd, const std::string& mode, const std::string& domain) {
  if (mode != "xmpp-client" && mode != "xmpp-server")
    return Status::InvalidInput("unknown STARTTLS mode '" + mode + "' (xmpp-client or xmpp-server)");
  if (domain.empty() || domain.find_first_of("'\"<>&") != std::string::npos)
    return Status::InvalidInput("XMPP: '" + domain + "' is not a domain to open a stream to");
  const std::string ns = mode == "xmpp-client" ? "jabber:client" : "jabber:server";
  if (auto s = SendAll(fd, "<?xml version='1.0'?><stream:stream xmlns='" + ns +
                               "' xmlns:stream='http://etherx.jabber.org/streams' to='" + domain +
                               "' version='1.0'>");
      !s.ok())
    return s;
  std::string features;
  size_t total = 0;
  if (auto s = ReadUntil(fd, features, total, FeaturesComplete, "stream features"); !s.ok()) return s;
  if (HasStreamError(features)) return Status::Failed("XMPP: the server answered the stream with an error");
  size_t starttls = features.find("<starttls");
  if (starttls == std::string::npos || features.find(kTlsNamespace, starttls) == std::string::npos)
    return Status::Failed("XMPP: the server does not offer STARTTLS");
  if (auto s = SendAll(fd, std::string("<starttls xmlns='") + kTlsNamespace + "'/>"); !s.ok()) return s;
  std::string answer;
  if (auto s = ReadUntil(fd, answer, total, StartTlsAnswered, "an answer to STARTTLS"); !s.ok()) return s;
  if (answer.find("<proceed") == std::string::npos) return Status::Failed("XMPP: the server refused STARTTLS");
  return Status::Ok();
}

}  // namespace pkiform::tls
