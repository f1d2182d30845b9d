// The HTTPS client (providers/http) against a real TLS server: pkiform-sim's HTTPS
// endpoint (cpp-httplib) on 127.0.97.40-49. It trusts exactly the certificates given,
// checks the FQDN while connecting to the address, bounds time and answer size, and never
// lets the password into a message.
#include <catch2/catch.hpp>
#include <sys/socket.h>

#include <fstream>

#include "providers/http/https_client.h"
#include "tests/sim/sim_test_support.h"

using namespace pkiform;

namespace {

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Node {
  testing::TempDir tmp;
  simtest::NodeSpec spec;
  std::filesystem::path dir;
  std::unique_ptr<simtest::TlsDaemon> tls;

  explicit Node(const std::string& address) {
    spec.address = address;
    spec.httpsPort = simtest::FreePort(address);
    dir = simtest::InitNode(tmp.path() / "node", tmp.path() / "cluster", spec);
    tls = std::make_unique<simtest::TlsDaemon>(std::vector<std::filesystem::path>{dir}, tmp.path() / "tls.log");
  }

  http::HttpsRequest Request() const {
    http::HttpsRequest r;
    r.host = spec.fqdn;
    r.address = spec.address;
    r.port = spec.httpsPort;
    r.path = "/";
    // Cisco Tomcat serves tomcat or tomcat-ECDSA as the signature algorithms choose.
    r.trusted_pems = {ReadFile(dir / "running" / "tomcat.pem"), ReadFile(dir / "running" / "tomcat-ECDSA.pem")};
    r.timeout = std::chrono::seconds(10);
    return r;
  }
};

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("https client: trusts the node's own self-signed certificate and reaches the FQDN at the address",
          "[http]") {
  Node node("127.0.97.41");
  auto r = http::Send(node.Request());
  if (!r.ok()) FAIL(r.status().ToString());
  CHECK(r->status == 200);
  CHECK(Has(r->body, "Cisco Unified Communications Manager"));
}

TEST_CASE("https client: refuses a server it was not told to trust, another name, no trust at all", "[http]") {
  Node node("127.0.97.42");
  auto other = simtest::TestCa::Make("Unrelated CA");
  auto untrusted = node.Request();
  untrusted.trusted_pems = {other.cert.ToPem()};
  auto r = http::Send(untrusted);
  REQUIRE_FALSE(r.ok());
  CHECK(Has(r.status().message(), "https://cucm-pub.example.com:"));

  auto wrongName = node.Request();
  wrongName.host = "impostor.example.com";
  REQUIRE_FALSE(http::Send(wrongName).ok());

  auto none = node.Request();
  none.trusted_pems.clear();
  auto n = http::Send(none);
  REQUIRE_FALSE(n.ok());
  CHECK(n.status().code() == Status::Code::kInvalidInput);
}

TEST_CASE("https client: an answer over the cap and a server that never answers are errors", "[http]") {
  Node node("127.0.97.43");
  auto small = node.Request();
  small.max_response_bytes = 8;
  auto r = http::Send(small);
  REQUIRE_FALSE(r.ok());
  CHECK(Has(r.status().message(), "larger than 8 bytes"));

  // A listener that never accepts: the TLS handshake never completes.
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  inet_pton(AF_INET, "127.0.97.44", &sa.sin_addr);
  REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) == 0);
  REQUIRE(listen(fd, 4) == 0);
  socklen_t len = sizeof(sa);
  getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
  auto silent = node.Request();
  silent.address = "127.0.97.44";
  silent.port = ntohs(sa.sin_port);
  silent.timeout = std::chrono::milliseconds(700);
  auto start = std::chrono::steady_clock::now();
  auto t = http::Send(silent);
  close(fd);
  REQUIRE_FALSE(t.ok());
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
}

TEST_CASE("https client: the password goes as basic auth and never into a message", "[http]") {
  Node node("127.0.97.45");
  auto req = node.Request();
  req.path = "/platformcom/api/v1/certmgr/config/trust/certificates";
  req.user = "admin";
  pki::SecretString password{std::string("Client-Secret-Password")};
  req.password = &password;
  auto r = http::Send(req);  // this node has no administrator: 401, an answer, not an error
  if (!r.ok()) FAIL(r.status().ToString());
  CHECK(r->status == 401);
  CHECK_FALSE(Has(r->body, "Client-Secret-Password"));
  req.trusted_pems = {simtest::TestCa::Make("Other").cert.ToPem()};
  auto e = http::Send(req);
  REQUIRE_FALSE(e.ok());
  CHECK_FALSE(Has(e.status().message(), "Client-Secret-Password"));
}
