// One plain-text HTTP answer (http_answer.h).
#include "tests/sim/http_answer.h"

namespace pkiform::sim {

void AnswerHttpOnce(SSL* ssl, const std::string& body) {
  std::string request;
  char buf[1024];
  while (request.size() < 8192 && request.find("\r\n\r\n") == std::string::npos) {
    int n = SSL_read(ssl, buf, sizeof buf);
    if (n <= 0) return;
    request.append(buf, static_cast<size_t>(n));
  }
  const std::string answer = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " +
                             std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
  SSL_write(ssl, answer.data(), static_cast<int>(answer.size()));
}

}  // namespace pkiform::sim
