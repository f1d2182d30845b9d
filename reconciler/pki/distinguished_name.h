// DistinguishedName: the subject or issuer of a certificate, CSR or CRL, as the
// six attributes pkiform manifests use, and its conversion to and from X509_NAME.
#pragma once

#include <string>

#include "reconciler/pki/handles.h"
#include "reconciler/util/result.h"

namespace pkiform::pki {

struct DistinguishedName {
  std::string commonName;          // CN
  std::string organization;        // O
  std::string organizationalUnit;  // OU
  std::string locality;            // L
  std::string state;               // ST
  std::string country;             // C, two letters

  // RFC 4514 order and escaping, empty attributes left out:
  // "CN=vcs1.example.com, OU=Video, O=Example\, Inc., L=Oslo, ST=Oslo, C=NO".
  std::string ToString() const;
  bool empty() const;
  bool operator==(const DistinguishedName&) const = default;
};

// Builds the X509_NAME in the conventional C, ST, L, O, OU, CN order, values as UTF-8.
// Fails (InvalidInput) for a country that is not two characters.
Result<X509NamePtr> ToX509Name(const DistinguishedName& name);

// Reads the six attributes (UTF-8). Other attributes (emailAddress, DC, ...) are not
// represented; of an attribute that appears several times, the first is kept.
DistinguishedName FromX509Name(const X509_NAME* name);

}  // namespace pkiform::pki
