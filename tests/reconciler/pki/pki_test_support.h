// Shared fixtures for the pki tests: a small PKI (root CA, intermediate CA, leaf)
// built once per test run with EC P-256 keys, fixed times, and helpers that turn a
// failed Result into a test failure showing its message.
#pragma once

#include <stdlib.h>
#include <unistd.h>

#include <openssl/pem.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <string>
#include <utility>

#include "reconciler/pki/certificate.h"
#include "reconciler/pki/clock.h"
#include "reconciler/pki/csr.h"
#include "reconciler/pki/key.h"
#include "reconciler/pki/signer.h"
#include "tests/support/must.h"

namespace pkiform::pki::testing {

using pkiform::testing::Must;

// One PEM block of any bytes under `label`, as a file on a host or in a repository could hold them.
inline std::string PemBlock(const std::string& label, const std::string& der) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  REQUIRE(PEM_write_bio(bio.get(), label.c_str(), "", reinterpret_cast<const unsigned char*>(der.data()),
                        static_cast<long>(der.size())) > 0);
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(length));
}

// The DER of sha256WithRSAEncryption with NULL parameters, and the same with the parameters
// tagged [UNIVERSAL 0] constructed, empty: OpenSSL reads that, and writes end-of-contents octets
// back, which it cannot read (found by fuzz_certificate).
inline const std::string kRsaSha256Algorithm("\x30\x0d\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0b\x05\x00", 15);
inline const std::string kRsaSha256AlgorithmTaggedZero(
    "\x30\x0d\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0b\x20\x00", 15);

// A file in /tmp removed when the test ends.
class TempFile {
 public:
  explicit TempFile(const std::string& contents) {
    char pattern[] = "/tmp/pkiform-key-test-XXXXXX";
    const int fd = mkstemp(pattern);
    REQUIRE(fd >= 0);
    close(fd);
    path_ = pattern;
    std::ofstream(path_, std::ios::binary) << contents;
  }
  ~TempFile() { unlink(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline TimePoint At(const char* rfc3339) { return Must(ParseRfc3339Utc(rfc3339)); }

inline constexpr std::chrono::seconds Days(int days) { return std::chrono::hours(24 * days); }

inline PrivateKey NewP256Key() { return Must(PrivateKey::Generate(KeySpec::Ecdsa("P-256"))); }

// RSA generation is slow: one 2048-bit key for the whole run.
inline const PrivateKey& SharedRsa2048Key() {
  static const PrivateKey key = Must(PrivateKey::Generate(KeySpec::Rsa(2048)));
  return key;
}

inline DistinguishedName Name(const std::string& commonName) {
  DistinguishedName name;
  name.commonName = commonName;
  name.organization = "Example Corp";
  name.country = "NO";
  return name;
}

inline SigningPolicy CaPolicy(const std::string& commonName, TimePoint notBefore, int days) {
  SigningPolicy policy;
  policy.subject = Name(commonName);
  policy.isCa = true;
  policy.keyUsage = {"keyCertSign", "cRLSign"};
  policy.notBefore = notBefore;
  policy.validity = Days(days);
  return policy;
}

inline SigningPolicy LeafPolicy(const std::string& commonName, TimePoint notBefore, int days) {
  SigningPolicy policy;
  policy.subject = Name(commonName);
  policy.dnsNames = {commonName};
  policy.keyUsage = {"digitalSignature", "keyEncipherment"};
  policy.extendedKeyUsage = {"serverAuth", "clientAuth"};
  policy.notBefore = notBefore;
  policy.validity = Days(days);
  return policy;
}

// A server's CSR: the common name is also the one DNS name.
inline Csr CsrFor(const std::string& commonName, const PrivateKey& key) {
  CsrRequest request;
  request.subject = Name(commonName);
  request.dnsNames = {commonName};
  return Must(Csr::Create(request, key));
}

inline Csr CaCsrFor(const std::string& commonName, const PrivateKey& key) {
  CsrRequest request;
  request.subject = Name(commonName);
  return Must(Csr::Create(request, key));
}

// Root (2025-01-01, 10 years) -> intermediate (2025-01-01, 5 years) -> leaf
// vcs1.example.com (2026-01-01, 397 days, until 2027-02-02).
struct TestPki {
  PrivateKey rootKey, intermediateKey, leafKey;
  Certificate root, intermediate, leaf;
};

inline const TestPki& SharedPki() {
  static const TestPki pki = [] {
    PrivateKey rootKey = NewP256Key();
    PrivateKey intermediateKey = NewP256Key();
    PrivateKey leafKey = NewP256Key();
    Certificate root = Must(SelfSign(rootKey, CaPolicy("Test Root CA", At("2025-01-01T00:00:00Z"), 3652)));
    Certificate intermediate = Must(SignCsr(CaCsrFor("Test Issuing CA", intermediateKey), root, rootKey,
                                            CaPolicy("Test Issuing CA", At("2025-01-01T00:00:00Z"), 1826)));
    Certificate leaf = Must(SignCsr(CsrFor("vcs1.example.com", leafKey), intermediate, intermediateKey,
                                    LeafPolicy("vcs1.example.com", At("2026-01-01T00:00:00Z"), 397)));
    return TestPki{rootKey, intermediateKey, leafKey, root, intermediate, leaf};
  }();
  return pki;
}

}  // namespace pkiform::pki::testing
