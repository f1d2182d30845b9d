// CRL bundles (crl_bundle.h).
#include "reconciler/pki/crl_bundle.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include "reconciler/pki/handles.h"

namespace pkiform::pki {
namespace {

Result<std::vector<Crl>> ReadPemCrls(std::string_view text) {
  Result<BioPtr> bio = ReadOnlyBio(text);
  if (!bio.ok()) return bio.status();
  std::vector<Crl> crls;
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
      return Status::InvalidInput("malformed PEM block #" + std::to_string(block) + ": " + OpensslErrorString());
    }
    OpensslCharsPtr label(rawLabel), header(rawHeader);
    OpensslBytesPtr data(rawData);
    if (std::string_view(label.get()) != "X509 CRL") continue;
    const unsigned char* cursor = data.get();
    X509CrlPtr crl(d2i_X509_CRL(nullptr, &cursor, length));
    if (!crl || cursor != data.get() + length)
      return Status::InvalidInput("PEM block #" + std::to_string(block) + " is not a valid CRL: " +
                                  OpensslErrorString());
    Result<Crl> adopted = Crl::Adopt(std::move(crl));
    if (!adopted.ok()) return adopted.status().WithContext("PEM block #" + std::to_string(block));
    crls.push_back(std::move(adopted).value());
  }
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
