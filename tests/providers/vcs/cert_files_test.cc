// The root account's `tail -n +1` of the four certificate files, and V17's temporary
// identity, on transcripts written from the contract (certificates made here).
#include "providers/vcs/cert_files.h"

#include <catch2/catch.hpp>

#include "reconciler/pki/signer.h"
#include "tests/providers/vcs/vcs_transcripts.h"
#include "tests/support/must.h"

using namespace pkiform;
using namespace pkiform::vcs;
using pkiform::testing::Must;
using vcstest::TheDialect;

namespace {

const std::string kServer = "/tandberg/persistent/certs/server.pem";
const std::string kCa = "/tandberg/persistent/certs/ca.pem";
const std::string kCsr = "/tandberg/persistent/certs/generated_csr/csr.pem";
const std::string kCrl = "/tandberg/persistent/certs/crl/manual.pem";

std::string Missing(const std::string& path) {
  return "tail: cannot open '" + path + "' for reading: No such file or directory\n";
}

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

struct Identity {
  pki::Certificate ca;
  pki::Certificate server;
};

// A CA named `ca_cn` and a server certificate for vcs1.example.com issued by it.
Identity MakeIdentity(const std::string& ca_cn) {
  const auto now = std::chrono::system_clock::now();
  auto ca_key = Must(pki::PrivateKey::Generate(pki::KeySpec::Ecdsa("P-256")));
  pki::SigningPolicy ca_policy;
  ca_policy.subject.commonName = ca_cn;
  ca_policy.subject.organization = ca_cn;
  ca_policy.isCa = true;
  ca_policy.keyUsage = {"keyCertSign", "cRLSign"};
  ca_policy.notBefore = now;
  ca_policy.validity = std::chrono::hours(24 * 365);
  auto ca = Must(pki::SelfSign(ca_key, ca_policy));
  auto key = Must(pki::PrivateKey::Generate(pki::KeySpec::Ecdsa("P-256")));
  pki::SigningPolicy leaf;
  leaf.subject.commonName = "vcs1.example.com";
  leaf.dnsNames = {"vcs1.example.com"};
  leaf.extendedKeyUsage = {"serverAuth", "clientAuth"};
  leaf.notBefore = now;
  leaf.validity = std::chrono::hours(24 * 30);
  auto server = Must(pki::SignPublicKey(key.get(), ca, ca_key, leaf));
  return {ca, server};
}

}  // namespace

TEST_CASE("vcs: tail of the four files, all present", "[vcs]") {
  std::string out = "==> " + kServer + " <==\nSERVER\n\n==> " + kCa + " <==\nCA1\nCA2\n\n==> " + kCsr +
                    " <==\nCSR\n\n==> " + kCrl + " <==\nCRL\n";
  auto files = Must(ParseTailOutput(out, "", 0, TheDialect()));
  REQUIRE(files.size() == 4);
  CHECK(files[0].path == kServer);
  CHECK(*files[0].content == "SERVER\n");
  CHECK(*files[1].content == "CA1\nCA2\n");
  CHECK(*files[2].content == "CSR\n");
  CHECK(*files[3].content == "CRL\n");
}

TEST_CASE("vcs: tail with no CSR pending and no CRL: the stderr lines say so", "[vcs][rule:V4]") {
  std::string out = "==> " + kServer + " <==\nSERVER\n\n==> " + kCa + " <==\nCA\n";
  auto files = Must(ParseTailOutput(out, Missing(kCsr) + Missing(kCrl), 1, TheDialect()));
  CHECK(files[1].content == std::optional<std::string>("CA\n"));
  CHECK_FALSE(files[2].content.has_value());
  CHECK_FALSE(files[3].content.has_value());
  // Only the CSR is missing: the CRL follows ca.pem directly.
  std::string with_crl = out + "\n==> " + kCrl + " <==\nCRL\n";
  auto crl = Must(ParseTailOutput(with_crl, Missing(kCsr), 1, TheDialect()));
  CHECK_FALSE(crl[2].content.has_value());
  CHECK(crl[3].content == std::optional<std::string>("CRL\n"));
}

TEST_CASE("vcs: a file without a final newline keeps its bytes", "[vcs]") {
  std::string out = "==> " + kServer + " <==\nSERVER\n==> " + kCa + " <==\nCA";
  auto files = Must(ParseTailOutput(out, Missing(kCsr) + Missing(kCrl), 1, TheDialect()));
  CHECK(*files[0].content == "SERVER");
  CHECK(*files[1].content == "CA");
}

