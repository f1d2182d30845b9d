// `pkiform import`'s pure part: which repository Issuer issued a served certificate,
// how its names split over the manifest's fields, its lifetime as a manifest writes
// it, what cannot be expressed, and YAML that carries host values as data only.
// The PKI and the openssh slot are the planner tests' (planner_fixture.h), so that
// "plan right after import finds nothing to change" is checked by the same policies.
#include "reconciler/importer/importer.h"

#include <openssl/rsa.h>

#include <catch2/catch.hpp>
#include <yaml-cpp/yaml.h>

#include "reconciler/importer/issuer_match.h"
#include "reconciler/importer/render.h"
#include "tests/reconciler/planner/planner_fixture.h"

namespace pkiform::importer {
namespace {

using namespace planner::testing;

std::vector<KnownIssuer> Repository() {
  return {
      {"corp-root", Issuer::Kind::kCa, {Root().cert}},
      {"corp-ca", Issuer::Kind::kCa, {Issuing().cert, Root().cert}},
      {"self", Issuer::Kind::kSelfSigned, {}},
  };
}

Cluster Probe() {
  Cluster c;
  c.name = "web1";
  c.platform = "openssh";
  c.fqdn = "web.example.com";
  c.connection.user = "deploy";
  c.peers = {MakePeer("web1.example.com", "192.0.2.21")};
  IdentitySlot slot = NginxSlot();
  slot.issuer.clear();  // import finds these
  slot.subject = {};
  c.identity = {slot};
  TrustStore t;
  t.store = kStore;
  c.trust = {t};
  return c;
}

Actual Observed(const ObservedSlot& slot) {
  Actual a;
  a.cluster = "web1";
  a.peer = "web1.example.com";
  a.slots = {slot};
  a.trust = {ObservedTrustStore{kStore, {Root().cert.ToPem()}, {}}};
  return a;
}

ObservedSlot SlotFrom(const pki::Certificate& cert, const pki::PrivateKey& key = LeafKey()) {
  ObservedSlot s = GoodSlot();
  s.certificate_pem = cert.ToPem();
  s.key_public_digest = key.PublicKeyDigest();
  return s;
}

bool Mentions(const std::vector<NotExpressed>& list, const std::string& what, const std::string& why) {
  for (const auto& n : list)
    if (n.what.find(what) != std::string::npos && n.why.find(why) != std::string::npos) return true;
  return false;
}

TEST_CASE("import: the issuer is the repository Issuer whose CA signed the certificate", "[import]") {
  const pki::Certificate leaf = IssueLeaf(LeafKey());
  CHECK(IssuedBy(leaf, Issuing().cert));
  CHECK_FALSE(IssuedBy(leaf, Root().cert));  // the root above it did not sign it
  const IssuerMatch m = MatchIssuer(leaf, Repository());
  CHECK(m.issuer == "corp-ca");
  CHECK(m.also.empty());
  CHECK(m.problem.empty());
}

TEST_CASE("import: a CA with the same name but another key is not the issuer", "[import]") {
  const pki::PrivateKey key = NewP256Key();
  const pki::Certificate lookalike = Must(pki::SelfSign(key, CaPolicy("Corp Issuing CA", 365)));
  const pki::Certificate leaf = IssueLeaf(LeafKey());
  CHECK_FALSE(IssuedBy(leaf, lookalike));
  const IssuerMatch m = MatchIssuer(leaf, {{"lookalike", Issuer::Kind::kCa, {lookalike}}});
  CHECK(m.issuer.empty());
  CHECK(m.problem.find("issued by 'CN=Corp Issuing CA") != std::string::npos);
  CHECK(m.problem.find("authority key ") != std::string::npos);
}

TEST_CASE("import: two Issuers of the same CA: the first by name, the other named", "[import]") {
  auto repo = Repository();
  repo.push_back({"a-copy", Issuer::Kind::kExternal, {Issuing().cert}});
  const IssuerMatch m = MatchIssuer(IssueLeaf(LeafKey()), repo);
  CHECK(m.issuer == "a-copy");
  CHECK(m.also == std::vector<std::string>{"corp-ca"});
}

TEST_CASE("import: a self-signed certificate needs a selfSigned Issuer", "[import]") {
  pki::SigningPolicy p = LeafPolicy({});
  const pki::Certificate self = Must(pki::SelfSign(LeafKey(), p));
  CHECK(MatchIssuer(self, Repository()).issuer == "self");
  const IssuerMatch none = MatchIssuer(self, {Repository()[0], Repository()[1]});
  CHECK(none.issuer.empty());
  CHECK(none.problem == "the certificate is self-signed and the repository has no selfSigned Issuer");
}

TEST_CASE("import: names split into the peer's, the cluster's and extra ones", "[import]") {
  const std::vector<std::string> dns = {"web1.example.com", "web.example.com", "www.example.com"};
  NameSplit s = SplitNames("web1.example.com", dns, {"192.0.2.21"}, "web1.example.com", "web.example.com");
  CHECK(s.problem.empty());
  CHECK(s.common_name.empty());
  CHECK(s.extra_dns_names == std::vector<std::string>{"www.example.com"});
  CHECK(s.ip_addresses == std::vector<std::string>{"192.0.2.21"});
  // Without --cluster-fqdn the shared name is just another name.
  s = SplitNames("web1.example.com", dns, {}, "web1.example.com", "");
  CHECK(s.extra_dns_names == std::vector<std::string>{"web.example.com", "www.example.com"});
  // DNS names compare without case, as the planner compares them; the CN exactly.
  s = SplitNames("WWW.example.com", {"WEB1.example.com", "www.example.com"}, {}, "web1.example.com", "");
  CHECK(s.problem.empty());
  CHECK(s.common_name == "WWW.example.com");
  CHECK(s.extra_dns_names.empty());
}

TEST_CASE("import: names a manifest cannot write are said, not guessed", "[import]") {
  CHECK(SplitNames("", {"web1.example.com"}, {}, "web1.example.com", "").problem.find("no CN") != std::string::npos);
  CHECK(SplitNames("web2.example.com", {"web2.example.com"}, {}, "web1.example.com", "")
            .problem.find("do not include the peer's FQDN web1.example.com") != std::string::npos);
  CHECK(SplitNames("web1.example.com", {"web1.example.com"}, {}, "web1.example.com", "web.example.com")
            .problem.find("cluster FQDN web.example.com") != std::string::npos);
  CHECK(SplitNames("Web Server", {"web1.example.com"}, {}, "web1.example.com", "")
            .problem.find("CN 'Web Server' is not among its DNS names") != std::string::npos);
}

TEST_CASE("import: a lifetime is rounded to whole days, or hours below a day", "[import]") {
  using std::chrono::hours;
  using std::chrono::minutes;
  CHECK(RoundedDuration(Days(90) - minutes(5)).text == "90d");  // a backdated notBefore
  CHECK(RoundedDuration(Days(90) + hours(11)).text == "90d");
  CHECK(RoundedDuration(Days(90) + hours(12)).text == "91d");
  CHECK(RoundedDuration(hours(12) + minutes(30)).length == hours(13));
  CHECK(RoundedDuration(minutes(20)).text == "1h");
  CHECK(RenewBeforeFor(RoundedDuration(Days(90))).text == "30d");
  CHECK(RenewBeforeFor(RoundedDuration(Days(365))).text == "121d");
  CHECK(RenewBeforeFor(RoundedDuration(Days(2))).text == "16h");
  CHECK(RenewBeforeFor(RoundedDuration(hours(2))).text == "1h");
}

TEST_CASE("import: a host in the desired state gives a slot the planner leaves alone", "[import]") {
  const Imported im = ImportCluster(Probe(), Observed(GoodSlot()), Repository(), "web1", Now());
  CHECK(im.not_expressed.empty());
  CHECK(im.notes.empty());  // PlanReason found nothing: plan right after shows no changes
  REQUIRE(im.cluster.identity.size() == 1);
  const IdentitySlot& s = im.cluster.identity[0];
  CHECK(s.issuer == "corp-ca");
  CHECK(s.subject.organization == "Example Ltd");
  CHECK(s.subject.country == "GB");
  CHECK(s.subject.common_name.empty());
  CHECK(s.extra_dns_names.empty());  // web.example.com is the cluster's FQDN
  CHECK(s.key.algorithm == "ecdsa");
  CHECK(s.key.curve == "P-256");
  CHECK(s.duration.text == "365d");
  CHECK(s.renew_before.text == "121d");
  CHECK(s.files->certificate == "/etc/nginx/tls/nginx.pem");
  CHECK(s.reload == "nginx -s reload");
  REQUIRE(im.trust_files.size() == 1);
  CHECK(im.trust_files[0].file == "web1.trust1.pem");
  CHECK(im.trust_files[0].pem == Root().cert.ToPem());
  REQUIRE(im.cluster.trust.size() == 1);
  CHECK(im.cluster.trust[0].certificates[0].written == "web1.trust1.pem");
}

TEST_CASE("import: a certificate from an issuer the repository lacks is left out", "[import]") {
  const Imported im = ImportCluster(Probe(), Observed(SlotFrom(IssueLeaf(LeafKey(), {}, Other()))), Repository(),
                                    "web1", Now());
  CHECK(im.cluster.identity.empty());
  CHECK(Mentions(im.not_expressed, "identity slot nginx", "issued by 'CN=Other CA"));
  CHECK(im.cluster.trust.size() == 1);  // the rest is still imported
}

TEST_CASE("import: a slot with nothing installed, or an unusable key, is left out", "[import]") {
  ObservedSlot empty = GoodSlot();
  empty.certificate_pem.reset();
  CHECK(Mentions(ImportCluster(Probe(), Observed(empty), Repository(), "web1", Now()).not_expressed,
                 "identity slot nginx", "no certificate is installed"));
  // pkiform never makes an RSA 1024 key, so OpenSSL makes it here.
  const pki::EvpPkeyPtr small(EVP_RSA_gen(1024));
  REQUIRE(small);
  const pki::Certificate weak = Must(pki::SignPublicKey(small.get(), Issuing().cert, Issuing().key, LeafPolicy({})));
  ObservedSlot slot = SlotFrom(weak);
  slot.key_public_digest = pki::PublicKeyDigestOf(small.get());
  const Imported im = ImportCluster(Probe(), Observed(slot), Repository(), "web1", Now());
  CHECK(Mentions(im.not_expressed, "identity slot nginx", "RSA 1024, below the 2048 bits"));
}

TEST_CASE("import: a key the platform does not take is left out (vcs: RSA only)", "[import]") {
  Cluster probe = Probe();
  probe.platform = "vcs";
  probe.identity = {IdentitySlot{}};
  probe.identity[0].slot = "server";
  ObservedSlot served = GoodSlot("server");  // a P-256 key
  const Imported im = ImportCluster(probe, Observed(served), Repository(), "vcs", Now());
  std::string all;
  for (const auto& n : im.not_expressed) all += n.what + ": " + n.why + "\n";
  INFO(all);
  CHECK(im.cluster.identity.empty());
  CHECK(Mentions(im.not_expressed, "identity slot server", "its key is ecdsa, which slot server does not take on vcs"));
}

TEST_CASE("import: a ucm node says its role, product and release, and its type picks the slots", "[import]") {
  Cluster probe = Probe();
  probe.platform = "ucm";
  probe.identity.clear();
  probe.trust.clear();
  for (const char* name : {"tomcat", "CallManager", "cup"}) {
    probe.identity.emplace_back();
    probe.identity.back().slot = name;
  }
  for (const char* name : {"tomcat-trust", "cup-trust"}) {
    probe.trust.emplace_back();
    probe.trust.back().store = name;
  }
  Actual a;
  a.node = ObservedNode{"subscriber", "imAndPresence", "14.0.1.12900-161", "14SU2"};
  std::vector<NotExpressed> left_out;
  AdoptNode(a, probe, left_out);
  CHECK(left_out.empty());
  CHECK(probe.peers[0].role == "subscriber");
  CHECK(probe.product == "im-and-presence");
  CHECK(probe.platform_version == "14SU2");
  REQUIRE(probe.identity.size() == 2);
  CHECK(probe.identity[0].slot == "tomcat");
  CHECK(probe.identity[1].slot == "cup");
  REQUIRE(probe.trust.size() == 2);
  a.node->release.clear();  // a build not in the table: said, not guessed
  AdoptNode(a, probe, left_out);
  CHECK(Mentions(left_out, "platformVersion", "build 14.0.1.12900-161, which is not in pkiform's table"));
  Cluster openssh = Probe();
  AdoptNode(Observed(GoodSlot()), openssh, left_out);  // no node: nothing changes
  CHECK(openssh.identity.size() == 1);
  CHECK(openssh.product.empty());
}

TEST_CASE("import: what plan would still change is written and said", "[import]") {
  ObservedSlot wrong_key = GoodSlot();
  wrong_key.key_public_digest = NewP256Key().PublicKeyDigest();
  const Imported im = ImportCluster(Probe(), Observed(wrong_key), Repository(), "web1", Now());
  REQUIRE(im.cluster.identity.size() == 1);
  REQUIRE(im.notes.size() == 1);
  CHECK(im.notes[0] == "identity slot nginx: plan will replace it: private key does not match the certificate");
}

TEST_CASE("import: a trust store lists the CAs found, without expired ones", "[import]") {
  pki::SigningPolicy old = CaPolicy("Retired CA", 30);
  const pki::Certificate retired = Must(pki::SelfSign(NewP256Key(), old));
  Actual a = Observed(GoodSlot());
  a.trust[0].certificate_pems = {retired.ToPem() + Root().cert.ToPem()};  // one bundle file, two CAs
  const Imported im = ImportCluster(Probe(), a, Repository(), "web1", Now());
  REQUIRE(im.trust_files.size() == 1);
  CHECK(im.trust_files[0].pem == Root().cert.ToPem());
  CHECK(Mentions(im.not_expressed, "'CN=Retired CA", "expired on 2025-01-31"));
  a.trust.clear();
  CHECK(Mentions(ImportCluster(Probe(), a, Repository(), "web1", Now()).not_expressed,
                 std::string("trust store ") + kStore, "absent or empty"));
}

TEST_CASE("import: the YAML carries host values as data, comments as single lines", "[import]") {
  Imported im = ImportCluster(Probe(), Observed(GoodSlot()), Repository(), "web1", Now());
  IdentitySlot& s = im.cluster.identity.at(0);
  s.extra_dns_names = {"true", "14", "a: b", "#x", "0x1F", "12:30", "1e5", "web.example.com"};
  s.subject.organization = "Evil\n---\nkind: Issuer";
  im.not_expressed.push_back({"identity slot x", "issued by 'CN=bad\nkind: Issuer\r'"});
  const std::string text = RenderManifest(im, "web1.example.com (192.0.2.21:22)", Now());
  CHECK(text.find("\n# Not expressed: ") != std::string::npos);
  CHECK(text.find("CN=bad\\nkind: Issuer\\r'") != std::string::npos);  // one escaped comment line
  const std::vector<YAML::Node> docs = YAML::LoadAll(text);
  REQUIRE(docs.size() == 1);
  const YAML::Node& d = docs[0];
  CHECK(d["kind"].as<std::string>() == "Cluster");
  CHECK(d["metadata"]["name"].as<std::string>() == "web1");
  const YAML::Node slot = d["spec"]["identity"][0];
  CHECK(slot["subject"]["organization"].as<std::string>() == "Evil\n---\nkind: Issuer");
  CHECK(slot["extraDnsNames"][0].Tag() == "!");  // quoted: a string, not a boolean
  CHECK(slot["extraDnsNames"][1].Tag() == "!");
  CHECK(slot["extraDnsNames"][2].as<std::string>() == "a: b");
  CHECK(slot["extraDnsNames"][3].as<std::string>() == "#x");
  for (int i : {4, 5, 6}) CHECK(slot["extraDnsNames"][i].Tag() == "!");
  CHECK(slot["extraDnsNames"][7].Tag() == "?");  // a name stays plain, as the project writes it
  CHECK(d["spec"]["peers"][0]["address"].Tag() == "?");  // 192.0.2.21 is no number
  CHECK(slot["duration"].as<std::string>() == "365d");
  CHECK(d["spec"]["trust"][0]["certificates"][0].as<std::string>() == "web1.trust1.pem");
  CHECK(d["spec"]["peers"][0]["address"].as<std::string>() == "192.0.2.21");
}

}  // namespace
}  // namespace pkiform::importer
