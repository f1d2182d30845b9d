// The writing half of extensions.h; the names and the reading half are in extensions.cc.
#include <openssl/err.h>
#include <openssl/objects.h>

#include <algorithm>

#include "reconciler/pki/extensions.h"

namespace pkiform::pki {
namespace {

bool IsDottedOid(const std::string& text) {
  return !text.empty() && text.front() != '.' && text.back() != '.' && text.find("..") == std::string::npos &&
         std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; }) &&
         std::count(text.begin(), text.end(), '.') >= 1;
}

// DNS names, URIs: IA5 (ASCII) without spaces or control characters.
bool IsPrintableAscii(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c > ' ' && c < 127; });
}

Result<GeneralNamePtr> MakeIa5Name(int type, const std::string& value, const char* what) {
  if (!IsPrintableAscii(value)) {
    return Status::InvalidInput(std::string("invalid ") + what + " '" + value +
                                "': must be non-empty ASCII without spaces (use punycode for IDNs)");
  }
  GeneralNamePtr name(GENERAL_NAME_new());
  ASN1_IA5STRING* ia5 = ASN1_IA5STRING_new();
  if (!name || ia5 == nullptr || ASN1_STRING_set(ia5, value.data(), static_cast<int>(value.size())) != 1) {
    ASN1_IA5STRING_free(ia5);
    return CryptoFailure(std::string("cannot encode ") + what);
  }
  GENERAL_NAME_set0_value(name.get(), type, ia5);
  return name;
}

Result<GeneralNamePtr> MakeIpName(const std::string& address) {
  ASN1_OCTET_STRING* bytes = a2i_IPADDRESS(address.c_str());
  if (bytes == nullptr) {
    ERR_clear_error();
    return Status::InvalidInput("invalid IP address '" + address + "'");
  }
  GeneralNamePtr name(GENERAL_NAME_new());
  if (!name) {
    ASN1_OCTET_STRING_free(bytes);
    return CryptoFailure("cannot encode IP address");
  }
  GENERAL_NAME_set0_value(name.get(), GEN_IPADD, bytes);
  return name;
}

Result<GeneralNamesPtr> MakeUriNames(const std::vector<std::string>& uris) {
  GeneralNamesPtr names(GENERAL_NAMES_new());
  if (!names) return CryptoFailure("cannot allocate GENERAL_NAMES");
  for (const auto& uri : uris) {
    Result<GeneralNamePtr> name = MakeIa5Name(GEN_URI, uri, "URI");
    if (!name.ok()) return name.status();
    if (sk_GENERAL_NAME_push(names.get(), name->get()) <= 0) return CryptoFailure("cannot add URI");
    name->release();
  }
  return names;
}

// X509V3_EXT_i2d with the result owned and a failure explained.
Result<X509ExtensionPtr> Encode(int nid, bool critical, void* value, const char* what) {
  X509ExtensionPtr extension(X509V3_EXT_i2d(nid, critical ? 1 : 0, value));
  if (!extension) return CryptoFailure(std::string("cannot encode ") + what);
  return extension;
}

}  // namespace

Result<X509ExtensionPtr> MakeSubjectAltNameExtension(const std::vector<std::string>& dnsNames,
                                                     const std::vector<std::string>& ipAddresses) {
  GeneralNamesPtr names(GENERAL_NAMES_new());
  if (!names) return CryptoFailure("cannot allocate GENERAL_NAMES");
  const auto add = [&](Result<GeneralNamePtr> name) -> Status {
    if (!name.ok()) return name.status();
    if (sk_GENERAL_NAME_push(names.get(), name->get()) <= 0) return CryptoFailure("cannot add a SAN");
    name->release();
    return Status::Ok();
  };
  for (const auto& dns : dnsNames) {
    if (Status s = add(MakeIa5Name(GEN_DNS, dns, "DNS name")); !s.ok()) return s;
  }
  for (const auto& ip : ipAddresses) {
    if (Status s = add(MakeIpName(ip)); !s.ok()) return s;
  }
  return Encode(NID_subject_alt_name, false, names.get(), "subjectAltName");
}

Result<X509ExtensionPtr> MakeKeyUsageExtension(const std::set<std::string>& usages) {
  if (usages.empty()) return Status::InvalidInput("keyUsage needs at least one usage");
  Asn1BitStringPtr bits(ASN1_BIT_STRING_new());
  if (!bits) return CryptoFailure("cannot allocate key usage");
  const auto& names = KeyUsageNames();
  for (const auto& usage : usages) {
    auto it = std::find(names.begin(), names.end(), usage);
    if (it == names.end()) {
      return Status::InvalidInput("unknown key usage '" + usage +
                                  "' (known: digitalSignature, nonRepudiation, keyEncipherment, dataEncipherment, "
                                  "keyAgreement, keyCertSign, cRLSign, encipherOnly, decipherOnly)");
    }
    if (ASN1_BIT_STRING_set_bit(bits.get(), static_cast<int>(it - names.begin()), 1) != 1) {
      return CryptoFailure("cannot set key usage " + usage);
    }
  }
  return Encode(NID_key_usage, true, bits.get(), "keyUsage");
}

