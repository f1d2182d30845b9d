// pkiform-sim's platform REST API (rest_api.h) over real TLS on the node's HTTPS port,
// with pkiform's libcurl client: basic auth, the CSR (U9, U5), the identity upload with
// the CLI's checks (U2, U7, U8) but multi-SAN accepted from 14SU2 where the CLI refuses
// it (U15), served only after Cisco Tomcat restarts (U13), and replicated trust (U10).
// Addresses: 127.0.97.x.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "providers/http/https_client.h"
#include "tests/sim/sim_test_support.h"

namespace pkiform::simtest {
namespace {

using nlohmann::json;

const std::string kUser = "pkiform-admin";
const std::string kPassword = "Rest-Test-Password-1";
const std::string kCsrPath = "/platformcom/api/v1/certmgr/config/csr";
const std::string kIdentityPath = "/platformcom/api/v1/certmgr/config/identity/certificates";
const std::string kTrustPath = "/platformcom/api/v1/certmgr/config/trust/certificates";

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Nodes of one cluster with administrator credentials, and the TLS daemon serving them.
class RestCluster {
 public:
  explicit RestCluster(std::vector<NodeSpec> specs) {
    password_ = tmp_.path() / "admin-password";
    std::ofstream(password_) << kPassword << "\n";
    for (auto& spec : specs) {
      spec.adminUser = kUser;
      spec.adminPasswordFile = password_.string();
      if (spec.httpsPort == 0) spec.httpsPort = FreePort(spec.address);
      dirs_.push_back(InitNode(tmp_.path() / spec.address, tmp_.path() / "cluster", spec));
      specs_.push_back(spec);
    }
    tls_ = std::make_unique<TlsDaemon>(dirs_, tmp_.path() / "tls.log");
  }

  const fs::path& dir(size_t i) const { return dirs_.at(i); }
  const NodeSpec& spec(size_t i) const { return specs_.at(i); }

  Result<http::HttpsResponse> Call(size_t i, const std::string& method, const std::string& path,
                                   const std::string& body = "", const std::string& password = kPassword) const {
    http::HttpsRequest r;
    r.method = method;
    r.host = specs_.at(i).fqdn;
    r.address = specs_.at(i).address;
    r.port = specs_.at(i).httpsPort;
    r.path = path;
    r.json_body = body;
    r.user = kUser;
    pki::SecretString secret{std::string(password)};
    r.password = &secret;
    // Cisco Tomcat serves tomcat or tomcat-ECDSA as the signature algorithms choose.
    r.trusted_pems = {ReadFile(dirs_.at(i) / "running" / "tomcat.pem"),
                      ReadFile(dirs_.at(i) / "running" / "tomcat-ECDSA.pem")};
    r.timeout = std::chrono::seconds(20);
    return http::Send(r);
  }

  json CallJson(size_t i, const std::string& method, const std::string& path, const json& body, long want) const {
    auto r = Call(i, method, path, body.is_null() ? "" : body.dump());
    if (!r.ok()) FAIL(r.status().ToString());
    INFO(r->body);
    CHECK(r->status == want);
    json j = json::parse(r->body, nullptr, false);
    REQUIRE_FALSE(j.is_discarded());
    return j;
  }

