// Name tables for usage.h.
#include "reconciler/catalogue/usage.h"

#include <array>
#include <utility>

namespace pkiform::catalogue {
namespace {

constexpr std::array<std::pair<KeyUsage, std::string_view>, 7> kKeyUsages = {{
    {KeyUsage::kDigitalSignature, "digitalSignature"},
    {KeyUsage::kNonRepudiation, "nonRepudiation"},
    {KeyUsage::kKeyEncipherment, "keyEncipherment"},
    {KeyUsage::kDataEncipherment, "dataEncipherment"},
    {KeyUsage::kKeyAgreement, "keyAgreement"},
    {KeyUsage::kKeyCertSign, "keyCertSign"},
    {KeyUsage::kCrlSign, "cRLSign"},
}};

struct EkuName {
  ExtendedKeyUsage usage;
  std::string_view name;
  std::string_view oid;
};
constexpr std::array<EkuName, 3> kExtendedKeyUsages = {{
    {ExtendedKeyUsage::kServerAuth, "serverAuth", "1.3.6.1.5.5.7.3.1"},
    {ExtendedKeyUsage::kClientAuth, "clientAuth", "1.3.6.1.5.5.7.3.2"},
    {ExtendedKeyUsage::kIpsecEndSystem, "ipsecEndSystem", "1.3.6.1.5.5.7.3.5"},
}};

constexpr std::array<std::pair<KeyAlgorithm, std::string_view>, 2> kAlgorithms = {{
    {KeyAlgorithm::kRsa, "rsa"},
    {KeyAlgorithm::kEc, "ec"},
}};

}  // namespace

std::string_view Name(KeyUsage usage) {
  for (const auto& [u, n] : kKeyUsages)
    if (u == usage) return n;
  return "?";
}

std::string_view Name(ExtendedKeyUsage usage) {
  for (const auto& e : kExtendedKeyUsages)
    if (e.usage == usage) return e.name;
  return "?";
}

std::string_view Oid(ExtendedKeyUsage usage) {
  for (const auto& e : kExtendedKeyUsages)
    if (e.usage == usage) return e.oid;
  return "?";
}

std::string_view Name(KeyAlgorithm algorithm) {
  for (const auto& [a, n] : kAlgorithms)
    if (a == algorithm) return n;
  return "?";
}

std::optional<KeyUsage> ParseKeyUsage(std::string_view name) {
  for (const auto& [u, n] : kKeyUsages)
    if (n == name) return u;
  return std::nullopt;
}

std::optional<ExtendedKeyUsage> ParseExtendedKeyUsage(std::string_view name) {
  for (const auto& e : kExtendedKeyUsages)
    if (e.name == name) return e.usage;
  return std::nullopt;
}

std::optional<KeyAlgorithm> ParseKeyAlgorithm(std::string_view name) {
  for (const auto& [a, n] : kAlgorithms)
    if (n == name) return a;
  return std::nullopt;
}

}  // namespace pkiform::catalogue
