#include "reconciler/pki/certificate_file.h"

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>

#include <climits>

namespace pkiform::pki {
namespace {

struct ParsedFile {
  CertificateFileInfo info;
  std::vector<Certificate> certificates;
};

bool StartsWith(std::string_view bytes, std::string_view prefix) { return bytes.substr(0, prefix.size()) == prefix; }

// The certificates of a PKCS#7 SignedData ("certs-only" bundles such as .p7b files).
Status AppendPkcs7Certificates(const PKCS7* bundle, std::vector<Certificate>* out) {
  const STACK_OF(X509)* certificates = nullptr;
  const int type = OBJ_obj2nid(bundle->type);
  if (type == NID_pkcs7_signed && bundle->d.sign != nullptr) certificates = bundle->d.sign->cert;
  if (type == NID_pkcs7_signedAndEnveloped && bundle->d.signed_and_enveloped != nullptr) {
    certificates = bundle->d.signed_and_enveloped->cert;
  }
  if (sk_X509_num(certificates) <= 0) return Status::InvalidInput("PKCS#7 bundle holds no certificates");
  for (int i = 0; i < sk_X509_num(certificates); ++i) {
    X509* x509 = sk_X509_value(certificates, i);
    X509_up_ref(x509);
    Result<Certificate> certificate = Certificate::Adopt(X509Ptr(x509));
    if (!certificate.ok()) return certificate.status();
    out->push_back(std::move(certificate).value());
  }
  return Status::Ok();
}

Result<Pkcs7Ptr> DecodePkcs7(const unsigned char* data, size_t length) {
  if (length > static_cast<size_t>(LONG_MAX)) return Status::InvalidInput("PKCS#7 bundle too large");
  const unsigned char* cursor = data;
  Pkcs7Ptr bundle(d2i_PKCS7(nullptr, &cursor, static_cast<long>(length)));
  if (!bundle || cursor != data + length) {
    ERR_clear_error();
    return Status::InvalidInput("not a PKCS#7 bundle");
  }
  return bundle;
}

// The text after the last "-----END <label>-----" marker.
std::string_view AfterLastEndLine(std::string_view text) {
  const size_t end = text.rfind("-----END ");
  if (end == std::string_view::npos) return {};
  const size_t close = text.find("-----", end + 9);
  if (close == std::string_view::npos) return {};
  return text.substr(close + 5);
}

// The last "-----BEGIN <label>-----" line when no END line follows it, else "".
std::string UnterminatedBeginLine(std::string_view text) {
  const size_t begin = text.rfind("-----BEGIN ");
  const size_t end = text.rfind("-----END ");
  if (begin == std::string_view::npos || (end != std::string_view::npos && end > begin)) return {};
  const size_t close = text.find("-----", begin + 11);
  return std::string(text.substr(begin, close == std::string_view::npos ? 40 : close + 5 - begin));
}

Status ReadPemBlocks(std::string_view text, ParsedFile* file) {
  Result<BioPtr> bio = ReadOnlyBio(text);
  if (!bio.ok()) return bio.status();
  bool sawPkcs7 = false;
  bool sawCertificate = false;
  ERR_clear_error();
  for (int block = 1;; ++block) {
    char* rawLabel = nullptr;
    char* rawHeader = nullptr;
    unsigned char* rawData = nullptr;
    long length = 0;
    if (PEM_read_bio(bio->get(), &rawLabel, &rawHeader, &rawData, &length) != 1) {
      const unsigned long error = ERR_peek_last_error();
      if (ERR_GET_LIB(error) == ERR_LIB_PEM && ERR_GET_REASON(error) == PEM_R_NO_START_LINE) {
        ERR_clear_error();  // no further block: the normal end
        break;
      }
      const std::string reason = OpensslErrorString();
      if (std::string begin = UnterminatedBeginLine(text); !begin.empty()) {
        return Status::InvalidInput("truncated PEM: block #" + std::to_string(block) + " (" + begin +
                                    ") has no END line");
      }
      return Status::InvalidInput("malformed PEM block #" + std::to_string(block) + ": " + reason);
    }
    OpensslCharsPtr label(rawLabel), header(rawHeader);
    OpensslBytesPtr data(rawData);
    const std::string name = label.get();
    const std::string_view der(reinterpret_cast<const char*>(data.get()), static_cast<size_t>(length));
    if (name == "CERTIFICATE" || name == "X509 CERTIFICATE" || name == "TRUSTED CERTIFICATE") {
      // TRUSTED CERTIFICATE carries trust settings after the certificate: read the certificate only.
      const auto* cursor = data.get();
      X509Ptr x509(d2i_X509(nullptr, &cursor, length));
      if (!x509) {
        return Status::InvalidInput("PEM block #" + std::to_string(block) +
                                    " is not a valid certificate: " + OpensslErrorString());
      }
      if (name != "TRUSTED CERTIFICATE" && cursor != data.get() + length) {
        return Status::InvalidInput("PEM block #" + std::to_string(block) + " has bytes after the certificate");
      }
      Result<Certificate> certificate = Certificate::Adopt(std::move(x509));
      if (!certificate.ok()) return certificate.status();
      file->certificates.push_back(std::move(certificate).value());
      sawCertificate = true;
    } else if (name == "PKCS7" || name == "CERTIFICATE CHAIN") {
      Result<Pkcs7Ptr> bundle = DecodePkcs7(data.get(), der.size());
      if (!bundle.ok()) return bundle.status().WithContext("PEM block #" + std::to_string(block));
      if (Status s = AppendPkcs7Certificates(bundle->get(), &file->certificates); !s.ok()) return s;
      sawPkcs7 = true;
    } else {
      file->info.otherPemBlocks.push_back(name);
    }
  }
  if (file->certificates.empty()) {
    std::string found;
    for (const auto& other : file->info.otherPemBlocks) found += (found.empty() ? "" : ", ") + other;
    return Status::InvalidInput("no certificate in the PEM file (found: " + found + ")");
  }
  file->info.format = sawPkcs7 && !sawCertificate ? CertificateFileInfo::kPkcs7Pem : CertificateFileInfo::kPem;
  file->info.hasCarriageReturns = text.find('\r') != std::string_view::npos;
  file->info.hasTrailingBlankLines = AfterLastEndLine(text) != "\n";
  return Status::Ok();
}

Status ReadDer(std::string_view bytes, ParsedFile* file) {
  if (Result<Certificate> certificate = Certificate::FromDer(bytes); certificate.ok()) {
    file->certificates.push_back(std::move(certificate).value());
    file->info.format = CertificateFileInfo::kDer;
    return Status::Ok();
  }
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  if (Result<Pkcs7Ptr> bundle = DecodePkcs7(data, bytes.size()); bundle.ok()) {
    file->info.format = CertificateFileInfo::kPkcs7Der;
    return AppendPkcs7Certificates(bundle->get(), &file->certificates);
  }
  ERR_clear_error();
  return Status::InvalidInput(
      "not a certificate: no PEM block and not DER (neither a DER certificate nor a PKCS#7 bundle)");
}

Result<ParsedFile> Parse(std::string_view bytes) {
  if (bytes.empty()) return Status::InvalidInput("empty file, not a certificate");
  if (StartsWith(bytes, "PK\x03\x04")) {
    return Status::InvalidInput("a ZIP archive, not a PEM certificate: extract it first").WithRule("D1");
  }
  if (StartsWith(bytes, "\x1f\x8b")) {
    return Status::InvalidInput("a gzip archive, not a PEM certificate: extract it first").WithRule("D1");
  }
  ParsedFile file;
  Status status;
  if (bytes.find("-----BEGIN ") != std::string_view::npos) {
    status = ReadPemBlocks(bytes, &file);
  } else if (static_cast<unsigned char>(bytes.front()) == 0x30) {  // an ASN.1 SEQUENCE
    status = ReadDer(bytes, &file);
  } else {
    status = Status::InvalidInput("not a certificate: no PEM block and not DER");
  }
  if (!status.ok()) return status;
  file.info.certificateCount = static_cast<int>(file.certificates.size());
  return file;
}

}  // namespace

std::string FormatName(CertificateFileInfo::Format format) {
  switch (format) {
    case CertificateFileInfo::kPem:
      return "PEM";
    case CertificateFileInfo::kDer:
      return "DER";
    case CertificateFileInfo::kPkcs7Pem:
      return "PKCS#7 (PEM)";
    case CertificateFileInfo::kPkcs7Der:
      return "PKCS#7 (DER)";
  }
  return "unknown";
}

Result<std::vector<Certificate>> ParseCertificates(std::string_view bytes) {
  Result<ParsedFile> file = Parse(bytes);
  if (!file.ok()) return file.status();
  return std::move(file->certificates);
}

Result<CertificateFileInfo> InspectCertificateFile(std::string_view bytes) {
  Result<ParsedFile> file = Parse(bytes);
  if (!file.ok()) return file.status();
  return std::move(file->info);
}

}  // namespace pkiform::pki
