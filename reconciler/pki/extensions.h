// The X.509v3 extensions pkiform reads and writes: subject alternative names, key
// usage, extended key usage, basic constraints, key identifiers, CRL distribution
// points and the OCSP address. Shared by Certificate and Csr (reading) and by Csr
// and the signer (writing), so a name means the same thing in both directions.
//
// Usage names are the ones of OpenSSL's configuration language and of the manifests:
// key usage "digitalSignature", "dataEncipherment", ...; extended key usage
// "serverAuth", "clientAuth", ..., or a dotted OID for any other purpose.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "reconciler/pki/handles.h"
#include "reconciler/util/result.h"

namespace pkiform::pki {

// The nine key usage names, in bit order (digitalSignature is bit 0).
const std::vector<std::string>& KeyUsageNames();
// The nine named extended key usages (serverAuth ... ipsecUser).
const std::vector<std::string>& ExtendedKeyUsageNames();
// The NID of one of those nine names; NID_undef for anything else.
int ExtendedKeyUsageNid(const std::string& name);

struct SubjectAltNames {
  std::vector<std::string> dnsNames;
  std::vector<std::string> ipAddresses;  // "192.0.2.1", "2001:db8::1"
};

// Reading. Null input reads as "none".
SubjectAltNames SubjectAltNamesOf(const GENERAL_NAMES* names);
std::set<std::string> KeyUsageOf(const ASN1_BIT_STRING* bits);
std::set<std::string> ExtendedKeyUsageOf(const EXTENDED_KEY_USAGE* usages);  // unknown OIDs as dotted text
std::vector<std::string> CrlUrisOf(const CRL_DIST_POINTS* points);
std::vector<std::string> OcspUrisOf(const AUTHORITY_INFO_ACCESS* access);

// Writing. Each fails with InvalidInput naming the offending value.
Result<X509ExtensionPtr> MakeSubjectAltNameExtension(const std::vector<std::string>& dnsNames,
                                                     const std::vector<std::string>& ipAddresses);
Result<X509ExtensionPtr> MakeKeyUsageExtension(const std::set<std::string>& usages);  // critical
Result<X509ExtensionPtr> MakeExtendedKeyUsageExtension(const std::set<std::string>& usages);
// critical; pathLength < 0 means unlimited, ignored when !isCa.
Result<X509ExtensionPtr> MakeBasicConstraintsExtension(bool isCa, int pathLength);
Result<X509ExtensionPtr> MakeSubjectKeyIdentifierExtension(const std::string& keyId);
Result<X509ExtensionPtr> MakeAuthorityKeyIdentifierExtension(const std::string& keyId);
Result<X509ExtensionPtr> MakeCrlDistributionPointsExtension(const std::vector<std::string>& uris);
Result<X509ExtensionPtr> MakeOcspAccessExtension(const std::vector<std::string>& uris);

// RFC 5280 key identifier: SHA-1 of the subjectPublicKey bits (raw bytes).
Result<std::string> KeyIdentifierOf(EVP_PKEY* publicKey);

}  // namespace pkiform::pki