TEST_CASE("vcs: tail output that does not add up is an error", "[vcs]") {
  const auto& d = TheDialect();
  std::string out = "==> " + kServer + " <==\nS\n\n==> " + kCa + " <==\nC\n";
  // A missing file not reported, or the wrong exit status.
  CHECK_FALSE(ParseTailOutput(out, "", 0, d).ok());
  CHECK_FALSE(ParseTailOutput(out, Missing(kCsr) + Missing(kCrl), 0, d).ok());
  // A key file or another unknown complaint.
  auto denied = ParseTailOutput(out, "tail: cannot open '" + kCsr + "' for reading: Permission denied\n", 1, d);
  REQUIRE_FALSE(denied.ok());
  CHECK(Has(denied.status().message(), "cannot read"));
  CHECK_FALSE(ParseTailOutput(out, "sh: tail: not found\n", 127, d).ok());
  // Reported missing twice, or missing and printed.
  CHECK_FALSE(ParseTailOutput(out, Missing(kCsr) + Missing(kCsr) + Missing(kCrl), 1, d).ok());
  CHECK_FALSE(ParseTailOutput(out + "\n==> " + kCsr + " <==\nX\n", Missing(kCsr) + Missing(kCrl), 1, d).ok());
  // No header at the start, or garbage only.
  CHECK_FALSE(ParseTailOutput("junk\n" + out, Missing(kCsr) + Missing(kCrl), 1, d).ok());
  CHECK_FALSE(ParseTailOutput("junk", Missing(kServer) + Missing(kCa) + Missing(kCsr) + Missing(kCrl), 1, d).ok());
  // A huge stderr line is quoted in part.
  auto huge = ParseTailOutput(out, std::string(200000, 'e'), 1, d);
  REQUIRE_FALSE(huge.ok());
  CHECK(huge.status().message().size() < 2000);
}

TEST_CASE("vcs: the files are interpreted: server, CA list with text between blocks, CSR and CRL", "[vcs]") {
  auto id = MakeIdentity("Corp Issuing CA");
  std::vector<FileText> files = {{kServer, id.server.ToPem()},
                                 {kCa, "# list\n" + id.ca.ToPem() + "comment\n" + id.server.ToPem()},
                                 {kCsr, std::nullopt},
                                 {kCrl, std::string("-----BEGIN X509 CRL-----\n")}};
  auto cf = Must(InterpretCertFiles(files, TheDialect()));
  REQUIRE(cf.server.has_value());
  CHECK(*cf.server == id.server);
  REQUIRE(cf.ca_list.size() == 2);
  CHECK(cf.ca_list[0] == id.ca);
  CHECK_FALSE(cf.pending_csr.has_value());
  CHECK(cf.crl.has_value());
  // server.pem must hold exactly one certificate; both files must exist.
  files[0].content = id.server.ToPem() + id.ca.ToPem();
  CHECK_FALSE(InterpretCertFiles(files, TheDialect()).ok());
  files[0].content = std::nullopt;
  CHECK_FALSE(InterpretCertFiles(files, TheDialect()).ok());
  files[0].content = "garbage";
  CHECK_FALSE(InterpretCertFiles(files, TheDialect()).ok());
}

TEST_CASE("vcs: the factory's temporary identity is recognised", "[vcs][rule:V17]") {
  auto temp = MakeIdentity("Temporary CA 5b2c7a1e-0d3f-4e8a-9c61-2f4b8d0e7a13");
  CHECK(IsTemporaryIdentity(temp.server, {temp.ca}, TheDialect()));
  // The issuer must be in the list, and be the one that issued the certificate.
  CHECK_FALSE(IsTemporaryIdentity(temp.server, {}, TheDialect()));
  auto impostor = MakeIdentity("Temporary CA 5b2c7a1e-0d3f-4e8a-9c61-2f4b8d0e7a13");
  CHECK_FALSE(IsTemporaryIdentity(temp.server, {impostor.ca}, TheDialect()));
  // A corporate CA's certificate is not temporary, nor one whose CN only contains the words.
  auto corp = MakeIdentity("Corp Issuing CA");
  CHECK_FALSE(IsTemporaryIdentity(corp.server, {corp.ca}, TheDialect()));
  auto lookalike = MakeIdentity("Not a Temporary CA x");
  CHECK_FALSE(IsTemporaryIdentity(lookalike.server, {lookalike.ca}, TheDialect()));
}
