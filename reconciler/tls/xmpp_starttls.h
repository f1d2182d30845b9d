// XMPP STARTTLS (RFC 6120, section 5): the client side of the plain-text stream
// negotiation that precedes TLS on an XMPP port (IM and Presence: cup-xmpp on the
// client port 5222, cup-xmpp-s2s on the federation port 5269). The probe runs it on a
// connected socket before its handshake, so the verifier can prove those slots.
//
// Everything the server sends is untrusted: reads are bounded (16 KiB in all, the
// socket's own timeouts) and only what the negotiation needs is looked for.
#pragma once

#include <string>

#include "reconciler/util/result.h"

namespace pkiform::tls {

// Opens a stream to `domain` (namespace jabber:client for "xmpp-client", jabber:server for
// "xmpp-server"), expects STARTTLS among the stream features, asks for it and expects
// <proceed/>. Ok: the next byte on `fd` is the server's side of the TLS handshake.
Status XmppStartTls(int fd, const std::string& mode, const std::string& domain);

}  // namespace pkiform::tls
