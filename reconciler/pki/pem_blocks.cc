// Walking PEM blocks (pem_blocks.h).
#include "reconciler/pki/pem_blocks.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <string>

#include "reconciler/pki/handles.h"

namespace pkiform::pki {
namespace {

// The last "-----BEGIN <label>-----" line when no END line follows it, else "".
std::string UnterminatedBeginLine(std::string_view text) {
  const size_t begin = text.rfind("-----BEGIN ");
  const size_t end = text.rfind("-----END ");
  if (begin == std::string_view::npos || (end != std::string_view::npos && end > begin)) return {};
  const size_t close = text.find("-----", begin + 11);
  return std::string(text.substr(begin, close == std::string_view::npos ? 40 : close + 5 - begin));
}

}  // namespace

Status ForEachPemBlock(std::string_view text, const PemBlockVisitor& visit) {
  Result<BioPtr> bio = ReadOnlyBio(text);
  if (!bio.ok()) return bio.status();
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
        return Status::Ok();
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
    const std::string_view der(reinterpret_cast<const char*>(data.get()), static_cast<size_t>(length));
    if (Status s = visit(label.get(), der, block); !s.ok()) return s;
  }
}

Result<std::string> FirstPemBlockDer(std::string_view text, const char* openssl_label) {
  Result<BioPtr> bio = ReadOnlyBio(text);
  if (!bio.ok()) return bio.status();
  ERR_clear_error();
  unsigned char* data = nullptr;
  char* label = nullptr;
  long length = 0;
  const int read = PEM_bytes_read_bio(&data, &length, &label, openssl_label, bio->get(), nullptr, nullptr);
  OpensslBytesPtr owned_data(data);
  OpensslCharsPtr owned_label(label);
  if (read != 1) return Status::InvalidInput(OpensslErrorString());
  return std::string(reinterpret_cast<const char*>(data), static_cast<size_t>(length));
}

}  // namespace pkiform::pki
