// GenerateCsr against a real sshd: the key is made on the host and stays there.
#include <catch2/catch.hpp>

#include "providers/openssh/csr_script.h"
#include "tests/providers/openssh/openssh_fixture.h"

using namespace pkiform;
using namespace pkiform::testing;

namespace {

// The base64 body lines of a PEM key, each long enough to be unmistakable.
std::vector<std::string> BodyLines(const std::string& pem) {
  std::vector<std::string> lines;
  std::istringstream in(pem);
  for (std::string line; std::getline(in, line);)
    if (line.rfind("-----", 0) != 0 && line.size() > 16) lines.push_back(line);
  return lines;
}

}  // namespace

TEST_CASE("GenerateCsr makes an EC key on the host and returns only the CSR", "[openssh]") {
  OpensshHost host;
  auto provider = host.Provider();
  std::string csrPem = MustOk(provider.GenerateCsr(OpensshHost::Request()));

  pki::Csr csr = MustOk(pki::Csr::FromPem(csrPem));
  CHECK(csr.VerifySignature().ok());
  CHECK(csr.Subject().commonName == "web1.example.com");
  CHECK(csr.Subject().organization == "Example Ltd");
  CHECK(csr.Subject().country == "GB");
  CHECK(csr.DnsNames() == std::vector<std::string>{"web1.example.com", "web.example.com"});
  CHECK(csr.IpAddresses() == std::vector<std::string>{"192.0.2.21"});
  CHECK(csr.KeyUsage() == std::set<std::string>{"digitalSignature"});
  CHECK(csr.ExtendedKeyUsage() == std::set<std::string>{"serverAuth"});
  CHECK(csr.Key() == pki::KeySpec::Ecdsa("P-256"));

  const std::string pending = host.key() + ".pkiform-new";
  REQUIRE(Exists(pending));
  CHECK(ModeOf(pending) == 0600);
  CHECK_FALSE(Exists(host.key()));  // the installed key is not touched
  const std::string keyPem = ReadLocal(pending);
  pki::PrivateKey key = MustOk(pki::PrivateKey::FromPem(keyPem, nullptr));
  CHECK(key.PublicKeyDigest() == csr.PublicKeyDigest());

  // Nothing of the key in what came back, nor in what Observe reports.
  CHECK(csrPem.find("PRIVATE KEY") == std::string::npos);
  Actual actual = MustOk(provider.Observe());
  REQUIRE(actual.slots[0].pending_csr_pem.has_value());
  CHECK(*actual.slots[0].pending_csr_pem == csrPem);
  CHECK(actual.slots[0].key_public_digest.empty());
  for (const auto& line : BodyLines(keyPem)) {
    CHECK(csrPem.find(line) == std::string::npos);
    CHECK(actual.slots[0].pending_csr_pem->find(line) == std::string::npos);
  }
}

TEST_CASE("GenerateCsr makes RSA keys of the requested size", "[openssh]") {
  OpensshHost host;
  auto provider = host.Provider();
  std::string csrPem = MustOk(provider.GenerateCsr(OpensshHost::Request(pki::KeySpec::Rsa(2048))));
  CHECK(MustOk(pki::Csr::FromPem(csrPem)).Key() == pki::KeySpec::Rsa(2048));
  CHECK(ModeOf(host.key() + ".pkiform-new") == 0600);
}

TEST_CASE("a subject full of shell and -subj metacharacters runs nothing and arrives intact", "[openssh]") {
  OpensshHost host;
  // X.509 limits O and OU to 64 characters: a short directory for the would-be victims.
  const std::string d = "/tmp/pkf-" + std::to_string(::getpid());
  std::filesystem::create_directories(d);
  GiveToLoginUser(d);
  CsrOnPeer request = OpensshHost::Request();
  request.request.subject.organization = "Example; rm -rf / ; touch " + d + "/p1 #";
  request.request.subject.organizationalUnit = "$(touch " + d + "/p2)`touch " + d + "/p3`";
  request.request.subject.locality = "it's \"quoted\" /C=XX/CN=evil + more \\ = ' ; exit 0";
  request.request.subject.state = "\xC3\x9Cmlaut & <r> | touch " + d + "/p4";
  auto provider = host.Provider();
  auto csrPem = provider.GenerateCsr(request);
  std::vector<bool> ran;
  for (const char* f : {"p1", "p2", "p3", "p4"}) ran.push_back(Exists(d + "/" + f));
  std::filesystem::remove_all(d);
  REQUIRE(csrPem.ok());
  pki::Csr csr = MustOk(pki::Csr::FromPem(*csrPem));
  CHECK(csr.Subject() == request.request.subject);
  CHECK(ran == std::vector<bool>{false, false, false, false});
}

TEST_CASE("GenerateCsr refuses SANs and usages that would change the openssl arguments", "[openssh]") {
  OpensshHost host;
  auto provider = host.Provider();
  CsrOnPeer comma = OpensshHost::Request();
  comma.request.dnsNames = {"web1.example.com,IP:10.0.0.1"};
  auto r1 = provider.GenerateCsr(comma);
  REQUIRE_FALSE(r1.ok());
  CHECK_THAT(r1.status().message(), Catch::StartsWith("nginx on web1.example.com: generate CSR: DNS name"));
  CsrOnPeer usage = OpensshHost::Request();
  usage.request.keyUsage = {"digitalSignature,keyCertSign"};
  CHECK_FALSE(provider.GenerateCsr(usage).ok());
  CHECK_FALSE(Exists(host.key() + ".pkiform-new"));
}

TEST_CASE("openssl -subj escaping follows openssl's parser", "[openssh]") {
  pki::DistinguishedName name;
  CHECK(openssh::SubjectArgument(name) == "/");
  name.commonName = "a/b+c\\d=e";
  name.organization = "O'Brien & Co";
  name.country = "GB";
  CHECK(openssh::SubjectArgument(name) == "/C=GB/O=O'Brien & Co/CN=a\\/b\\+c\\\\d\\=e");
}

TEST_CASE("GenerateCsr reports openssl's failure with its exit status", "[openssh]") {
  OpensshHost host;
  host.slot().files->private_key = host.dir() + "/missing-dir/server.key";
  auto provider = host.Provider();
  auto r = provider.GenerateCsr(OpensshHost::Request());
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.status().message(), Catch::StartsWith("nginx on web1.example.com: generate CSR: openssl failed "
                                                     "with exit status"));
}