Result<X509ExtensionPtr> MakeExtendedKeyUsageExtension(const std::set<std::string>& usages) {
  if (usages.empty()) return Status::InvalidInput("extendedKeyUsage needs at least one usage");
  ExtendedKeyUsagePtr objects(EXTENDED_KEY_USAGE_new());
  if (!objects) return CryptoFailure("cannot allocate extended key usage");
  for (const auto& usage : usages) {
    ASN1_OBJECT* object = nullptr;
    if (const int nid = ExtendedKeyUsageNid(usage); nid != NID_undef) {
      object = OBJ_nid2obj(nid);
    } else if (IsDottedOid(usage)) {
      object = OBJ_txt2obj(usage.c_str(), 1);
    }
    if (object == nullptr) {
      ERR_clear_error();
      return Status::InvalidInput("unknown extended key usage '" + usage +
                                  "' (known: serverAuth, clientAuth, codeSigning, emailProtection, timeStamping, "
                                  "OCSPSigning, ipsecEndSystem, ipsecTunnel, ipsecUser, or a dotted OID)");
    }
    if (sk_ASN1_OBJECT_push(objects.get(), object) <= 0) {
      ASN1_OBJECT_free(object);
      return CryptoFailure("cannot add extended key usage");
    }
  }
  return Encode(NID_ext_key_usage, false, objects.get(), "extendedKeyUsage");
}

Result<X509ExtensionPtr> MakeBasicConstraintsExtension(bool isCa, int pathLength) {
  BasicConstraintsPtr constraints(BASIC_CONSTRAINTS_new());
  if (!constraints) return CryptoFailure("cannot allocate basic constraints");
  constraints->ca = isCa ? 0xFF : 0;
  if (isCa && pathLength >= 0) {
    constraints->pathlen = ASN1_INTEGER_new();
    if (constraints->pathlen == nullptr || ASN1_INTEGER_set(constraints->pathlen, pathLength) != 1) {
      return CryptoFailure("cannot encode path length");
    }
  }
  return Encode(NID_basic_constraints, true, constraints.get(), "basicConstraints");
}

Result<X509ExtensionPtr> MakeSubjectKeyIdentifierExtension(const std::string& keyId) {
  Asn1OctetStringPtr bytes(ASN1_OCTET_STRING_new());
  if (!bytes || ASN1_OCTET_STRING_set(bytes.get(), reinterpret_cast<const unsigned char*>(keyId.data()),
                                      static_cast<int>(keyId.size())) != 1) {
    return CryptoFailure("cannot encode subject key identifier");
  }
  return Encode(NID_subject_key_identifier, false, bytes.get(), "subjectKeyIdentifier");
}

Result<X509ExtensionPtr> MakeAuthorityKeyIdentifierExtension(const std::string& keyId) {
  AuthorityKeyIdPtr authority(AUTHORITY_KEYID_new());
  if (!authority) return CryptoFailure("cannot allocate authority key identifier");
  authority->keyid = ASN1_OCTET_STRING_new();
  if (authority->keyid == nullptr ||
      ASN1_OCTET_STRING_set(authority->keyid, reinterpret_cast<const unsigned char*>(keyId.data()),
                            static_cast<int>(keyId.size())) != 1) {
    return CryptoFailure("cannot encode authority key identifier");
  }
  return Encode(NID_authority_key_identifier, false, authority.get(), "authorityKeyIdentifier");
}

Result<X509ExtensionPtr> MakeCrlDistributionPointsExtension(const std::vector<std::string>& uris) {
  Result<GeneralNamesPtr> names = MakeUriNames(uris);
  if (!names.ok()) return names.status();
  // One distribution point whose full name lists every URI: alternative places
  // to fetch the same CRL.
  DistPointNamePtr pointName(DIST_POINT_NAME_new());
  DistPointPtr point(DIST_POINT_new());
  CrlDistPointsPtr points(CRL_DIST_POINTS_new());
  if (!pointName || !point || !points) return CryptoFailure("cannot allocate CRL distribution points");
  pointName->type = 0;
  pointName->name.fullname = names->release();
  point->distpoint = pointName.release();
  if (sk_DIST_POINT_push(points.get(), point.get()) <= 0) return CryptoFailure("cannot add distribution point");
  point.release();
  return Encode(NID_crl_distribution_points, false, points.get(), "crlDistributionPoints");
}

Result<X509ExtensionPtr> MakeOcspAccessExtension(const std::vector<std::string>& uris) {
  AuthorityInfoAccessPtr access(AUTHORITY_INFO_ACCESS_new());
  if (!access) return CryptoFailure("cannot allocate authority information access");
  for (const auto& uri : uris) {
    Result<GeneralNamePtr> location = MakeIa5Name(GEN_URI, uri, "OCSP URI");
    if (!location.ok()) return location.status();
    AccessDescriptionPtr description(ACCESS_DESCRIPTION_new());
    if (!description) return CryptoFailure("cannot allocate access description");
    ASN1_OBJECT_free(description->method);
    description->method = OBJ_nid2obj(NID_ad_OCSP);
    GENERAL_NAME_free(description->location);
    description->location = location->release();
    if (sk_ACCESS_DESCRIPTION_push(access.get(), description.get()) <= 0) {
      return CryptoFailure("cannot add OCSP URI");
    }
    description.release();
  }
  return Encode(NID_info_access, false, access.get(), "authorityInfoAccess");
}

Result<std::string> KeyIdentifierOf(EVP_PKEY* publicKey) {
  X509_PUBKEY* raw = nullptr;
  if (X509_PUBKEY_set(&raw, publicKey) != 1) return CryptoFailure("cannot encode public key");
  X509PubkeyPtr encoded(raw);
  const unsigned char* bits = nullptr;
  int length = 0;
  if (X509_PUBKEY_get0_param(nullptr, &bits, &length, nullptr, encoded.get()) != 1) {
    return CryptoFailure("cannot read public key bits");
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digestLength = 0;
  if (EVP_Digest(bits, static_cast<size_t>(length), digest, &digestLength, EVP_sha1(), nullptr) != 1) {
    return CryptoFailure("cannot hash public key");
  }
  return std::string(reinterpret_cast<const char*>(digest), digestLength);
}

}  // namespace pkiform::pki
