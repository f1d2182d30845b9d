#include "reconciler/pki/certificate_file.h"

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>

#include <climits>

#include "reconciler/pki/pem_blocks.h"

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

Status ReadPemBlocks(std::string_view text, ParsedFile* file) {
  bool sawPkcs7 = false;
  bool sawCertificate = false;
  Status walked = ForEachPemBlock(text, [&](std::string_view label, std::string_view der, int block) -> Status {
    const std::string name(label);
    const auto* bytes = reinterpret_cast<const unsigned char*>(der.data());
    if (name == "CERTIFICATE" || name == "X509 CERTIFICATE" || name == "TRUSTED CERTIFICATE") {
      // TRUSTED CERTIFICATE carries trust settings after the certificate: read the certificate only.
      const unsigned char* cursor = bytes;
      X509Ptr x509(d2i_X509(nullptr, &cursor, static_cast<long>(der.size())));
      if (!x509) {
        return Status::InvalidInput("PEM block #" + std::to_string(block) +
                                    " is not a valid certificate: " + OpensslErrorString());
      }
      if (name != "TRUSTED CERTIFICATE" && cursor != bytes + der.size()) {
        return Status::InvalidInput("PEM block #" + std::to_string(block) + " has bytes after the certificate");
      }
      Result<Certificate> certificate = Certificate::Adopt(std::move(x509), der.substr(0, cursor - bytes));
      if (!certificate.ok()) return certificate.status();
      file->certificates.push_back(std::move(certificate).value());
      sawCertificate = true;
    } else if (name == "PKCS7" || name == "CERTIFICATE CHAIN") {
      Result<Pkcs7Ptr> bundle = DecodePkcs7(bytes, der.size());
      if (!bundle.ok()) return bundle.status().WithContext("PEM block #" + std::to_string(block));
      if (Status s = AppendPkcs7Certificates(bundle->get(), &file->certificates); !s.ok()) return s;
      sawPkcs7 = true;
    } else {
      file->info.otherPemBlocks.push_back(name);
    }
    return Status::Ok();
  });
  if (!walked.ok()) return walked;
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
