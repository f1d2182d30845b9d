#include "reconciler/pki/distinguished_name.h"

#include <openssl/err.h>
#include <openssl/objects.h>

#include <utility>
#include <vector>

namespace pkiform::pki {
namespace {

struct Attribute {
  int nid;
  const char* label;
  std::string DistinguishedName::*field;
};

// Most significant first, the order X509_NAME is built in.
const std::vector<Attribute>& Attributes() {
  static const std::vector<Attribute> attributes = {
      {NID_countryName, "C", &DistinguishedName::country},
      {NID_stateOrProvinceName, "ST", &DistinguishedName::state},
      {NID_localityName, "L", &DistinguishedName::locality},
      {NID_organizationName, "O", &DistinguishedName::organization},
      {NID_organizationalUnitName, "OU", &DistinguishedName::organizationalUnit},
      {NID_commonName, "CN", &DistinguishedName::commonName},
  };
  return attributes;
}

// RFC 4514 section 2.4 escaping of an attribute value.
std::string EscapeValue(const std::string& value) {
  std::string out;
  for (size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    const bool special = c == ',' || c == '+' || c == '"' || c == '\\' || c == '<' || c == '>' || c == ';' || c == '=';
    const bool leading = i == 0 && (c == ' ' || c == '#');
    const bool trailing = i + 1 == value.size() && c == ' ';
    if (special || leading || trailing) out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::string DistinguishedName::ToString() const {
  std::string out;
  const auto& attributes = Attributes();
  // RFC 4514 writes the least significant attribute (CN) first.
  for (auto it = attributes.rbegin(); it != attributes.rend(); ++it) {
    const std::string& value = this->*(it->field);
    if (value.empty()) continue;
    if (!out.empty()) out += ", ";
    out += std::string(it->label) + "=" + EscapeValue(value);
  }
  return out;
}

bool DistinguishedName::empty() const {
  for (const auto& attribute : Attributes()) {
    if (!(this->*(attribute.field)).empty()) return false;
  }
  return true;
}

Result<X509NamePtr> ToX509Name(const DistinguishedName& name) {
  if (!name.country.empty() && name.country.size() != 2) {
    return Status::InvalidInput("country '" + name.country + "' must be a two-letter code");
  }
  X509NamePtr x509Name(X509_NAME_new());
  if (!x509Name) return CryptoFailure("cannot allocate X509_NAME");
  for (const auto& attribute : Attributes()) {
    const std::string& value = name.*(attribute.field);
    if (value.empty()) continue;
    const auto* bytes = reinterpret_cast<const unsigned char*>(value.data());
    if (X509_NAME_add_entry_by_NID(x509Name.get(), attribute.nid, MBSTRING_UTF8, bytes, static_cast<int>(value.size()),
                                   -1, 0) != 1) {
      return CryptoFailure(std::string("invalid ") + attribute.label + " '" + value + "'").WithContext("subject");
    }
  }
  return x509Name;
}

DistinguishedName FromX509Name(const X509_NAME* x509Name) {
  DistinguishedName name;
  if (x509Name == nullptr) return name;
  for (const auto& attribute : Attributes()) {
    const int index = X509_NAME_get_index_by_NID(x509Name, attribute.nid, -1);
    if (index < 0) continue;
    const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(x509Name, index));
    unsigned char* utf8 = nullptr;
    const int length = ASN1_STRING_to_UTF8(&utf8, data);
    if (length < 0) {  // an undecodable value reads as absent rather than as garbage
      ERR_clear_error();
      continue;
    }
    OpensslBytesPtr owned(utf8);
    name.*(attribute.field) = std::string(reinterpret_cast<const char*>(utf8), static_cast<size_t>(length));
  }
  return name;
}

}  // namespace pkiform::pki
