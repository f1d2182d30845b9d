// Fetching CRLs from distribution points (reconciler/status/crl_fetch.h) from a real
// HTTP server (cpp-httplib) on 127.0.107.201-203 (loopback only; status.sh has .1-.10): the body of a 200,
// and errors for other statuses, redirects (never followed), oversized bodies,
// slow servers (the total timeout) and schemes other than http and https.
#include <catch2/catch.hpp>
#include <httplib.h>

#include <thread>

#include "reconciler/status/crl_fetch.h"
#include "tests/reconciler/status/status_fixture.h"

using namespace pkiform;
using namespace pkiform::statustest;

namespace {

// A plain HTTP server on `address` (any free port), serving until destroyed.
class HttpServer {
 public:
  explicit HttpServer(const std::string& address) {
    port_ = server_.bind_to_any_port(address);
    REQUIRE(port_ > 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() only stops a server that runs: wait for it (bounded) before any test can end.
    for (int i = 0; i < 500 && !server_.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    REQUIRE(server_.is_running());
    base_ = "http://" + address + ":" + std::to_string(port_);
  }
  ~HttpServer() {
    server_.stop();
    thread_.join();
  }
  httplib::Server& server() { return server_; }
  std::string Url(const std::string& path) const { return base_ + path; }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::string base_;
};

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("status crl fetch: the body of a 200; 404, redirects and other schemes are errors", "[status]") {
  auto ca = TestCa::Make("Corp CA");
  const std::string der = testing::Must(pki::Crl::Parse(ca.CrlPem(30))).ToDer();
  HttpServer http("127.0.107.201");
  http.server().Get("/corp.crl", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(der, "application/pkix-crl");
  });
  http.server().Get("/moved.crl", [&](const httplib::Request&, httplib::Response& res) {
    res.set_redirect("/corp.crl");
  });

  auto got = status::FetchCrl(http.Url("/corp.crl"));
  if (!got.ok()) FAIL(got.status().ToString());
  CHECK(*got == der);

  auto missing = status::FetchCrl(http.Url("/missing.crl"));
  REQUIRE_FALSE(missing.ok());
  CHECK(Has(missing.status().message(), "HTTP status 404"));

  auto moved = status::FetchCrl(http.Url("/moved.crl"));
  REQUIRE_FALSE(moved.ok());
  CHECK(Has(moved.status().message(), "HTTP status 302"));

  for (const char* url : {"ftp://127.0.107.201/x.crl", "file:///etc/passwd", "ldap://127.0.107.201/cn=x",
                          "http://127.0.107.201/a b"}) {
    auto r = status::FetchCrl(url);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Status::Code::kInvalidInput);
  }
}

TEST_CASE("status crl fetch: a body over the cap and a server slower than the timeout are errors", "[status]") {
  HttpServer http("127.0.107.202");
  http.server().Get("/big.crl", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(64 * 1024, 'x'), "application/pkix-crl");
  });
  http.server().Get("/slow.crl", [](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    res.set_content("late", "application/pkix-crl");
  });
  status::CrlFetchOptions small;
  small.max_bytes = 1024;
  auto big = status::FetchCrl(http.Url("/big.crl"), small);
  REQUIRE_FALSE(big.ok());
  CHECK(Has(big.status().message(), "larger than 1024 bytes"));

  status::CrlFetchOptions quick;
  quick.timeout = std::chrono::milliseconds(300);
  auto slow = status::FetchCrl(http.Url("/slow.crl"), quick);
  REQUIRE_FALSE(slow.ok());
  CHECK(Has(slow.status().message(), http.Url("/slow.crl")));

  // Nothing listens there: refused quickly, named.
  auto closed = status::FetchCrl("http://127.0.107.203:9/x.crl");
  REQUIRE_FALSE(closed.ok());
  CHECK(Has(closed.status().message(), "http://127.0.107.203:9/x.crl"));
}
