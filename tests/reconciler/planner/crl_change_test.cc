// The CRL file of an openssh peer (crl_change.h), through MakePlan: created when
// absent, rewritten when a CRL is missing or older, left alone when every CRL is
// there and not older (compared, not copied); newer host CRLs kept, foreign ones
// dropped on a rewrite, stale ones noted; its restart, its --target, its errors.
#include "reconciler/planner/crl_change.h"

#include <catch2/catch.hpp>

#include "reconciler/pki/crl_bundle.h"
#include "reconciler/pki/digest.h"
#include "tests/reconciler/planner/planner_fixture.h"

namespace pkiform::planner {
namespace {

using namespace testing;

constexpr const char* kCrlPath = "/etc/nginx/tls/crl.pem";
constexpr const char* kAddress = "web-eu/web1.example.com/crl//etc/nginx/tls/crl.pem";
constexpr const char* kRootDn = "CN=Corp Root CA, O=Example Ltd, C=GB";
constexpr const char* kIssuingDn = "CN=Corp Issuing CA, O=Example Ltd, C=GB";

pki::Crl CrlOf(const Ca& ca, const char* this_update, const char* next_update,
               const std::vector<std::string>& revoked = {}) {
  return Must(pki::CreateCrl(ca.cert, ca.key, revoked, At(this_update), At(next_update)));
}

// A CRL without a CRL number (some CAs issue them): only thisUpdate can order it.
pki::Crl UnnumberedCrlOf(const Ca& ca, const char* this_update, const char* next_update) {
  pki::X509CrlPtr raw(X509_CRL_new());
  REQUIRE(raw);
  REQUIRE(X509_CRL_set_issuer_name(raw.get(), X509_get_subject_name(ca.cert.get())) == 1);
  pki::Asn1TimePtr last = Must(pki::Asn1FromTimePoint(At(this_update)));
  pki::Asn1TimePtr next = Must(pki::Asn1FromTimePoint(At(next_update)));
  REQUIRE(X509_CRL_set1_lastUpdate(raw.get(), last.get()) == 1);
  REQUIRE(X509_CRL_set1_nextUpdate(raw.get(), next.get()) == 1);
  REQUIRE(X509_CRL_sign(raw.get(), ca.key.get(), EVP_sha256()) > 0);
  return Must(pki::Crl::Adopt(std::move(raw)));
}

// The repository's CRLs of the fixture's PKI (now is 2026-06-01).
const pki::Crl& RootCrl() {
  static const pki::Crl crl = CrlOf(Root(), "2026-05-25T00:00:00Z", "2026-07-01T00:00:00Z");
  return crl;
}
const pki::Crl& IssuingCrl() {
  static const pki::Crl crl = CrlOf(Issuing(), "2026-05-26T00:00:00Z", "2026-07-02T00:00:00Z", {"0A", "0B"});
  return crl;
}

// The fixture's fleet (web1 in the desired state) whose cluster uploads the root's
// and the issuing CA's CRLs into kCrlPath, reread with `nginx -s reload`; web1's
// CRL file holds exactly those until a test says otherwise.
struct CrlFleet : Fleet {
  std::map<std::string, std::string> crl_pems;

  CrlFleet() {
    Upload({{"/repo/crl/root.crl", RootCrl().ToPem()}, {"/repo/crl/issuing.crl", IssuingCrl().ToDer()}});
    OnHost(RootCrl().ToPem() + IssuingCrl().ToPem());
  }

  // The cluster uploads these files (resolved path -> content), in this order.
  void Upload(const std::vector<std::pair<std::string, std::string>>& files) {
    CrlSettings crl;
    crl.path = kCrlPath;
    crl.update = "nginx -s reload";
    crl_pems.clear();
    for (const auto& [path, text] : files) {
      crl.upload.push_back(FileRef{path.substr(6), path, {}});
      crl_pems[path] = text;
    }
    cluster().revocation = Revocation{};
    cluster().revocation->crl = crl;
  }
  CrlSettings& settings() { return *cluster().revocation->crl; }
  // What web1's CRL file holds; nullopt: no file.
  void OnHost(std::optional<std::string> text) { actual().crls = {ObservedCrl{kCrlPath, std::move(text)}}; }

