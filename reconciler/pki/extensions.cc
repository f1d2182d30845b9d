#include "reconciler/pki/extensions.h"

#include <arpa/inet.h>
#include <openssl/objects.h>

#include <algorithm>

#include "reconciler/pki/digest.h"

namespace pkiform::pki {
namespace {

struct NamedUsage {
  const char* name;
  int nid;
};

// Names as in OpenSSL's extendedKeyUsage configuration and `openssl x509 -text` short names.
const std::vector<NamedUsage>& NamedExtendedKeyUsages() {
  static const std::vector<NamedUsage> usages = {
      {"serverAuth", NID_server_auth},        {"clientAuth", NID_client_auth},  {"codeSigning", NID_code_sign},
      {"emailProtection", NID_email_protect}, {"timeStamping", NID_time_stamp}, {"OCSPSigning", NID_OCSP_sign},
      {"ipsecEndSystem", NID_ipsecEndSystem}, {"ipsecTunnel", NID_ipsecTunnel}, {"ipsecUser", NID_ipsecUser},
  };
  return usages;
}

std::string AsText(const ASN1_STRING* text) {
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(text)),
                     static_cast<size_t>(ASN1_STRING_length(text)));
}

std::string IpAddressText(const ASN1_OCTET_STRING* bytes) {
  char text[INET6_ADDRSTRLEN] = {};
  const int length = ASN1_STRING_length(bytes);
  const unsigned char* data = ASN1_STRING_get0_data(bytes);
  if (length == 4 && inet_ntop(AF_INET, data, text, sizeof text) != nullptr) return text;
  if (length == 16 && inet_ntop(AF_INET6, data, text, sizeof text) != nullptr) return text;
  return "invalid IP address (" + ToHex(std::string_view(reinterpret_cast<const char*>(data), length)) + ")";
}

}  // namespace

const std::vector<std::string>& KeyUsageNames() {
  static const std::vector<std::string> names = {"digitalSignature", "nonRepudiation", "keyEncipherment",
                                                 "dataEncipherment", "keyAgreement",   "keyCertSign",
                                                 "cRLSign",          "encipherOnly",   "decipherOnly"};
  return names;
}

const std::vector<std::string>& ExtendedKeyUsageNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& usage : NamedExtendedKeyUsages()) out.push_back(usage.name);
    return out;
  }();
  return names;
}

SubjectAltNames SubjectAltNamesOf(const GENERAL_NAMES* names) {
  SubjectAltNames out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    if (name->type == GEN_DNS) out.dnsNames.push_back(AsText(name->d.dNSName));
    if (name->type == GEN_IPADD) out.ipAddresses.push_back(IpAddressText(name->d.iPAddress));
  }
  return out;
}

std::set<std::string> KeyUsageOf(const ASN1_BIT_STRING* bits) {
  std::set<std::string> out;
  if (bits == nullptr) return out;
  const auto& names = KeyUsageNames();
  for (size_t bit = 0; bit < names.size(); ++bit) {
    if (ASN1_BIT_STRING_get_bit(bits, static_cast<int>(bit))) out.insert(names[bit]);
  }
  return out;
}

std::set<std::string> ExtendedKeyUsageOf(const EXTENDED_KEY_USAGE* usages) {
  std::set<std::string> out;
  for (int i = 0; i < sk_ASN1_OBJECT_num(usages); ++i) {
    const ASN1_OBJECT* object = sk_ASN1_OBJECT_value(usages, i);
    const int nid = OBJ_obj2nid(object);
    const auto& named = NamedExtendedKeyUsages();
    auto it = std::find_if(named.begin(), named.end(), [&](const NamedUsage& u) { return u.nid == nid; });
    if (it != named.end()) {
      out.insert(it->name);
      continue;
    }
    char dotted[128] = {};
    OBJ_obj2txt(dotted, sizeof dotted, object, 1);
    out.insert(dotted);
  }
  return out;
}

std::vector<std::string> CrlUrisOf(const CRL_DIST_POINTS* points) {
  std::vector<std::string> out;
  for (int i = 0; i < sk_DIST_POINT_num(points); ++i) {
    const DIST_POINT* point = sk_DIST_POINT_value(points, i);
    if (point->distpoint == nullptr || point->distpoint->type != 0) continue;  // 1: name relative to issuer
    const GENERAL_NAMES* names = point->distpoint->name.fullname;
    for (int j = 0; j < sk_GENERAL_NAME_num(names); ++j) {
      const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, j);
      if (name->type == GEN_URI) out.push_back(AsText(name->d.uniformResourceIdentifier));
    }
  }
  return out;
}

std::vector<std::string> OcspUrisOf(const AUTHORITY_INFO_ACCESS* access) {
  std::vector<std::string> out;
  for (int i = 0; i < sk_ACCESS_DESCRIPTION_num(access); ++i) {
    const ACCESS_DESCRIPTION* description = sk_ACCESS_DESCRIPTION_value(access, i);
    if (OBJ_obj2nid(description->method) == NID_ad_OCSP && description->location->type == GEN_URI) {
      out.push_back(AsText(description->location->d.uniformResourceIdentifier));
    }
  }
  return out;
}

int ExtendedKeyUsageNid(const std::string& name) {
  const auto& named = NamedExtendedKeyUsages();
  auto it = std::find_if(named.begin(), named.end(), [&](const NamedUsage& u) { return name == u.name; });
  return it == named.end() ? NID_undef : it->nid;
}

}  // namespace pkiform::pki