 private:
  testing::TempDir tmp_;
  fs::path password_;
  std::vector<fs::path> dirs_;
  std::vector<NodeSpec> specs_;
  std::unique_ptr<TlsDaemon> tls_;
};

NodeSpec Spec(const std::string& host, const std::string& address, const std::string& release,
              const std::string& role = "publisher") {
  NodeSpec s;
  s.fqdn = host + ".example.com";
  s.address = address;
  s.release = release;
  s.role = role;
  return s;
}

json CsrBody(const std::string& cn, std::vector<std::string> alt, const std::string& service = "tomcat",
             const std::string& type = "RSA", int length = 2048) {
  return json{{"service", service},        {"distribution", "this-server"}, {"commonName", cn},
              {"keyType", type},           {"keyLength", length},           {"hashAlgorithm", "SHA256"},
              {"altNames", std::move(alt)}};
}

const std::vector<std::string> kManyNames = {"cucm.example.com", "cucm-sub.example.com", "uc.example.com"};

}  // namespace

TEST_CASE("REST API: basic auth with the administrator's password, 401 otherwise", "[sim][rest]") {
  RestCluster c({Spec("cucm-pub", "127.0.97.1", "14SU2")});
  auto ok = c.Call(0, "GET", kTrustPath + "?service=tomcat");
  REQUIRE(ok.ok());
  CHECK(ok->status == 200);
  auto wrong = c.Call(0, "GET", kTrustPath, "", "not-the-password");
  REQUIRE(wrong.ok());
  CHECK(wrong->status == 401);
  CHECK(Has(wrong->body, "Unauthorized"));
  // The password is nowhere in the appliance directory: only its salted hash.
  for (const auto& e : fs::recursive_directory_iterator(c.dir(0)))
    if (e.is_regular_file()) CHECK_FALSE(Has(ReadFile(e.path()), kPassword));
  CHECK((fs::status(c.dir(0) / "admin-credentials").permissions() & fs::perms::all) == fs::perms(0600));
}

TEST_CASE("REST API: refusals are an HTTP status with a JSON message, and bodies are bounded", "[sim][rest]") {
  RestCluster c({Spec("cucm-pub", "127.0.97.2", "14SU2")});
  auto bad = c.Call(0, "POST", kCsrPath, "{not json");
  REQUIRE(bad.ok());
  CHECK(bad->status == 400);
  CHECK(Has(bad->body, "\"message\""));
  auto big = c.Call(0, "POST", kCsrPath, "{\"service\": \"" + std::string(300 * 1024, 'a') + "\"}");
  REQUIRE(big.ok());
  CHECK(big->status == 413);
  auto unknown = c.Call(0, "GET", "/platformcom/api/v1/certmgr/config/nothing");
  REQUIRE(unknown.ok());
  CHECK(unknown->status == 404);
  c.CallJson(0, "POST", kCsrPath, CsrBody("cucm-pub.example.com", {}, "no-such-unit"), 400);
}

TEST_CASE("REST API: a CSR with several names is the unit's pending CSR and replaces the previous one",
          "[sim][rest][rule:U9]") {
  RestCluster c({Spec("cucm-pub", "127.0.97.3", "14SU2")});
  auto cliFirst = RunShell(c.dir(0), "set csr gen tomcat\nyes\nshow csr own tomcat/tomcat.csr\nquit\n");
  const std::string cliCsr = PemBlock(cliFirst.out, "CERTIFICATE REQUEST");
  REQUIRE_FALSE(cliCsr.empty());
  // rule U9: the API's CSR replaces the CLI's ...
  auto first = c.CallJson(0, "POST", kCsrPath, CsrBody("cucm-pub.example.com", kManyNames), 200);
  CHECK(first["csr"].get<std::string>() != cliCsr);
  auto csr = pki::Csr::FromPem(first["csr"].get<std::string>());
  REQUIRE(csr.ok());
  auto names = csr->DnsNames();
  CHECK(names.size() == 4);
  for (const auto& n : kManyNames) CHECK(std::find(names.begin(), names.end(), n) != names.end());
  CHECK(csr->Subject().commonName == "cucm-pub.example.com");
  // The CLI shows the same pending CSR (one per unit).
  auto shown = RunShell(c.dir(0), "show csr own tomcat/tomcat.csr\nquit\n");
  CHECK(PemBlock(shown.out, "CERTIFICATE REQUEST") == first["csr"].get<std::string>());
  // ... and a later CLI CSR replaces the API's.
  RunShell(c.dir(0), "set csr gen tomcat\nyes\nquit\n");
  auto again = RunShell(c.dir(0), "show csr own tomcat/tomcat.csr\nquit\n");
  CHECK(PemBlock(again.out, "CERTIFICATE REQUEST") != first["csr"].get<std::string>());
}

TEST_CASE("REST API: the CSR's key follows the purpose (RSA for tomcat, EC for tomcat-ECDSA)",
          "[sim][rest][rule:U5]") {
  RestCluster c({Spec("cucm-pub", "127.0.97.4", "14SU2")});
  auto refused = c.CallJson(0, "POST", kCsrPath, CsrBody("cucm-pub.example.com", {}, "tomcat", "EC", 256), 400);
  CHECK(Has(refused["message"].get<std::string>(), "U5"));
  c.CallJson(0, "POST", kCsrPath, CsrBody("cucm-pub.example.com", {}, "tomcat-ECDSA", "RSA", 2048), 400);
  auto ec = c.CallJson(0, "POST", kCsrPath, CsrBody("cucm-pub.example.com", {}, "tomcat-ECDSA", "EC", 384), 200);
  auto csr = pki::Csr::FromPem(ec["csr"].get<std::string>());
  REQUIRE(csr.ok());
  CHECK(csr->Key().ToString() == "ECDSA P-384");
  auto rsa = c.CallJson(0, "POST", kCsrPath, CsrBody("cucm-pub.example.com", {}, "tomcat", "RSA", 3072), 200);
  CHECK(pki::Csr::FromPem(rsa["csr"].get<std::string>())->Key().ToString() == "RSA 3072");
}

TEST_CASE("REST API: from 14SU2 a multi-SAN identity goes through the API while the CLI refuses it, and is served "
          "after Cisco Tomcat restarts",
          "[sim][rest][rule:U15][rule:U8][rule:U13]") {
  RestCluster c({Spec("cucm-pub", "127.0.97.5", "14SU2")});
  auto ca = TestCa::Make("REST Root CA");
  std::vector<std::string> all = {"cucm-pub.example.com"};
  all.insert(all.end(), kManyNames.begin(), kManyNames.end());
  // The CLI refuses the multi-SAN certificate on 14SU2 (and keeps the CSR).
  auto gen = RunShell(c.dir(0), "set csr gen tomcat\nyes\nshow csr own tomcat/tomcat.csr\nquit\n");
  auto cliLeaf = ca.Sign(PemBlock(gen.out, "CERTIFICATE REQUEST"), all);
  auto cli = RunShell(c.dir(0), "set cert import trust tomcat\n" + Paste(ca.cert.ToPem()) +
                                    "set cert import own tomcat\n" + Paste(cliLeaf.ToPem()) + "quit\n");
  CHECK(Has(cli.out, "Multi-server (SAN) certificates cannot be uploaded through the CLI"));
  CHECK(fs::exists(c.dir(0) / "csr" / "tomcat.csr"));

  auto csr = c.CallJson(0, "POST", kCsrPath, CsrBody("cucm-pub.example.com", kManyNames), 200);
  auto leaf = ca.Sign(csr["csr"].get<std::string>(), all);
  auto served = PeerCertificate(c.spec(0).address, c.spec(0).httpsPort, kRsaSigalgs);
  REQUIRE(served);
  c.CallJson(0, "POST", kIdentityPath,
             json{{"service", "tomcat"}, {"certificates", {leaf.ToPem(), ca.cert.ToPem()}}}, 200);
  // rule U8: installed, the CSR deleted.
  auto own = RunShell(c.dir(0), "show cert own tomcat/tomcat.pem\nshow csr list own\nquit\n");
  CHECK(*pki::Certificate::FromPem(PemBlock(own.out, "CERTIFICATE")) == leaf);
  CHECK_FALSE(Has(own.out, "tomcat/tomcat.csr"));
  // rule U13: still the old one until Cisco Tomcat restarts.
  CHECK(*PeerCertificate(c.spec(0).address, c.spec(0).httpsPort, kRsaSigalgs) == *served);
  auto restart = RunShell(c.dir(0), "utils service restart Cisco Tomcat\nquit\n");
  REQUIRE(Has(restart.out, "Cisco Tomcat[STARTED]"));
  std::optional<pki::Certificate> now;
  CHECK(Eventually([&] {
    now = PeerCertificate(c.spec(0).address, c.spec(0).httpsPort, kRsaSigalgs);
    return now && *now == leaf;
  }));
  // The API answers on the new identity too.
  auto after = c.Call(0, "GET", kTrustPath + "?service=tomcat");
  REQUIRE(after.ok());
  CHECK(after->status == 200);
}

TEST_CASE("REST API: an identity upload keeps the CLI's checks (issuer in -trust, key usages)",
          "[sim][rest][rule:U7][rule:U2]") {
  RestCluster c({Spec("cucm-pub", "127.0.97.6", "14SU2")});
  auto ca = TestCa::Make("REST Check CA");
  auto csr = c.CallJson(0, "POST", kCsrPath, CsrBody("cucm-pub.example.com", kManyNames), 200);
  auto leaf = ca.Sign(csr["csr"].get<std::string>(), {"cucm-pub.example.com", "uc.example.com", "x.example.com"});
  auto noIssuer = c.CallJson(0, "POST", kIdentityPath, json{{"service", "tomcat"}, {"certificates", {leaf.ToPem()}}},
                             400);
  CHECK(Has(noIssuer["message"].get<std::string>(), "is not in tomcat-trust"));
  c.CallJson(0, "POST", kTrustPath,
             json{{"service", {"tomcat"}}, {"certificates", {ca.cert.ToPem()}}, {"description", "REST CA"}}, 200);
  auto noUsage = ca.Sign(csr["csr"].get<std::string>(), {"cucm-pub.example.com", "a.example.com", "b.example.com"},
                         {"digitalSignature"}, {"serverAuth"});
  auto usage = c.CallJson(0, "POST", kIdentityPath,
                          json{{"service", "tomcat"}, {"certificates", {noUsage.ToPem()}}}, 400);
  CHECK(Has(usage["message"].get<std::string>(), "key usage"));
  c.CallJson(0, "POST", kIdentityPath, json{{"service", "tomcat"}, {"certificates", {leaf.ToPem()}}}, 200);
}

TEST_CASE("REST API: a trust certificate added on one node replicates like the CLI's", "[sim][rest][rule:U10]") {
  RestCluster c({Spec("cucm-pub", "127.0.97.7", "14SU2"), Spec("cucm-sub", "127.0.97.8", "14SU2", "subscriber")});
  auto ca = TestCa::Make("Replicated REST CA");
  c.CallJson(0, "POST", kTrustPath,
             json{{"service", {"tomcat", "CAPF"}}, {"certificates", {ca.cert.ToPem()}}, {"description", "Corp CA"}},
             200);
  auto onSub = c.CallJson(1, "GET", kTrustPath + "?service=tomcat", json(), 200);
  bool found = false;
  for (const auto& e : onSub["certificates"])
    found = found || (e["certificate"].get<std::string>() == ca.cert.ToPem() && e["description"] == "Corp CA");
  CHECK(found);
  // CAPF-trust does not replicate (it stays on the publisher).
  auto capfSub = c.CallJson(1, "GET", kTrustPath + "?service=CAPF-trust", json(), 200);
  for (const auto& e : capfSub["certificates"]) CHECK(e["certificate"].get<std::string>() != ca.cert.ToPem());
}

}  // namespace pkiform::simtest
