// Writes the PKI files that the bad-input corpus references (../fixtures/NAME
// from each case), all with fixed dates around the corpus's pinned "now"
// (2026-06-01T00:00:00Z, passed to `pkiform validate --now`), so that every
// expected diagnostic, dates included, is the same on every run.
//
// Usage: pkiform_test_fixtures OUTPUT_DIR
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "reconciler/pki/certificate.h"
#include "reconciler/pki/clock.h"
#include "reconciler/pki/crl.h"
#include "reconciler/pki/key.h"
#include "reconciler/pki/signer.h"

using namespace pkiform;
using namespace pkiform::pki;

namespace {

std::filesystem::path g_out;

[[noreturn]] void Die(const std::string& what, const Status& s) {
  std::fprintf(stderr, "make_fixtures: %s: %s\n", what.c_str(), s.ToString().c_str());
  std::exit(1);
}

template <typename T>
T Must(Result<T> r, const std::string& what) {
  if (!r.ok()) Die(what, r.status());
  return std::move(r).value();
}

void Write(const std::string& name, const std::string& bytes) {
  std::ofstream(g_out / name, std::ios::binary) << bytes;
}

TimePoint At(const char* rfc3339) { return Must(ParseRfc3339Utc(rfc3339), rfc3339); }

std::chrono::seconds Between(const char* from, const char* to) {
  return std::chrono::duration_cast<std::chrono::seconds>(At(to) - At(from));
}

SigningPolicy CaPolicy(const std::string& cn, const char* from, const char* to, int path_length = -1) {
  SigningPolicy p;
  p.subject.commonName = cn;
  p.subject.organization = "Fixture Ltd";
  p.subject.country = "GB";
  p.isCa = true;
  p.pathLength = path_length;
  p.keyUsage = {"keyCertSign", "cRLSign"};
  p.notBefore = At(from);
  p.validity = Between(from, to);
  return p;
}

struct Ca {
  PrivateKey key;
  Certificate cert;
};

Ca MakeRoot(const std::string& name, const std::string& cn, KeySpec spec, const char* from, const char* to) {
  PrivateKey key = Must(PrivateKey::Generate(spec), name + " key");
  Certificate cert = Must(SelfSign(key, CaPolicy(cn, from, to)), name);
  Write(name + ".pem", cert.ToPem());
  Write(name + ".key", std::string(Must(key.ToPem(), name + " pem").view()));
  return {std::move(key), std::move(cert)};
}

Certificate Issue(const Ca& ca, const PrivateKey& key, SigningPolicy policy, const std::string& name) {
  Certificate cert = Must(SignPublicKey(key.get(), ca.cert, ca.key, policy), name);
  Write(name + ".pem", cert.ToPem());
  return cert;
}

void WriteEncrypted(const PrivateKey& key, const std::string& name, const std::string& passphrase) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!PEM_write_bio_PKCS8PrivateKey(bio.get(), key.get(), EVP_aes_256_cbc(), passphrase.data(),
                                     static_cast<int>(passphrase.size()), nullptr, nullptr))
    Die(name, Status::Crypto("PEM_write_bio_PKCS8PrivateKey"));
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  Write(name, std::string(data, static_cast<size_t>(n)));
}

// A CA with a key pkiform would never generate (RSA 512, ECDSA P-192): made by
// OpenSSL directly, self-signed by pkiform's signer.
void MakeWeakRoot(const std::string& name, const std::string& cn, EvpPkeyPtr generated) {
  if (!generated) Die(name, Status::Crypto("EVP_PKEY_Q_keygen"));
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!PEM_write_bio_PrivateKey(bio.get(), generated.get(), nullptr, nullptr, 0, nullptr, nullptr))
    Die(name, Status::Crypto("PEM_write_bio_PrivateKey"));
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  const std::string pem(data, static_cast<size_t>(n));
  PrivateKey key = Must(PrivateKey::FromPem(pem, nullptr), name + " key");
  Write(name + ".pem", Must(SelfSign(key, CaPolicy(cn, "2020-01-01T00:00:00Z", "2040-01-01T00:00:00Z")), name).ToPem());
  Write(name + ".key", pem);
}

