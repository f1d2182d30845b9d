// The status report (reconciler/status/): built from observations, the plan and the
// fetched CRLs; rendered as text, JSON and HTML with every untrusted value escaped;
// --expiring-within's selection; the timeline's one mark per certificate.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "reconciler/status/build_status.h"
#include "reconciler/status/expiring.h"
#include "reconciler/status/html_escape.h"
#include "reconciler/status/status_html.h"
#include "reconciler/status/status_json.h"
#include "reconciler/status/status_text.h"
#include "reconciler/status/timeline_svg.h"
#include "tests/reconciler/status/status_fixture.h"

using namespace pkiform;
using namespace pkiform::statustest;

namespace {

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

size_t Count(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++n;
  return n;
}

struct World {
  TestCa ca = TestCa::Make("Corp CA");
  Desired desired = SmallDesired({"http://127.0.107.9/corp.crl", "http://127.0.107.9/gone.crl"});
  std::vector<Actual> observed;
  std::map<std::string, std::vector<pki::Certificate>> chains;
  Plan plan;

  World() {
    chains["corp-ca"] = {ca.cert};
    Actual a;
    a.cluster = "web";
    a.peer = "web1.example.com";
    ObservedSlot slot;
    slot.slot = "nginx";
    slot.certificate_pem = ca.Leaf("web1.example.com <script>alert(1)</script>\x1b[2J", 12).ToPem();
    a.slots.push_back(slot);
    ObservedSlot empty;
    empty.slot = "api";
    a.slots.push_back(empty);
    a.trust.push_back({"/etc/trust.pem", {ca.cert.ToPem()}, {}});
    a.crls.push_back({"/etc/crl.pem", ca.CrlPem(3)});
    observed.push_back(a);
    PeerPlan pp;
    pp.cluster = "web";
    pp.peer = "web1.example.com";
    Change ch;
    ch.address = "web/web1.example.com/identity/nginx";
    ch.kind = ChangeKind::kIdentity;
    ch.action = Action::kReplace;
    ch.slot_or_store = "nginx";
    ch.reason = "certificate expires 2027-01-13, within renewBefore 30d";
    pp.changes.push_back(ch);
    plan.peers.push_back(pp);
  }

  status::StatusInput Input() {
    status::StatusInput in{desired, observed, chains};
    in.plan = &plan;
    in.now = Now();
    in.fetched.emplace("http://127.0.107.9/corp.crl", ca.CrlPem(30));
    in.fetched.emplace("http://127.0.107.9/gone.crl", Status::Failed("http://127.0.107.9/gone.crl: HTTP status 404"));
    in.peer_errors["web/web2.example.com"] = "connection refused\x1b]0;pwned\x07";
    return in;
  }
};

}  // namespace

TEST_CASE("status: identities, trust entries and CRLs per peer; unreachable peers; distribution points", "[status]") {
  World w;
  auto fs = testing::Must(status::BuildFleetStatus(w.Input()));
  REQUIRE(fs.clusters.size() == 1);
  REQUIRE(fs.clusters[0].peers.size() == 2);
  const auto& web1 = fs.clusters[0].peers[0];
  CHECK(web1.reachable);
  REQUIRE(web1.certificates.size() == 3);
  const auto& nginx = web1.certificates[0];
  CHECK(nginx.kind == "identity");
  CHECK(nginx.days_left == 12);
  CHECK(nginx.issuer == "CN=Corp CA");
  REQUIRE(nginx.in_sync.has_value());
  CHECK_FALSE(*nginx.in_sync);  // the plan replaces it
  CHECK(Has(nginx.out_of_sync, "within renewBefore"));
  CHECK_FALSE(web1.certificates[1].present);  // api: nothing installed
  const auto& trust = web1.certificates[2];
  CHECK(trust.kind == "trust");
  CHECK(trust.subject == "CN=Corp CA");
  CHECK(trust.in_sync == std::optional<bool>(true));
  REQUIRE(web1.crls.size() == 1);
  CHECK(web1.crls[0].signature_ok);
  CHECK(Has(web1.crls[0].warning, "V12"));  // within warnBefore's default 7d
  CHECK(web1.pending.size() == 1);

  const auto& web2 = fs.clusters[0].peers[1];
  CHECK_FALSE(web2.reachable);
  CHECK(Has(web2.error, "connection refused"));

  REQUIRE(fs.distribution_points.size() == 2);
  CHECK(fs.distribution_points[0].signature_ok);
  CHECK(fs.distribution_points[0].issuer == "corp-ca");
  CHECK(Has(fs.distribution_points[1].error, "404"));
  CHECK(fs.HasProblems());
}