  Result<Plan> MakeCrlPlan(pki::TimePoint now = Now()) const {
    PlanInput in = Input(now);
    in.crl_pems = crl_pems;
    return planner::MakePlan(in);
  }
  Plan MustCrlPlan(pki::TimePoint now = Now()) const { return Must(MakeCrlPlan(now)); }
};

std::string Line(const pki::Crl& crl, const std::string& dn, int revoked) {
  return dn + ": thisUpdate " + pki::FormatDate(crl.ThisUpdate()) + ", nextUpdate " +
         pki::FormatDate(*crl.NextUpdate()) + ", " + std::to_string(revoked) + " revoked, number " + *crl.Number();
}

TEST_CASE("CRL file: absent on the host, it is created with every uploaded CRL in manifest order", "[planner][crl]") {
  CrlFleet f;
  f.OnHost(std::nullopt);
  const Plan plan = f.MustCrlPlan();
  const Change c = OnlyChange(plan);
  CHECK(c.address == kAddress);
  CHECK(c.action == Action::kCreate);
  CHECK(c.kind == ChangeKind::kCrl);
  CHECK(c.slot_or_store == kCrlPath);
  CHECK(c.reason == std::string("no CRL file on the host (for the CRLs of ") + kRootDn + " and " + kIssuingDn + ")");
  CHECK(c.before.empty());
  CHECK(c.after == std::vector<std::string>{Line(RootCrl(), kRootDn, 0), Line(IssuingCrl(), kIssuingDn, 2)});
  CHECK(c.certificate_pem == RootCrl().ToPem() + IssuingCrl().ToPem());  // the DER upload travels as PEM
  CHECK(c.before_fingerprint.empty());
  CHECK(c.after_fingerprint == pki::Sha256Fingerprint(c.certificate_pem));
  REQUIRE(plan.peers[0].restarts.size() == 1);
  CHECK(plan.peers[0].restarts[0].kind == RestartKind::kCommand);
  CHECK(plan.peers[0].restarts[0].target == "nginx -s reload");
  CHECK(plan.peers[0].restarts[0].because == kAddress);
  CHECK(plan.Summary().add == 1);
  CHECK(plan.peers[0].notes.empty());

  // The provider reporting nothing at all for the file reads the same.
  f.actual().crls.clear();
  CHECK(OnlyChange(f.MustCrlPlan()).action == Action::kCreate);
}

TEST_CASE("CRL file: CRLs are compared, not copied; a file holding them all is left alone", "[planner][crl]") {
  CrlFleet f;
  CHECK_FALSE(f.MustCrlPlan().HasChanges());
  // Other order, CRLF, comments, a certificate in between: the same CRLs, so nothing to do.
  std::string text = "# CRLs\r\n" + IssuingCrl().ToPem() + Root().cert.ToPem() + RootCrl().ToPem();
  f.OnHost(text);
  const Plan plan = f.MustCrlPlan();
  CHECK_FALSE(plan.HasChanges());
  CHECK(plan.peers[0].restarts.empty());
  CHECK(plan.peers[0].notes.empty());
}

TEST_CASE("CRL file: an older CRL on the host is an update naming the issuer and the dates", "[planner][crl]") {
  CrlFleet f;
  const pki::Crl old_root = CrlOf(Root(), "2026-05-01T00:00:00Z", "2026-06-15T00:00:00Z");
  const std::string host = old_root.ToPem() + IssuingCrl().ToPem();
  f.OnHost(host);
  const Plan plan = f.MustCrlPlan();
  const Change c = OnlyChange(plan);
  CHECK(c.action == Action::kUpdate);
  CHECK(c.reason == std::string("CRL of ") + kRootDn + " is older on the host: CRL number " + *old_root.Number() +
                        " < " + *RootCrl().Number() + " (thisUpdate 2026-05-01, 2026-05-25)");
  CHECK(c.before == std::vector<std::string>{Line(old_root, kRootDn, 0), Line(IssuingCrl(), kIssuingDn, 2)});
  CHECK(c.after == std::vector<std::string>{Line(RootCrl(), kRootDn, 0), Line(IssuingCrl(), kIssuingDn, 2)});
  CHECK(c.before_fingerprint == pki::Sha256Fingerprint(host));
  CHECK(c.after_fingerprint == pki::Sha256Fingerprint(RootCrl().ToPem() + IssuingCrl().ToPem()));
  CHECK(plan.Summary().change == 1);
  CHECK(RestartTargets(plan.peers[0]) == std::vector<std::string>{"nginx -s reload"});
}

TEST_CASE("CRL file: without CRL numbers, thisUpdate decides", "[planner][crl]") {
  CrlFleet f;
  const pki::Crl repo = UnnumberedCrlOf(Root(), "2026-05-25T12:00:00Z", "2026-07-01T00:00:00Z");
  const pki::Crl host = UnnumberedCrlOf(Root(), "2026-05-25T06:00:00Z", "2026-07-01T00:00:00Z");
  f.Upload({{"/repo/crl/root.crl", repo.ToPem()}});
  f.OnHost(host.ToPem());
  // Same day: the times are shown, so that "<" reads true.
  CHECK(OnlyChange(f.MustCrlPlan()).reason == std::string("CRL of ") + kRootDn +
                                                 " is older on the host: thisUpdate 2026-05-25T06:00:00Z < "
                                                 "2026-05-25T12:00:00Z");
  f.OnHost(UnnumberedCrlOf(Root(), "2026-05-20T00:00:00Z", "2026-07-01T00:00:00Z").ToPem());
  CHECK(OnlyChange(f.MustCrlPlan()).reason ==
        std::string("CRL of ") + kRootDn + " is older on the host: thisUpdate 2026-05-20 < 2026-05-25");
  f.OnHost(repo.ToPem());
  CHECK_FALSE(f.MustCrlPlan().HasChanges());
}

TEST_CASE("CRL file: a missing CRL in an existing file is an update", "[planner][crl]") {
  CrlFleet f;
  f.OnHost(RootCrl().ToPem());
  const Change c = OnlyChange(f.MustCrlPlan());
  CHECK(c.action == Action::kUpdate);
  CHECK(c.reason == std::string("CRL of ") + kIssuingDn + " is not on the host");
  CHECK(c.before == std::vector<std::string>{Line(RootCrl(), kRootDn, 0)});
  CHECK(c.certificate_pem == RootCrl().ToPem() + IssuingCrl().ToPem());
}

TEST_CASE("CRL file: a newer CRL on the host is kept and noted, never replaced by an older one", "[planner][crl]") {
  CrlFleet f;
  const pki::Crl newer_root = CrlOf(Root(), "2026-05-30T00:00:00Z", "2026-07-30T00:00:00Z", {"0C"});
  f.OnHost(newer_root.ToPem() + IssuingCrl().ToPem());
  Plan plan = f.MustCrlPlan();
  CHECK_FALSE(plan.HasChanges());
  REQUIRE(plan.peers[0].notes.size() == 1);
  CHECK(plan.peers[0].notes[0] == std::string("CRL of ") + kRootDn + " in " + kCrlPath +
                                      " is newer on the host than in the repository (CRL number " +
                                      *RootCrl().Number() + " < " + *newer_root.Number() +
                                      " (thisUpdate 2026-05-25, 2026-05-30)): kept; commit the newer CRL to the "
                                      "repository");

  // When the file is rewritten for another CRL, the newer one stays in it.
  f.OnHost(newer_root.ToPem());
  plan = f.MustCrlPlan();
  const Change c = OnlyChange(plan);
  CHECK(c.certificate_pem == newer_root.ToPem() + IssuingCrl().ToPem());
  CHECK(c.after == std::vector<std::string>{Line(newer_root, kRootDn, 1) + " (kept: newer on the host)",
                                            Line(IssuingCrl(), kIssuingDn, 2)});
  CHECK(plan.peers[0].notes.size() == 1);
}

TEST_CASE("CRL file: a CRL of an issuer the manifest does not list stays until the file is rewritten",
          "[planner][crl]") {
  CrlFleet f;
  const pki::Crl foreign = CrlOf(Other(), "2026-05-20T00:00:00Z", "2026-07-20T00:00:00Z");
  f.OnHost(RootCrl().ToPem() + foreign.ToPem() + IssuingCrl().ToPem());
  CHECK_FALSE(f.MustCrlPlan().HasChanges());

  f.OnHost(foreign.ToPem() + RootCrl().ToPem());
  const Change c = OnlyChange(f.MustCrlPlan());
  CHECK(c.before == std::vector<std::string>{
                        Line(foreign, "CN=Other CA, O=Example Ltd, C=GB", 0) + " (issuer not in the manifest: dropped)",
                        Line(RootCrl(), kRootDn, 0)});
  CHECK(c.certificate_pem == RootCrl().ToPem() + IssuingCrl().ToPem());
}

TEST_CASE("CRL file: a CRL past its nextUpdate is still installed, with a warning", "[planner][crl]") {
  CrlFleet f;
  f.OnHost(std::nullopt);
  const Plan plan = f.MustCrlPlan(At("2026-07-01T12:00:00Z"));  // the root CRL's nextUpdate has passed
  CHECK(OnlyChange(plan).certificate_pem == RootCrl().ToPem() + IssuingCrl().ToPem());
  REQUIRE(plan.peers[0].notes.size() == 1);
  CHECK(plan.peers[0].notes[0] ==
        std::string("warning: CRL of ") + kRootDn + " for " + kCrlPath +
            " passed its nextUpdate on 2026-07-01: services that check it treat every certificate of that CA as "
            "revoked; publish a new CRL");
}

TEST_CASE("CRL file: an empty or unreadable file on the host is rewritten", "[planner][crl]") {
  CrlFleet f;
  f.OnHost("");
  Change c = OnlyChange(f.MustCrlPlan());
  CHECK(c.action == Action::kUpdate);
  CHECK(c.reason == std::string("CRLs of ") + kRootDn + " and " + kIssuingDn + " are not on the host");
  CHECK(c.before == std::vector<std::string>{"no CRL (empty file)"});
  CHECK(c.before_fingerprint == pki::Sha256Fingerprint(""));

  f.OnHost("-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n");
  c = OnlyChange(f.MustCrlPlan());
  CHECK_THAT(c.reason,
             Catch::StartsWith("the file on the host cannot be read as CRLs: PEM block #1 is not a valid CRL"));
  REQUIRE(c.before.size() == 1);
  CHECK_THAT(c.before[0], Catch::StartsWith("unreadable: PEM block #1"));
  CHECK(c.certificate_pem == RootCrl().ToPem() + IssuingCrl().ToPem());
}

TEST_CASE("CRL file: two uploads of one issuer give one CRL, the newer", "[planner][crl]") {
  CrlFleet f;
  const pki::Crl old_root = CrlOf(Root(), "2026-05-01T00:00:00Z", "2026-06-15T00:00:00Z");
  f.Upload({{"/repo/crl/old.crl", old_root.ToPem()},
            {"/repo/crl/bundle.crl", IssuingCrl().ToPem() + RootCrl().ToPem()}});
  f.OnHost(std::nullopt);
  CHECK(OnlyChange(f.MustCrlPlan()).certificate_pem == RootCrl().ToPem() + IssuingCrl().ToPem());
}

TEST_CASE("CRL file: its update restarts after the trust store's and before the slots', once", "[planner][crl]") {
  CrlFleet f;
  f.OnHost(std::nullopt);
  f.actual().trust[0].certificate_pems.clear();
  f.slot().certificate_pem.reset();
  Plan plan = f.MustCrlPlan();
  REQUIRE(plan.peers[0].changes.size() == 3);
  CHECK(plan.peers[0].changes[1].kind == ChangeKind::kCrl);  // trust, CRL, identity: the executor's order
  CHECK(RestartTargets(plan.peers[0]) == std::vector<std::string>{"update-ca-certificates", "nginx -s reload"});
  CHECK(plan.peers[0].restarts[1].because == kAddress);  // the CRL file's, deduplicated with the slot's reload

  f.settings().update = "systemctl reload haproxy";
  plan = f.MustCrlPlan();
  CHECK(RestartTargets(plan.peers[0]) ==
        std::vector<std::string>{"update-ca-certificates", "systemctl reload haproxy", "nginx -s reload"});

  f.settings().update.clear();  // no command: the file changes, nothing restarts for it
  f.actual().trust[0].certificate_pems = {Root().cert.ToPem()};
  f.slot() = GoodSlot();
  plan = f.MustCrlPlan();
  CHECK(plan.Summary().add == 1);
  CHECK(plan.peers[0].restarts.empty());
}

TEST_CASE("CRL file: --target selects it as crl, by its path or by crl/<path>, and a slot target skips it",
          "[planner][crl]") {
  CrlFleet f;
  f.OnHost(std::nullopt);
  f.slot().certificate_pem.reset();
  CHECK(Changes(f.MustCrlPlan()).size() == 2);
  for (const std::string& item : std::vector<std::string>{"crl", kCrlPath, std::string("crl/") + kCrlPath}) {
    f.target = "web-eu/web1.example.com/" + item;
    INFO(f.target);
    CHECK(OnlyChange(f.MustCrlPlan()).kind == ChangeKind::kCrl);
  }
  f.target = "web-eu/web1.example.com/nginx";
  CHECK(OnlyChange(f.MustCrlPlan()).kind == ChangeKind::kIdentity);
  f.target = "web-eu/web1.example.com/crl/elsewhere.pem";
  CHECK(f.MakeCrlPlan().status().message() == "--target 'web-eu/web1.example.com/crl/elsewhere.pem' matches nothing "
                                              "in the manifests");
}

TEST_CASE("CRL file: an upload not given to the planner, or not a CRL, stops the plan naming it", "[planner][crl]") {
  CrlFleet f;
  f.crl_pems.erase("/repo/crl/issuing.crl");
  CHECK(f.MakeCrlPlan().status().message() ==
        "web-eu: revocation.crl.upload: crl/issuing.crl: file not read (/repo/crl/issuing.crl)");
  f.crl_pems["/repo/crl/issuing.crl"] = Root().cert.ToPem();
  CHECK(f.MakeCrlPlan().status().message() ==
        "web-eu: revocation.crl.upload: crl/issuing.crl: no CRL in the PEM text (no BEGIN X509 CRL block)");
}

TEST_CASE("CRL file: nothing is planned for a cluster without a CRL path", "[planner][crl]") {
  CrlFleet f;
  f.settings().path.clear();  // e.g. a vcs upload: not a file pkiform writes
  f.OnHost(std::nullopt);
  CHECK_FALSE(f.MustCrlPlan().HasChanges());
}

}  // namespace
}  // namespace pkiform::planner
