// CRL bundles (crl_bundle.h).
#include "reconciler/pki/crl_bundle.h"

#include <openssl/x509.h>

#include "reconciler/pki/handles.h"
#include "reconciler/pki/pem_blocks.h"

namespace pkiform::pki {
namespace {

Result<std::vector<Crl>> ReadPemCrls(std::string_view text) {
  std::vector<Crl> crls;
  Status walked = ForEachPemBlock(text, [&](std::string_view label, std::string_view der, int block) -> Status {
    if (label != "X509 CRL") return Status::Ok();
    const auto* bytes = reinterpret_cast<const unsigned char*>(der.data());
    const unsigned char* cursor = bytes;
    X509CrlPtr crl(d2i_X509_CRL(nullptr, &cursor, static_cast<long>(der.size())));
    if (!crl || cursor != bytes + der.size())
      return Status::InvalidInput("PEM block #" + std::to_string(block) + " is not a valid CRL: " +
                                  OpensslErrorString());
    Result<Crl> adopted = Crl::Adopt(std::move(crl), der);
    if (!adopted.ok()) return adopted.status().WithContext("PEM block #" + std::to_string(block));
    crls.push_back(std::move(adopted).value());
    return Status::Ok();
  });
  if (!walked.ok()) return walked;
  if (crls.empty()) return Status::InvalidInput("no CRL in the PEM text (no BEGIN X509 CRL block)");
  return crls;
}

}  // namespace

Result<std::vector<Crl>> ParseCrlBundle(std::string_view bytes) {
  if (bytes.find("-----BEGIN ") != std::string_view::npos) return ReadPemCrls(bytes);
  Result<Crl> one = Crl::Parse(bytes);  // DER, or the archive and garbage messages of Crl::Parse
  if (!one.ok()) return one.status();
  return std::vector<Crl>{std::move(one).value()};
}

std::string CrlBundlePem(const std::vector<Crl>& crls) {
  std::string out;
  for (const auto& crl : crls) out += crl.ToPem();
  return out;
}

}  // namespace pkiform::pki