// Files that are no certificate at all, for the hostile-input cases: a FIFO that
// would block a reader forever, a symbolic link loop, files just over pkiform's
// size limits, and a stand-in for /proc/self/environ (NUL-separated secrets).
void MakeHostileFiles() {
  const std::string fifo = (g_out / "fifo.pem").string();
  std::filesystem::remove(fifo);
  if (::mkfifo(fifo.c_str(), 0644) != 0) Die("fifo.pem", Status::IoError("mkfifo failed"));
  for (const auto& [link, target] : {std::pair{"loop-a.pem", "loop-b.pem"}, std::pair{"loop-b.pem", "loop-a.pem"}}) {
    std::filesystem::remove(g_out / link);
    std::filesystem::create_symlink(target, g_out / link);
  }
  // One byte over each limit, sparse: every case copies the fixtures.
  for (const auto& [name, size] : {std::pair{"big.pem", (1u << 20) + 1}, std::pair{"big.key", (64u << 10) + 1},
                                   std::pair{"big.yaml", (4u << 20) + 1}}) {
    Write(name, "");
    std::filesystem::resize_file(g_out / name, size);
  }
  Write("fake-environ.yaml", std::string("SECRET_TOKEN=do-not-print-me\0HOME=/root\0", 40));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTPUT_DIR\n", argv[0]);
    return 2;
  }
  g_out = argv[1];
  std::filesystem::create_directories(g_out);

  Ca root = MakeRoot("root", "Fixture Root CA", KeySpec::Rsa(2048), "2020-01-01T00:00:00Z", "2040-01-01T00:00:00Z");
  PrivateKey issuing_key = Must(PrivateKey::Generate(KeySpec::Rsa(2048)), "issuing key");
  Certificate issuing = Issue(root, issuing_key,
                              CaPolicy("Fixture Issuing CA", "2021-01-01T00:00:00Z", "2035-01-01T00:00:00Z", 0),
                              "issuing");
  Write("issuing.key", std::string(Must(issuing_key.ToPem(), "issuing pem").view()));
  WriteEncrypted(issuing_key, "issuing-encrypted.key", "fixture-pass");
  Write("passphrase.txt", "fixture-pass\n");
  Write("wrong-passphrase.txt", "not-the-pass\n");
  // Two intermediates under the root (policy CA, then team CA): an issuer of depth 3.
  PrivateKey policy_key = Must(PrivateKey::Generate(KeySpec::Ecdsa("P-256")), "policy key");
  Certificate policy_ca = Issue(root, policy_key,
                                CaPolicy("Fixture Policy CA", "2021-01-01T00:00:00Z", "2035-01-01T00:00:00Z", 1),
                                "policy-ca");
  PrivateKey team_key = Must(PrivateKey::Generate(KeySpec::Ecdsa("P-256")), "team key");
  Issue({std::move(policy_key), policy_ca}, team_key,
        CaPolicy("Fixture Team CA", "2022-01-01T00:00:00Z", "2034-01-01T00:00:00Z", 0), "team-ca");
  Write("team-ca.key", std::string(Must(team_key.ToPem(), "team pem").view()));
  PrivateKey other = Must(PrivateKey::Generate(KeySpec::Rsa(2048)), "other key");
  Write("other.key", std::string(Must(other.ToPem(), "other pem").view()));

  Ca ecdsa = MakeRoot("ecdsa-ca", "Fixture ECDSA CA", KeySpec::Ecdsa("P-256"), "2020-01-01T00:00:00Z",
                      "2040-01-01T00:00:00Z");
  MakeRoot("expired-ca", "Fixture Expired CA", KeySpec::Ecdsa("P-256"), "2015-01-01T00:00:00Z", "2020-01-01T00:00:00Z");
  MakeRoot("future-ca", "Fixture Future CA", KeySpec::Ecdsa("P-256"), "2027-01-01T00:00:00Z", "2030-01-01T00:00:00Z");
  MakeRoot("soon-ca", "Fixture Soon CA", KeySpec::Ecdsa("P-256"), "2020-01-01T00:00:00Z", "2026-06-15T00:00:00Z");
  MakeRoot("temporary-ca", "Temporary CA 6f2a", KeySpec::Ecdsa("P-256"), "2020-01-01T00:00:00Z", "2040-01-01T00:00:00Z");

  // An intermediate whose root is not given anywhere: its chain cannot be completed (D11).
  Ca lost_root{Must(PrivateKey::Generate(KeySpec::Ecdsa("P-256")), "lost key"), root.cert};
  lost_root.cert = Must(SelfSign(lost_root.key, CaPolicy("Fixture Lost Root", "2020-01-01T00:00:00Z",
                                                         "2040-01-01T00:00:00Z")), "lost root");
  PrivateKey orphan_key = Must(PrivateKey::Generate(KeySpec::Ecdsa("P-256")), "orphan key");
  Issue(lost_root, orphan_key, CaPolicy("Fixture Orphan CA", "2021-01-01T00:00:00Z", "2035-01-01T00:00:00Z", 0),
        "orphan-ca");
  Write("orphan-ca.key", std::string(Must(orphan_key.ToPem(), "orphan pem").view()));

  SigningPolicy leaf = CaPolicy("web1.example.com", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z");
  leaf.isCa = false;
  leaf.keyUsage = {"digitalSignature", "keyEncipherment"};
  leaf.extendedKeyUsage = {"serverAuth"};
  leaf.dnsNames = {"web1.example.com"};
  PrivateKey leaf_key = Must(PrivateKey::Generate(KeySpec::Ecdsa("P-256")), "leaf key");
  Issue({std::move(issuing_key), issuing}, leaf_key, leaf, "leaf");

  Write("bundle.pem", root.cert.ToPem() + issuing.ToPem());
  Write("root.der", root.cert.ToDer());
  Write("root-crlf.pem", [&] {
    std::string pem = root.cert.ToPem(), crlf;
    for (char ch : pem) crlf += ch == '\n' ? std::string("\r\n") : std::string(1, ch);
    return crlf;
  }());
  Write("garbage.pem", "this is not a certificate\n");
  std::string root_pem = root.cert.ToPem();
  Write("truncated.pem", root_pem.substr(0, root_pem.size() / 2));
  Write("archive.zip", std::string("PK\x03\x04\x14\x00\x00\x00", 8) + "root.pem");
  Write("empty.pem", "");

  auto crl = [&](const Ca& ca, const char* name, const char* this_update, const char* next_update) {
    Crl c = Must(CreateCrl(ca.cert, ca.key, {"1001"}, At(this_update), At(next_update)), name);
    Write(name, c.ToPem());
    return c;
  };
  Crl good = crl(root, "crl-good.pem", "2026-05-25T00:00:00Z", "2026-07-01T00:00:00Z");
  Write("crl-good.der", good.ToDer());
  Crl stale = crl(root, "crl-stale.pem", "2026-04-01T00:00:00Z", "2026-05-01T00:00:00Z");
  crl(root, "crl-soon.pem", "2026-05-25T00:00:00Z", "2026-06-03T00:00:00Z");
  Crl foreign = crl(ecdsa, "crl-foreign.pem", "2026-05-25T00:00:00Z", "2026-07-01T00:00:00Z");
  // A bundle (as nginx ssl_crl reads it) whose second CRL is stale: every CRL of a file is checked.
  Write("crl-bundle-second-stale.pem", foreign.ToPem() + stale.ToPem());
  MakeWeakRoot("weak-rsa512-ca", "Fixture Weak RSA-512 CA", EvpPkeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{512})));
  MakeWeakRoot("weak-rsa1024-ca", "Fixture Weak RSA-1024 CA",
               EvpPkeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{1024})));
  MakeWeakRoot("weak-p192-ca", "Fixture Weak P-192 CA", EvpPkeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "prime192v1")));
  MakeHostileFiles();
  std::printf("fixtures written to %s\n", g_out.c_str());
  return 0;
}
