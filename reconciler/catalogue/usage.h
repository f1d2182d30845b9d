// X.509 key usage and extended key usage names, as the platform catalogue spells them.
//
// The catalogue (schema/platforms/*.yaml) names usages in camelCase after RFC 5280
// ("digitalSignature", "serverAuth"); this header maps those names to enums so that
// validators compare a certificate's extensions against a slot without string matching,
// and gives each extended key usage its OID (the UCM tables print them, rule U2).
#pragma once

#include <optional>
#include <string_view>

namespace pkiform::catalogue {

enum class KeyUsage {
  kDigitalSignature,
  kNonRepudiation,
  kKeyEncipherment,
  kDataEncipherment,
  kKeyAgreement,
  kKeyCertSign,
  kCrlSign,
};

enum class ExtendedKeyUsage {
  kServerAuth,      // 1.3.6.1.5.5.7.3.1
  kClientAuth,      // 1.3.6.1.5.5.7.3.2
  kIpsecEndSystem,  // 1.3.6.1.5.5.7.3.5
};

enum class KeyAlgorithm { kRsa, kEc };

std::string_view Name(KeyUsage usage);
std::string_view Name(ExtendedKeyUsage usage);
std::string_view Name(KeyAlgorithm algorithm);
std::string_view Oid(ExtendedKeyUsage usage);

std::optional<KeyUsage> ParseKeyUsage(std::string_view name);
std::optional<ExtendedKeyUsage> ParseExtendedKeyUsage(std::string_view name);
std::optional<KeyAlgorithm> ParseKeyAlgorithm(std::string_view name);

}  // namespace pkiform::catalogue
