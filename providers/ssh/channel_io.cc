#include "providers/ssh/channel_io.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace pkiform::ssh {
namespace {

// Upper bound of one idle wait: a safety net should libssh ever hold a
// complete packet without the socket becoming readable again.
constexpr int kMaxIdleWaitMs = 200;
constexpr size_t kWriteChunk = 32768;

Status ChannelError(ssh_session session, const char* what) {
  return Status::IoError(std::string(what) + ": " + ssh_get_error(session));
}

// Waits until the session's socket is readable (or writable, when libssh has
// output queued), or the deadline passes, or kMaxIdleWaitMs.
int WaitForSocket(ssh_session session, const Deadline& deadline) {
  pollfd pfd{};
  pfd.fd = ssh_get_fd(session);
  pfd.events = POLLIN;
  if (ssh_get_poll_flags(session) & SSH_WRITE_PENDING) pfd.events |= POLLOUT;
  int rc = poll(&pfd, 1, deadline.PollTimeoutMs(kMaxIdleWaitMs));
  return rc < 0 && errno == EINTR ? 0 : rc;
}

}  // namespace

Result<PumpOutcome> Pump(ssh_session session, ssh_channel channel, ChannelPump& io, const Deadline& deadline,
                         const std::function<bool()>& stop) {
  char buf[65536];
  bool eof[2] = {false, false};
  for (;;) {
    bool progress = false;
    // A command that exits without reading all its input is not an error: drop the rest.
    if (!io.input.empty() && ssh_channel_is_closed(channel)) io.input = {};
    if (!io.input.empty()) {
      uint32_t window = ssh_channel_window_size(channel);
      if (window > 0) {
        size_t n = std::min<size_t>({static_cast<size_t>(window), io.input.size(), kWriteChunk});
        ArmSessionTimeout(session, deadline);  // bounds libssh's flush of what it sends
        int written = ssh_channel_write(channel, io.input.data(), static_cast<uint32_t>(n));
        if (written < 0) return ChannelError(session, "writing to the channel");
        io.input.remove_prefix(static_cast<size_t>(written));
        progress = progress || written > 0;
      }
    }
    if (io.input.empty() && io.sendEofAfterInput && !io.eofSent) {
      if (!ssh_channel_is_closed(channel) && ssh_channel_send_eof(channel) != SSH_OK) {
        return ChannelError(session, "closing the channel's input");
      }
      io.eofSent = true;
    }
    for (int stream = 0; stream < 2; ++stream) {
      if (eof[stream]) continue;
      int n = ssh_channel_read_nonblocking(channel, buf, sizeof buf, stream);
      if (n == SSH_EOF) {
        eof[stream] = true;
      } else if (n < 0) {
        return ChannelError(session, "reading from the channel");
      } else if (n > 0) {
        std::string* sink = (stream == 1 && io.err != nullptr) ? io.err : io.out;
        sink->append(buf, static_cast<size_t>(n));
        progress = true;
      }
    }
    if (progress) AckNow(session);
    if (stop && stop()) return PumpOutcome::kStopped;
    if (eof[0] && eof[1]) return PumpOutcome::kEof;
    if (progress) continue;
    if (deadline.expired()) return PumpOutcome::kTimedOut;
    if (WaitForSocket(session, deadline) < 0) {
      return Status::IoError(std::string("waiting for the channel: ") + std::strerror(errno));
    }
  }
}

Result<SshChannelPtr> OpenSessionChannel(ssh_session session, const Deadline& deadline) {
  SshChannelPtr channel(ssh_channel_new(session));
  if (!channel) return ChannelError(session, "cannot create a channel");
  int rc = DriveNonBlocking(session, deadline, [&] { return ssh_channel_open_session(channel.get()); });
  if (rc == SSH_AGAIN) {
    return Status::IoError("opening a channel timed out after " + std::to_string(deadline.budget().count()) + " ms");
  }
  if (rc != SSH_OK) return ChannelError(session, "cannot open a session channel");
  return channel;
}

void AckNow(ssh_session session) {
  int one = 1;
  setsockopt(ssh_get_fd(session), IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
}

int DriveNonBlocking(ssh_session session, const Deadline& deadline, const std::function<int()>& step) {
  ssh_set_blocking(session, 0);
  int rc = SSH_AGAIN;
  for (;;) {
    rc = step();
    AckNow(session);
    if (rc != SSH_AGAIN || deadline.expired()) break;
    if (WaitForSocket(session, deadline) < 0) {
      rc = SSH_ERROR;
      break;
    }
  }
  ssh_set_blocking(session, 1);
  return rc;
}

}  // namespace pkiform::ssh
