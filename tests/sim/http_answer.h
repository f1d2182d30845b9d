// The simulated appliances' HTTPS endpoints without an API (vcs, dms): after the TLS
// handshake, one short plain-text answer to whatever request comes, read within a bound.
#pragma once

#include <openssl/ssl.h>

#include <string>

namespace pkiform::sim {

// Reads the request's head (at most 8 KiB) and answers `200 OK` with `body`, then the
// caller closes the connection.
void AnswerHttpOnce(SSL* ssl, const std::string& body);

}  // namespace pkiform::sim
