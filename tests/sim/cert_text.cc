#include "tests/sim/cert_text.h"

#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <sstream>

#include "reconciler/pki/handles.h"

namespace pkiform::sim {
namespace {

std::string ObjectOid(const ASN1_OBJECT* obj) {
  char buf[128];
  int n = OBJ_obj2txt(buf, sizeof(buf), obj, 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n) < sizeof(buf) ? static_cast<size_t>(n) : sizeof(buf) - 1)
               : std::string("?");
}

std::string JavaSignatureName(int nid) {
  switch (nid) {
    case NID_sha256WithRSAEncryption: return "SHA256withRSA";
    case NID_sha384WithRSAEncryption: return "SHA384withRSA";
    case NID_sha512WithRSAEncryption: return "SHA512withRSA";
    case NID_sha1WithRSAEncryption: return "SHA1withRSA";
    case NID_ecdsa_with_SHA256: return "SHA256withECDSA";
    case NID_ecdsa_with_SHA384: return "SHA384withECDSA";
    case NID_ecdsa_with_SHA512: return "SHA512withECDSA";
    default: {
      const char* sn = OBJ_nid2sn(nid);
      return sn ? sn : "unknown";
    }
  }
}

std::string JavaDate(pki::TimePoint t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::strftime(buf, sizeof(buf), "%a %b %d %H:%M:%S UTC %Y", &tm);
  return buf;
}

std::string Hex(const unsigned char* data, int len) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < len; ++i) {
    out += digits[data[i] >> 4];
    out += digits[data[i] & 15];
  }
  return out;
}

void AppendLines(std::vector<std::string>& out, const std::string& text, const std::string& indent) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(indent + line);
  }
}

}  // namespace

std::vector<std::string> DescribeCertificate(const pki::Certificate& cert) {
  std::vector<std::string> out;
  X509* x = cert.get();
  out.push_back("[");
  out.push_back("  Version: V" + std::to_string(X509_get_version(x) + 1));
  out.push_back("  Serial Number: " + cert.SerialHex());
  int sigNid = X509_get_signature_nid(x);
  out.push_back("  SignatureAlgorithm: " + JavaSignatureName(sigNid) + " (" + ObjectOid(OBJ_nid2obj(sigNid)) + ")");
  out.push_back("  Issuer Name: " + cert.Issuer().ToString());
  out.push_back("  Validity From: " + JavaDate(cert.NotBefore()));
  out.push_back("           To:   " + JavaDate(cert.NotAfter()));
  out.push_back("  Subject Name: " + cert.Subject().ToString());
  X509_PUBKEY* pub = X509_get_X509_PUBKEY(x);
  ASN1_OBJECT* alg = nullptr;
  X509_PUBKEY_get0_param(&alg, nullptr, nullptr, nullptr, pub);
  bool rsa = alg && OBJ_obj2nid(alg) == NID_rsaEncryption;
  out.push_back(std::string("  Key: ") + (rsa ? "RSA" : "EC") + " (" + (alg ? ObjectOid(alg) : "?") + ")");
  out.push_back("    Key value: ");
  const unsigned char* keyBytes = nullptr;
  int keyLen = 0;
  X509_PUBKEY_get0_param(nullptr, &keyBytes, &keyLen, nullptr, pub);
  std::string hex = Hex(keyBytes, keyLen);
  for (size_t i = 0; i < hex.size(); i += 64) out.push_back("    " + hex.substr(i, 64));
  int count = X509_get_ext_count(x);
  out.push_back("  Extensions: " + std::to_string(count) + " present");
  for (int i = 0; i < count; ++i) {
    X509_EXTENSION* ext = X509_get_ext(x, i);
    ASN1_OBJECT* obj = X509_EXTENSION_get_object(ext);
    const char* ln = OBJ_nid2ln(OBJ_obj2nid(obj));
    out.push_back("  [");
    out.push_back(std::string("     Extension: ") + (ln ? ln : "unknown") + " (OID." + ObjectOid(obj) + ")");
    out.push_back(std::string("     Critical: ") + (X509_EXTENSION_get_critical(ext) ? "true" : "false"));
    pki::BioPtr bio(BIO_new(BIO_s_mem()));
    if (bio && X509V3_EXT_print(bio.get(), ext, 0, 0) == 1) AppendLines(out, pki::BioContents(bio.get()), "     ");
    out.push_back("  ]");
  }
  out.push_back("]");
  AppendLines(out, cert.ToPem(), "");
  return out;
}

}  // namespace pkiform::sim