TEST_CASE("status: no plan means in sync is unknown; --target narrows to a peer or an item; a bad target fails", "[status]") {
  World w;
  auto in = w.Input();
  in.plan = nullptr;
  in.plan_unavailable = "a peer could not be observed";
  in.target = "web/web1.example.com";
  auto fs = testing::Must(status::BuildFleetStatus(in));
  REQUIRE(fs.clusters[0].peers.size() == 1);
  CHECK_FALSE(fs.clusters[0].peers[0].certificates[0].in_sync.has_value());
  CHECK(fs.sync_unknown == "a peer could not be observed");
  CHECK(Has(status::RenderStatusText(fs), "In sync: unknown"));
  in.target = "web/web1.example.com/nginx";
  auto one = testing::Must(status::BuildFleetStatus(in));
  REQUIRE(one.clusters[0].peers[0].certificates.size() == 1);
  CHECK(one.clusters[0].peers[0].certificates[0].name == "nginx");
  CHECK(one.clusters[0].peers[0].crls.empty());
  in.target = "web/web1.example.com/crl";
  auto crl = testing::Must(status::BuildFleetStatus(in));
  CHECK(crl.clusters[0].peers[0].certificates.empty());
  CHECK(crl.clusters[0].peers[0].crls.size() == 1);
  in.target = "web//x";
  CHECK_FALSE(status::BuildFleetStatus(in).ok());
}

TEST_CASE("status: --expiring-within picks certificates and CRL nextUpdates within the time", "[status]") {
  World w;
  auto fs = testing::Must(status::BuildFleetStatus(w.Input()));
  CHECK(status::ExpiringWithin(fs, std::chrono::hours(24)).empty());
  auto week = status::ExpiringWithin(fs, std::chrono::hours(24 * 7));
  REQUIRE(week.size() == 1);  // the uploaded CRL's nextUpdate in 3 days
  CHECK(Has(week[0], "web/web1.example.com crl /etc/crl.pem: nextUpdate 2027-01-04 (3 days)"));
  auto month = status::ExpiringWithin(fs, std::chrono::hours(24 * 31));
  CHECK(month.size() == 3);  // + nginx (12 days) + the distribution point (30 days)
}

TEST_CASE("status text and JSON: every value escaped, the JSON shape", "[status]") {
  World w;
  auto fs = testing::Must(status::BuildFleetStatus(w.Input()));
  const std::string text = status::RenderStatusText(fs);
  CHECK_FALSE(Has(text, "\x1b"));
  CHECK_FALSE(Has(text, "\x07"));
  CHECK(Has(text, "cluster web (openssh)"));
  CHECK(Has(text, "web2.example.com: unreachable: connection refused\\x1b]0;pwned\\x07"));
  CHECK(Has(text, "out of sync: certificate expires 2027-01-13"));
  CHECK(Has(text, "CRL distribution points"));

  auto j = nlohmann::json::parse(status::StatusJsonText(fs));
  CHECK(j["now"] == "2027-01-01T00:00:00Z");
  const auto& web1 = j["clusters"][0]["peers"][0];
  CHECK(web1["certificates"][0]["daysLeft"] == 12);
  CHECK(web1["certificates"][0]["inSync"] == false);
  CHECK(web1["certificates"][1]["notAfter"].is_null());
  CHECK(web1["crls"][0]["signatureVerified"] == true);
  CHECK(j["clusters"][0]["peers"][1]["reachable"] == false);
  CHECK(j["distributionPoints"].size() == 2);
  CHECK(j["syncUnknown"].is_null());
}

TEST_CASE("status html: self-contained, CSP, escaped, one timeline mark per certificate", "[status]") {
  World w;
  auto fs = testing::Must(status::BuildFleetStatus(w.Input()));
  const std::string html = status::RenderStatusHtml(fs);
  CHECK(Has(html, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"));
  CHECK_FALSE(Has(html, "<script"));
  // The DN's own RFC 4514 escaping (a backslash before < and >), then HTML's.
  CHECK(Has(html, "CN=web1.example.com \\&lt;script\\&gt;alert(1)\\&lt;/script\\&gt;"));
  CHECK_FALSE(Has(html, "\x1b"));
  CHECK_FALSE(Has(html, "src="));
  CHECK_FALSE(Has(html, "href="));
  CHECK(Count(html, "class=\"mark ") == 2);  // nginx and the trust entry; api has no certificate
  CHECK(status::TimelineMarkCount(fs) == 2);
  CHECK(Count(html, "class=\"now\"") == 1);
  CHECK(Has(html, "<h3 class=\"peer\">web2.example.com</h3>"));
  CHECK(Has(html, "CRL freshness"));
}

TEST_CASE("status html escape: markup, quotes, control bytes and invalid UTF-8", "[status]") {
  CHECK(status::HtmlEscape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;");
  CHECK(status::HtmlEscape("x\x1b[2Jy") == "x\xEF\xBF\xBD[2Jy");
  CHECK(status::HtmlEscape("\xff") == "\xEF\xBF\xBD");
  CHECK(status::HtmlEscape("\xc2\x85") == "\xEF\xBF\xBD");  // C1 NEL
  CHECK(status::HtmlEscape("Zürich") == "Zürich");
}
