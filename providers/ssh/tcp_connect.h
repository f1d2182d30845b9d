// TcpConnect: opens the TCP connection of an SSH session within a deadline.
//
// pkiform connects the socket itself and hands it to libssh (SSH_OPTIONS_FD):
// the connect is bounded by the operation's deadline, and libssh's
// SSH_OPTIONS_HOST stays free to carry the host key alias under which the
// key is looked up in known_hosts.
#pragma once

#include <string>

#include "providers/ssh/deadline.h"
#include "reconciler/util/result.h"

namespace pkiform::ssh {

// A connected, non-blocking, close-on-exec TCP socket (TCP_NODELAY set), or why
// there is none. Tries every address `host` resolves to, in order.
Result<int> TcpConnect(const std::string& host, int port, const Deadline& deadline);

}  // namespace pkiform::ssh
